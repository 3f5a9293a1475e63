// @vitest-environment happy-dom
/**
 * `<SymbiosysProvider options>` and the hooks without a provider, over the
 * browser entry's default client (one per page: this file's tests run in
 * order and share it). Options `init` refuses are reported, never thrown:
 * the error `init` threw, to `onError`, or once to the console without one.
 */
import { StrictMode, act, createElement, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  SymbiosysClient,
  getClient,
  isSymbiosysError,
  track,
  type ClientOptions,
  type SymbiosysError,
} from '@acme/symbiosys';
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

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
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
      ['SymbiosysError', 'invalid_option', 'apiKey'],
    ]);
    expect(errors[0]!.message).toMatch(/^apiKey must be/);
    expect(getClient()).toBeUndefined();
    expect(seen).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(collector.received).toEqual([]);
  });

  it('options init refuses for another reason reach onError as init threw them, not blamed on the key', () => {
    const options = { apiKey: 'test-key', region: 'mars' } as unknown as ClientOptions;
    const thrown = thrownBy(() => new SymbiosysClient(options));
    const errors: SymbiosysError[] = [];
    render(createElement(SymbiosysProvider, { options: { ...options, onError: (error) => errors.push(error) } }));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(thrown.message);
    expect(errors[0]!.message).not.toMatch(/apiKey/);
    if (isSymbiosysError(thrown)) expect(errors[0]).toMatchObject({ code: thrown.code, field: thrown.field });
    expect(getClient()).toBeUndefined();
  });

  it('with a consentSource prop, unusable options still reach onError once under StrictMode', () => {
    const errors: SymbiosysError[] = [];
    const source = { start: () => () => undefined };
    const options = { apiKey: 'test-key', region: 'mars', onError: (error: SymbiosysError) => errors.push(error) };
    render(createElement(SymbiosysProvider, { options: options as unknown as ClientOptions, consentSource: source }));
    expect(errors.map((error) => [error.code, error.field])).toEqual([['invalid_option', 'region']]);
    expect(getClient()).toBeUndefined();
  });

  it('without onError, the problem is logged to the console once, however often the provider renders', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // StrictMode renders each twice; the second provider is a remount with a new options object.
      render(createElement(SymbiosysProvider, { options: { apiKey: '', debug: true } }));
      render(createElement(SymbiosysProvider, { options: { apiKey: '', debug: true } }));
      const lines = consoleError.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('symbiosys'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[symbiosys\] .*apiKey.*: nothing is tracked$/);
    } finally {
      consoleError.mockRestore();
    }
    expect(getClient()).toBeUndefined();
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
