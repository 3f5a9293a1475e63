// @vitest-environment happy-dom
/**
 * The React example (examples/react-spa) under <StrictMode>, which runs every
 * effect twice in development (vitest runs React's development build): its
 * README-style `useEffect` sends exactly one page view per navigation, and the
 * thank-you page one order, through the public `init`/`track`.
 */
import { StrictMode, act, createElement, useLayoutEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, useLocation } from 'react-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '@acme/symbiosys';
import { AppRoutes } from '../../examples/react-spa/src/App.jsx';
import { startCollector, type Received } from '../helpers/collector.js';

const ENDPOINT = 'https://collector.react.test';
const collector = startCollector();
let root: Root | undefined;
let container: HTMLElement;

/**
 * MemoryRouter leaves `window.location` alone; a browser router moves it
 * before the app's effects run. Kept in step the same way (a layout effect,
 * which runs before any passive effect), so each page view has its own URL.
 */
function LocationToWindow() {
  const { pathname, search } = useLocation();
  useLayoutEffect(() => window.history.replaceState(null, '', pathname + search), [pathname, search]);
  return null;
}

beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  sessionStorage.clear();
  localStorage.clear();
  init({ apiKey: 'test-key', endpoint: ENDPOINT, transport: 'fetch' });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () =>
    root!.render(
      createElement(
        StrictMode,
        null,
        createElement(
          MemoryRouter,
          { initialEntries: ['/'] },
          createElement(LocationToWindow),
          createElement(AppRoutes),
        ),
      ),
    ),
  );
});

afterAll(() => {
  act(() => root?.unmount());
  collector.close();
});

const pageViews = () => collector.received.filter((r) => r.path === '/page_viewjs');
const orders = () => collector.received.filter((r) => r.path === '/orderjs');
const pathOf = (r: Received) => {
  const url = new URL(r.params.get('page_url') ?? '');
  return url.pathname + url.search;
};
const sdkLog = () => [...container.querySelectorAll('#sdk-log li')].map((li) => li.textContent ?? '');

async function click(text: string): Promise<void> {
  const target = [...container.querySelectorAll<HTMLElement>('a, button')].find((el) => el.textContent === text);
  if (!target) throw new Error(`nothing to click named "${text}" in: ${container.innerHTML}`);
  await act(async () => target.click());
}

/** Lets the SDK's fetches settle, then waits a little longer: a second page view would have arrived by then. */
async function settle(count: number): Promise<void> {
  await collector.waitFor(count);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await act(async () => {}); // The log's re-render.
}

describe('React example under StrictMode (happy-dom, MemoryRouter)', () => {
  it('sends one page view per navigation, and the doubled effects are dropped as repeats', async () => {
    await settle(1);
    expect(pageViews().map(pathOf)).toEqual(['/']);

    const steps: Array<[click: string, path: string]> = [
      ['Air Runner', '/product/170830'],
      ['Cart', '/cart'],
      ['Home', '/'],
      ['Court Cap', '/product/310552'],
    ];
    const seen = ['/'];
    for (const [text, path] of steps) {
      await click(text);
      seen.push(path);
      await settle(seen.length);
      expect(pageViews().map(pathOf)).toEqual(seen);
    }
    // StrictMode did run the mount's effect twice (it doubles effects on mount, not on updates): dropped as a repeat.
    expect(sdkLog()).toEqual(['page_view: dropped (repeated_page_view)', ...seen.map(() => 'page_view: sent (fetch)')]);
    // One visitor and one session throughout.
    expect(new Set(pageViews().map((r) => r.params.get('vid'))).size).toBe(1);
    expect(new Set(pageViews().map((r) => r.params.get('sid'))).size).toBe(1);
  });

  it('the thank-you route sends its order once, though StrictMode runs its effect twice', async () => {
    collector.received.length = 0;
    await click('Add to cart'); // On /product/310552 from the test above.
    await click('Add to cart');
    await click('Cart');
    await click('Checkout');
    const email = container.querySelector<HTMLInputElement>('input[name=email]');
    email!.value = 'Pat@Example.com';
    await click('Place order');
    expect(container.querySelector('h1')?.textContent).toMatch(/^Thank you for order \d+$/);
    await settle(4); // Cart, checkout and thank-you page views, and the order.

    expect(orders()).toHaveLength(1);
    const order = orders()[0]!;
    expect(order.params.get('prodid')).toBe('310552');
    expect(order.params.get('qty')).toBe('2');
    expect(order.params.get('hashed_email')).toMatch(/^[0-9a-f]{64}$/);
    expect(pathOf(order)).toBe(`/thank-you?order=${order.params.get('oid')}`);
    const orderId = order.params.get('oid');
    expect(pageViews().map(pathOf)).toEqual(['/cart', '/checkout', `/thank-you?order=${orderId}`]);
    // The duplicate resolves first: the sent one waits for the network.
    expect(
      sdkLog()
        .filter((line) => line.startsWith('order:'))
        .sort(),
    ).toEqual(['order: dropped (duplicate)', 'order: sent (fetch)']);
  });
});
