// @vitest-environment happy-dom
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SymbiosysClient, type ClientOptions, type SymbiosysError } from '@acme/symbiosys';
import { startCollector } from '../helpers/collector.js';

const collector = startCollector();
// eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back on navigator, never called detached
const realBeacon = navigator.sendBeacon;

function client(options: Partial<ClientOptions> = {}) {
  const errors: SymbiosysError[] = [];
  const c = new SymbiosysClient({ apiKey: 'test-key', transport: 'fetch', onError: (e) => errors.push(e), ...options });
  return { c, errors };
}

const ORDER = { order_id: 'o-1', items: [{ product_id: 'p1', quantity: 2, regular_unit_price: 9.5 }] };

beforeEach(() => {
  localStorage.clear();
  document.cookie.split(';').forEach((c) => (document.cookie = `${c.split('=')[0]}=; max-age=0; path=/`));
});
afterEach(() => {
  collector.reset();
  vi.restoreAllMocks();
  Object.defineProperty(navigator, 'sendBeacon', { value: realBeacon, configurable: true, writable: true });
});
afterAll(() => collector.close());

describe('hosts', () => {
  it.each([
    [{}, 'https://event.symbiosys.ai'],
    [{ environment: 'production', region: 'us' }, 'https://event.symbiosys.ai'],
    [{ environment: 'production', region: 'eu' }, 'https://eu.event.symbiosys.ai'],
    [{ environment: 'development', region: 'us' }, 'https://event.symbiosys.dev'],
    [{ environment: 'development', region: 'eu' }, 'https://event.symbiosys.dev'],
    [{ environment: 'development', endpoint: 'https://collect.shop.example/sym/' }, 'https://collect.shop.example/sym'],
  ] as Array<[Partial<ClientOptions>, string]>)('%o sends to %s', async (options, base) => {
    const { c } = client(options);
    await c.track('page_view', { product_id: 'p1' });
    expect(collector.received).toHaveLength(1);
    const request = collector.received[0]!;
    expect(`${request.url.origin}${request.path}`).toBe(`${base}/page_viewjs`);
    expect(request.params.get('api_key')).toBe('test-key');
  });
});

describe('transports', () => {
  it('fetch: a keepalive GET without credentials, confirmed by its status', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    const { c } = client({ transport: 'fetch' });
    const result = await c.track('page_view');
    expect(result).toMatchObject({ status: 'sent', transport: 'fetch', confirmed: true });
    const init = spy.mock.calls[0]?.[1];
    expect(init).toMatchObject({ method: 'GET', keepalive: true, credentials: 'omit' });
  });

  it('beacon: handed to sendBeacon, reported as unconfirmed', async () => {
    const beacon = vi.fn(() => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true, writable: true });
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const { c } = client({ transport: 'beacon' });
    const result = await c.track('page_view', { product_id: 'p1' });
    expect(result).toMatchObject({ status: 'sent', transport: 'beacon', confirmed: false });
    expect(beacon).toHaveBeenCalledTimes(1);
    expect(String((beacon.mock.calls[0] as unknown[])[0])).toMatch(
      /^https:\/\/event\.symbiosys\.ai\/page_viewjs\?api_key=test-key&/,
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('beacon returning false (not queued) falls back to fetch, never drops', async () => {
    const beacon = vi.fn(() => false);
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true, writable: true });
    const { c } = client({ transport: 'beacon' });
    const result = await c.track('page_view');
    expect(beacon).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ status: 'sent', transport: 'fetch', confirmed: true });
    expect(collector.received).toHaveLength(1);
  });

  it('auto: page views by beacon, orders by fetch for a confirmed delivery', async () => {
    const beacon = vi.fn(() => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true, writable: true });
    const { c } = client({ transport: 'auto' });
    expect(await c.track('page_view')).toMatchObject({ status: 'sent', transport: 'beacon' });
    expect(await c.track('order', ORDER)).toMatchObject({ status: 'sent', transport: 'fetch', confirmed: true });
    expect(beacon).toHaveBeenCalledTimes(1);
    expect(collector.received.map((r) => r.path)).toEqual(['/orderjs']);
  });

  it('auto without sendBeacon uses fetch', async () => {
    Object.defineProperty(navigator, 'sendBeacon', { value: undefined, configurable: true, writable: true });
    const { c } = client({ transport: 'auto' });
    expect(await c.track('page_view')).toMatchObject({ status: 'sent', transport: 'fetch' });
  });
});

describe('server answers', () => {
  it('a 400 is dropped as rejected with its readable reason, one request, never retried', async () => {
    collector.respondWith('/orderjs', { status: 400, body: 'invalid qty' });
    const { c, errors } = client();
    const result = await c.track('order', ORDER);
    expect(result).toMatchObject({ status: 'dropped', reason: 'rejected' });
    expect(errors.map((e) => e.code)).toEqual(['rejected']);
    expect(errors[0]).toMatchObject({ status: 400 });
    expect(errors[0]?.message).toContain('invalid qty');
    await c.flush(200);
    expect(collector.received).toHaveLength(1);
  });

  it('a 403 stops all sending and is reported once, not once per event', async () => {
    collector.respondWith('/page_viewjs', 403, 403, 403);
    const { c, errors } = client();
    const first = await c.track('page_view', { product_id: 'a' });
    const second = await c.track('page_view', { product_id: 'b' });
    expect(first).toMatchObject({ status: 'dropped', reason: 'forbidden' });
    expect(second).toMatchObject({ status: 'dropped', reason: 'forbidden' });
    expect(collector.received).toHaveLength(1);
    expect(errors.filter((e) => e.code === 'forbidden')).toHaveLength(1);
  });
});
