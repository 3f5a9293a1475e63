import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SymbiosysServerClient } from '../../src/server/index.js';
import type { PostEvent, ServerClientOptions } from '../../src/server/index.js';
import type { SymbiosysError } from '../../src/core/errors.js';
import { API_KEY, sleep, startApi } from './helpers.js';

const api = startApi();
afterEach(() => api.reset());
afterAll(() => api.close());

const ids = { visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a', session_id: '1729694623545' };
const order = (n: number, extra: Record<string, unknown> = {}) => ({
  ...ids,
  order_id: `o${n}`,
  items: [{ product_id: `p${n}`, quantity: 1, regular_unit_price: 9.99 }],
  ...extra,
});

function client(options: Partial<ServerClientOptions> = {}) {
  const errors: Array<{ error: SymbiosysError; events: readonly PostEvent[] }> = [];
  const server = new SymbiosysServerClient({
    apiKey: API_KEY,
    onError: (error, events) => errors.push({ error, events }),
    // Fast retries: a few ms of backoff instead of 300 ms doubling.
    retry: { limit: 3, backoffLimitMs: 5 },
    ...options,
  });
  return { server, errors };
}

describe('batching orders', () => {
  it('by count: maxCount orders per POST /orders, the rest on flush', async () => {
    const { server } = client({ batch: { maxCount: 3, flushIntervalMs: 60_000 } });
    for (let n = 0; n < 7; n += 1) server.track('order', order(n));
    await sleep(50);
    expect(api.received.map((r) => (r.body as unknown[]).length)).toEqual([3, 3]);
    await server.flush();
    expect(api.received.map((r) => (r.body as unknown[]).length)).toEqual([3, 3, 1]);
    expect(api.orders().map((o) => (o as { order_id: string }).order_id)).toEqual([
      'o0',
      'o1',
      'o2',
      'o3',
      'o4',
      'o5',
      'o6',
    ]);
  });

  it('by bytes: no body over maxBytes, and nothing lost', async () => {
    const oneOrderBytes = Buffer.byteLength(JSON.stringify([{}])) + 300; // about one order with its padding
    const maxBytes = 3 * oneOrderBytes;
    const { server } = client({ batch: { maxCount: 1000, maxBytes, flushIntervalMs: 60_000 } });
    for (let n = 0; n < 10; n += 1) server.track('order', order(n, { user_agent: 'x'.repeat(120) }));
    await server.flush();
    expect(api.received.length).toBeGreaterThan(2);
    for (const request of api.received) expect(request.bytes).toBeLessThanOrEqual(maxBytes);
    expect(api.orders()).toHaveLength(10);
  });

  it('an order bigger than maxBytes alone still goes, alone', async () => {
    const { server } = client({ batch: { maxBytes: 200, flushIntervalMs: 60_000 } });
    server.track('order', order(1));
    server.track('order', order(2, { user_agent: 'x'.repeat(500) }));
    server.track('order', order(3));
    await server.flush();
    expect(api.received.map((r) => (r.body as Array<{ order_id: string }>).map((o) => o.order_id))).toEqual([
      ['o1'],
      ['o2'],
      ['o3'],
    ]);
  });

  it('by time: a lone order goes after flushIntervalMs without flush()', async () => {
    const { server } = client({ batch: { maxCount: 100, flushIntervalMs: 40 } });
    server.track('order', order(1));
    server.track('order', order(2));
    await sleep(10);
    expect(api.received).toHaveLength(0);
    await sleep(150);
    expect(api.received).toHaveLength(1);
    expect(api.received[0]!.body).toHaveLength(2);
  });

  it('page views go at once, one object per request', async () => {
    const { server } = client({ batch: { flushIntervalMs: 60_000 } });
    server.track('page_view', { ...ids, product_id: '1' });
    server.track('page_view', { ...ids, product_id: '2' });
    await sleep(50);
    expect(api.received.map((r) => [r.path, Array.isArray(r.body)])).toEqual([
      ['/page_view', false],
      ['/page_view', false],
    ]);
  });
});

describe('retry rules', () => {
  it('503 twice then 200: one delivery, three attempts, no error', async () => {
    const { server, errors } = client();
    api.script('/orders', 503, 503);
    server.track('order', order(1));
    await server.flush();
    expect(api.received).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('every attempt sends the whole body, with its headers and key', async () => {
    const { server, errors } = client();
    api.script('/orders', 503);
    server.track('order', order(1));
    await server.flush();
    expect(api.received).toHaveLength(2);
    const [first, second] = api.received;
    expect(second!.body).toEqual(first!.body);
    expect((first!.body as Array<{ order_id: string }>)[0]!.order_id).toBe('o1');
    for (const request of api.received) {
      expect(request.apiKey).toBe(API_KEY);
      expect(request.contentType).toBe('application/json');
    }
    expect(errors).toEqual([]);
  });

  it("a caller's fetch receives a Request with the body, on every attempt", async () => {
    const bodies: string[] = [];
    const { server, errors } = client({
      fetch: async (input) => {
        const request = input as Request;
        expect(request.method).toBe('POST');
        expect(request.headers.get('api_key')).toBe(API_KEY);
        bodies.push(await request.text());
        return new Response(null, { status: bodies.length === 1 ? 503 : 200 });
      },
    });
    server.track('order', order(1));
    await server.flush();
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect((JSON.parse(bodies[0]!) as Array<{ order_id: string }>)[0]!.order_id).toBe('o1');
    expect(errors).toEqual([]);
  });

  it('429 with Retry-After: waits that long, then delivers', async () => {
    const { server, errors } = client();
    api.script('/page_view', { status: 429, headers: { 'Retry-After': '1' } });
    server.track('page_view', ids);
    await server.flush();
    expect(api.received).toHaveLength(2);
    expect(api.received[1]!.at - api.received[0]!.at).toBeGreaterThanOrEqual(950);
    expect(errors).toEqual([]);
  });

  it('a network error is retried', async () => {
    const { server, errors } = client();
    api.script('/page_view', 'network', 'network');
    server.track('page_view', ids);
    await server.flush();
    expect(api.received).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('a timeout is retried', async () => {
    const { server, errors } = client({ timeoutMs: 50 });
    api.script('/page_view', 'hang');
    server.track('page_view', ids);
    await server.flush();
    expect(api.received).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('5xx past the retry limit: reported once as server_error with the events', async () => {
    const { server, errors } = client({ retry: { limit: 2, backoffLimitMs: 1 } });
    api.always('/orders', 500);
    server.track('order', order(1));
    await server.flush();
    expect(api.received).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.code).toBe('server_error');
    expect(errors[0]!.events.map((e) => (e.body as { order_id: string }).order_id)).toEqual(['o1']);
  });

  it.each([
    [400, 'rejected'],
    [403, 'forbidden'],
  ])('%i: exactly one request and one error', async (status, code) => {
    const { server, errors } = client();
    api.script('/orders', status);
    server.track('order', order(1));
    await server.flush();
    expect(api.received).toHaveLength(1);
    expect(errors.map((e) => [e.error.code, (e.error as { status?: number }).status])).toEqual([[code, status]]);
  });

  it('403 stops later sends: queued events are given up in the one report, later tracks are dropped silently', async () => {
    const { server, errors } = client({ concurrency: 1, batch: { maxCount: 1 } });
    api.script('/orders', 403);
    server.track('order', order(1));
    server.track('order', order(2));
    await server.flush();
    const later = server.track('order', order(3));
    server.track('page_view', ids);
    await server.flush();
    expect(api.received).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.code).toBe('forbidden');
    expect(errors[0]!.events.map((e) => (e.body as { order_id: string }).order_id)).toEqual(['o1', 'o2']);
    expect(later.status).toBe('dropped');
    expect(later.status === 'dropped' && later.error.code).toBe('forbidden');
  });
});

describe('bounded queue', () => {
  it('past maxQueueSize the new event is dropped with queue_full, carrying the event', async () => {
    const { server, errors } = client({ maxQueueSize: 3, batch: { flushIntervalMs: 60_000 } });
    const results = [1, 2, 3, 4, 5].map((n) => server.track('order', order(n)));
    expect(results.map((r) => r.status)).toEqual(['queued', 'queued', 'queued', 'dropped', 'dropped']);
    const dropped = results[3]!;
    expect(dropped.status === 'dropped' && dropped.error.code).toBe('queue_full');
    expect(dropped.status === 'dropped' && (dropped.event.body as { order_id: string }).order_id).toBe('o4');
    expect(errors.map((e) => [e.error.code, (e.events[0]!.body as { order_id: string }).order_id])).toEqual([
      ['queue_full', 'o4'],
      ['queue_full', 'o5'],
    ]);
    await server.flush();
    expect(api.orders()).toHaveLength(3);
    // Delivered events free their places.
    expect(server.track('order', order(6)).status).toBe('queued');
  });
});

describe('close()', () => {
  it('flushes what is batched and resolves ok', async () => {
    const { server } = client({ batch: { flushIntervalMs: 60_000 } });
    server.track('order', order(1));
    const result = await server.close({ timeoutMs: 2000 });
    expect(result).toEqual({ ok: true, undelivered: [] });
    expect(api.orders()).toHaveLength(1);
  });

  it('with a dead server: reports what is undelivered within the deadline', async () => {
    const { server, errors } = client({
      concurrency: 1,
      batch: { maxCount: 1 },
      retry: { limit: 5, backoffLimitMs: 50 },
    });
    api.always('/orders', 'hang');
    api.always('/page_view', 'network');
    server.track('order', order(1));
    server.track('order', order(2));
    server.track('page_view', ids);
    const started = Date.now();
    const result = await server.close({ timeoutMs: 300 });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
    expect(result.ok).toBe(false);
    expect(result.undelivered.map((e) => e.event).sort()).toEqual(['order', 'order', 'page_view']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.code).toBe('network');
    expect(errors[0]!.events).toHaveLength(3);
  });

  it('lists events refused during close in the result too (reported once each)', async () => {
    const { server, errors } = client();
    api.script('/orders', 400);
    server.track('order', order(1));
    const result = await server.close({ timeoutMs: 2000 });
    expect(result.ok).toBe(false);
    expect(result.undelivered).toHaveLength(1);
    expect(errors.map((e) => e.error.code)).toEqual(['rejected']);
  });
});
