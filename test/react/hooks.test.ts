// @vitest-environment happy-dom
/**
 * `usePageView` and `useOrder` under <StrictMode> (vitest runs React's
 * development build, where StrictMode runs every mount effect twice), through
 * `<SymbiosysProvider client>`: the hooks themselves send once per key and
 * once per order id; the SDK's own repeat and duplicate checks are a second
 * line, not the one these tests rely on (they count `track` calls).
 */
import { StrictMode, act, createElement, useEffect, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SymbiosysClient, type OrderInput, type PageViewInput, type TrackResult } from '@acme/symbiosys';
import { SymbiosysProvider, useOrder, usePageView, useSymbiosys } from '@acme/symbiosys/react';
import { startCollector } from '../helpers/collector.js';

const ENDPOINT = 'https://collector.hooks.test';
const collector = startCollector();
let roots: Root[] = [];

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  collector.reset();
});
afterEach(() => {
  for (const root of roots) act(() => root.unmount());
  roots = [];
});
afterAll(() => collector.close());

/** A client whose `track` calls are counted (and still made). */
function countedClient() {
  const client = new SymbiosysClient({ apiKey: 'test-key', endpoint: ENDPOINT, transport: 'fetch' });
  const track = vi.spyOn(client, 'track');
  return { client, track };
}

/** Renders under StrictMode and a provider; returns a function that renders again in the same root. */
function mount(client: SymbiosysClient, children: ReactNode): (next: ReactNode) => void {
  const root = createRoot(document.body.appendChild(document.createElement('div')));
  roots.push(root);
  const render = (next: ReactNode) =>
    act(() => root.render(createElement(StrictMode, null, createElement(SymbiosysProvider, { client }, next))));
  render(children);
  return render;
}

/** How many times StrictMode ran a mount effect beside the hook. */
let effectRuns = 0;
function PageView({ pageKey, input }: { pageKey: string | null; input?: PageViewInput }) {
  usePageView(pageKey, input);
  useEffect(() => {
    effectRuns++;
  }, []);
  return null;
}

function ThankYou({ order }: { order: OrderInput | undefined }) {
  useOrder(order);
  return null;
}

const order = (id: string | number): OrderInput => ({
  order_id: id,
  items: [{ product_id: '170830', quantity: 1, regular_unit_price: 10 }],
});
const results = (track: ReturnType<typeof countedClient>['track']) =>
  Promise.all(track.mock.results.map((result) => result.value as Promise<TrackResult>));

describe('usePageView', () => {
  it('sends one page view per distinct key, through StrictMode and re-renders with new input objects', async () => {
    const { client, track } = countedClient();
    effectRuns = 0;
    const render = mount(client, createElement(PageView, { pageKey: '/a', input: { product_id: '1' } }));
    expect(effectRuns, 'StrictMode ran the mount effects twice').toBe(2);
    expect(track).toHaveBeenCalledTimes(1);

    render(createElement(PageView, { pageKey: '/a', input: { product_id: '1' } })); // A new object, the same page.
    expect(track).toHaveBeenCalledTimes(1);
    render(createElement(PageView, { pageKey: '/b', input: { product_id: '2' } }));
    render(createElement(PageView, { pageKey: '/a', input: { product_id: '1' } })); // Back: a new page view.
    expect(track.mock.calls.map(([event, input]) => [event, input])).toEqual([
      ['page_view', { product_id: '1' }],
      ['page_view', { product_id: '2' }],
      ['page_view', { product_id: '1' }],
    ]);
    await collector.waitFor(3);
    expect(collector.received.map((r) => r.params.get('prodid'))).toEqual(['1', '2', '1']);
  });

  it('sends nothing while the key is null, then once when it is set; a remount with the same key sends nothing', () => {
    const { client, track } = countedClient();
    const render = mount(client, createElement(PageView, { pageKey: null }));
    expect(track).not.toHaveBeenCalled();
    render(createElement(PageView, { pageKey: '/p/1', input: { product_id: '1' } }));
    expect(track.mock.calls).toEqual([['page_view', { product_id: '1' }]]);

    // The same page in a new tree (a layout remounted): the key did not change, so no page view.
    render(null);
    render(createElement(PageView, { pageKey: '/p/1', input: { product_id: '1' } }));
    mount(client, createElement(PageView, { pageKey: '/p/1' }));
    expect(track).toHaveBeenCalledTimes(1);
  });

  it('keeps each client apart: a second client gets its own page view for the same key', () => {
    const first = countedClient();
    const second = countedClient();
    mount(first.client, createElement(PageView, { pageKey: '/same' }));
    mount(second.client, createElement(PageView, { pageKey: '/same' }));
    expect(first.track).toHaveBeenCalledTimes(1);
    expect(second.track).toHaveBeenCalledTimes(1);
  });
});

describe('useOrder', () => {
  it('sends the order once, when it becomes defined, through StrictMode and re-renders', async () => {
    const { client, track } = countedClient();
    const render = mount(client, createElement(ThankYou, { order: undefined }));
    expect(track).not.toHaveBeenCalled();
    render(createElement(ThankYou, { order: order('o-1') }));
    render(createElement(ThankYou, { order: order('o-1') })); // A new object for the same order.
    expect(track.mock.calls).toEqual([['order', order('o-1')]]);
    expect(await results(track)).toMatchObject([{ status: 'sent', transport: 'fetch' }]);

    render(createElement(ThankYou, { order: order('o-2') }));
    expect(track).toHaveBeenCalledTimes(2);
    expect(await results(track)).toMatchObject([{ status: 'sent' }, { status: 'sent' }]);
    expect(collector.received.filter((r) => r.path === '/orderjs').map((r) => r.params.get('oid'))).toEqual([
      'o-1',
      'o-2',
    ]);
  });

  it('a number and a string order id are one order', () => {
    const { client, track } = countedClient();
    const render = mount(client, createElement(ThankYou, { order: order(42) }));
    render(createElement(ThankYou, { order: order('42') }));
    expect(track).toHaveBeenCalledTimes(1);
  });

  it('after a reload (a new client on the same storage) the SDK answers duplicate and sends nothing', async () => {
    const before = countedClient();
    mount(before.client, createElement(ThankYou, { order: order('o-3') }));
    expect(await results(before.track)).toMatchObject([{ status: 'sent' }]);

    const after = countedClient(); // What the reloaded page creates.
    mount(after.client, createElement(ThankYou, { order: order('o-3') }));
    expect(await results(after.track)).toMatchObject([{ status: 'dropped', reason: 'duplicate' }]);
    expect(collector.received.filter((r) => r.path === '/orderjs')).toHaveLength(1);
  });
});

describe('useSymbiosys', () => {
  it("returns the provider's client", () => {
    const { client } = countedClient();
    let seen: SymbiosysClient | undefined;
    function Reader() {
      seen = useSymbiosys();
      return null;
    }
    mount(client, createElement(Reader));
    expect(seen).toBe(client);
  });
});
