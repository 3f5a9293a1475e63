// @vitest-environment happy-dom
/**
 * `<SymbiosysProvider options>` and the hooks without a provider, over the
 * browser entry's default client (one per page: this file's tests run in
 * order and share it). An unusable key is reported, never thrown.
 */
import { StrictMode, act, createElement, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getClient, track, type SymbiosysClient, type SymbiosysError } from '@acme/symbiosys';
import { SymbiosysProvider, usePageView, useSymbiosys } from '@acme/symbiosys/react';
import { startCollector } from '../helpers/collector.js';

const ENDPOINT = 'https://collector.provider.test';
const collector = startCollector();
let roots: Root[] = [];

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  localStorage.clear();
});
afterEach(() => {
  for (const root of roots) act(() => root.unmount());
  roots = [];
  collector.reset();
});
afterAll(() => collector.close());

function render(tree: ReactNode): HTMLElement {
  const container = document.body.appendChild(document.createElement('div'));
  const root = createRoot(container);
  roots.push(root);
  act(() => root.render(createElement(StrictMode, null, tree)));
  return container;
}

let seen: SymbiosysClient | undefined;
function Page({ pageKey }: { pageKey: string }) {
  usePageView(pageKey);
  seen = useSymbiosys();
  return createElement('p', null, 'page');
}

const pageViewUrls = () =>
  collector.received.filter((r) => r.path === '/page_viewjs').map((r) => r.params.get('page_url'));

describe('hooks and provider over the default client', () => {
  it('an empty apiKey is reported to onError and nothing is tracked; the app still renders', async () => {
    const errors: SymbiosysError[] = [];
    const container = render(
      createElement(
        SymbiosysProvider,
        { options: { apiKey: '', onError: (error) => errors.push(error) } },
        createElement(Page, { pageKey: '/broken' }),
      ),
    );
    expect(container.textContent).toBe('page');
    expect(errors.map((error) => [error.name, error.code, error.field])).toEqual([
      ['InputError', 'invalid_field', 'apiKey'],
    ]);
    expect(getClient()).toBeUndefined();
    expect(seen).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(collector.received).toEqual([]);
  });

  it('without a provider, a page view before init waits for it and keeps its own page URL', async () => {
    history.replaceState(null, '', '/before-init');
    render(createElement(Page, { pageKey: '/before-init' }));
    expect(seen).toBeUndefined();
    history.replaceState(null, '', '/later');

    render(
      createElement(SymbiosysProvider, {
        options: { apiKey: 'test-key', endpoint: ENDPOINT, transport: 'fetch' },
      }),
    );
    await collector.waitFor(1);
    expect(pageViewUrls()).toEqual([`${location.origin}/before-init`]);
  });

  it("options: the provider's client is init's, so plain track and the hooks share it", async () => {
    history.replaceState(null, '', '/with-provider');
    render(
      createElement(
        SymbiosysProvider,
        { options: { apiKey: 'another-key-ignored', endpoint: 'https://elsewhere.test' } },
        createElement(Page, { pageKey: '/with-provider' }),
      ),
    );
    expect(seen).toBeDefined();
    expect(seen).toBe(getClient()); // The first init's client: a second init returns it.
    await collector.waitFor(1);
    await expect(track('page_view', { product_id: 'plain' })).resolves.toMatchObject({ status: 'sent' });
    expect(collector.received.map((r) => [r.url.origin, r.params.get('prodid') ?? null])).toEqual([
      [ENDPOINT, null],
      [ENDPOINT, 'plain'],
    ]);
  });
});
