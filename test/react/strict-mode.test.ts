// @vitest-environment happy-dom
/**
 * The React example (examples/react-spa) under <StrictMode>, which runs every
 * mount effect twice in development (vitest runs React's development build):
 * its `usePageView` sends exactly one page view per navigation, and the
 * thank-you page's `useOrder` one order, through `<SymbiosysProvider client>`.
 */
import { StrictMode, act, createElement, useLayoutEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, useLocation } from 'react-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymbiosysProvider } from '@acme/symbiosys/react';
import { AppRoutes } from '../../examples/react-spa/src/App.jsx';
import { LoggedClient } from '../../examples/react-spa/src/sdk-log.js';
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

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  sessionStorage.clear();
  localStorage.clear();
  const client = new LoggedClient({ apiKey: 'test-key', endpoint: ENDPOINT, transport: 'fetch' });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => {
    root!.render(
      createElement(
        StrictMode,
        null,
        createElement(
          SymbiosysProvider,
          { client },
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
const sdkLog = () => [...container.querySelectorAll('#sdk-log li')].map((li) => li.textContent);

function click(text: string): void {
  const target = [...container.querySelectorAll<HTMLElement>('a, button')].find((el) => el.textContent === text);
  if (!target) throw new Error(`nothing to click named "${text}" in: ${container.innerHTML}`);
  act(() => {
    target.click();
  });
}

/** Lets the SDK's fetches settle, then waits a little longer: a second page view would have arrived by then. */
async function settle(count: number): Promise<void> {
  await collector.waitFor(count);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await act(async () => {}); // The log's re-render.
}

describe('React example under StrictMode (happy-dom, MemoryRouter)', () => {
  it("sends one page view per navigation: StrictMode's second effect run never reaches the SDK", async () => {
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
      click(text);
      seen.push(path);
      await settle(seen.length);
      expect(pageViews().map(pathOf)).toEqual(seen);
    }
    // One track call per navigation, the mount's included (StrictMode doubles effects on mount).
    expect(sdkLog()).toEqual(seen.map(() => 'page_view: sent (fetch)'));
    // One visitor and one session throughout.
    expect(new Set(pageViews().map((r) => r.params.get('vid'))).size).toBe(1);
    expect(new Set(pageViews().map((r) => r.params.get('sid'))).size).toBe(1);
  });

  it('the thank-you route sends its order once, though StrictMode runs its effect twice', async () => {
    collector.received.length = 0;
    click('Add to cart'); // On /product/310552 from the test above.
    click('Add to cart');
    click('Cart');
    click('Checkout');
    const email = container.querySelector<HTMLInputElement>('input[name=email]');
    email!.value = 'Pat@Example.com';
    click('Place order');
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
    expect(sdkLog().filter((line) => line.startsWith('order:'))).toEqual(['order: sent (fetch)']);
  });
});
