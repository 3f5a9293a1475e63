/**
 * The server client against hostile and broken sinks (real HTTP on
 * 127.0.0.1): `close()` resolves by its deadline whatever the sink does,
 * and every undelivered event is reported exactly once; a 400 on a batch
 * loses only the orders the API refuses on their own (split and resent
 * until each refused order is alone), the rest are delivered once each.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver } from '../../src/receiver/index.js';
import { SymbiosysServerClient } from '../../src/server/index.js';
import type { OrderItem, PostEvent, ServerClientOptions, SymbiosysError } from '../../src/server/index.js';
import { VISITOR_ID } from './receiver-bodies.js';
import { orderIds, startSink } from './sink.js';
import type { Sink, SinkAnswer, SinkRequest } from './sink.js';

const ids = { visitor_id: VISITOR_ID, session_id: '1729694623545' };
const order = (
  orderId: string,
  items: OrderItem[] = [{ product_id: 'p1', quantity: 1, regular_unit_price: 9.99 }],
) => ({
  ...ids,
  order_ts: 1729696661986,
  order_id: orderId,
  items,
});
const orderIdOf = (event: PostEvent): string => (event.body as { order_id: string }).order_id;
/**
 * What `close()` may take past its deadline: a busy 2-core machine's
 * scheduling, never a server's doing. Requests here time out after 5 s, so a
 * read the deadline failed to end stands out far beyond it.
 */
const CLOSE_MARGIN_MS = 500;

let sinks: Sink[] = [];
afterEach(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  sinks = [];
});

async function sink(answer: (request: SinkRequest) => SinkAnswer): Promise<Sink> {
  const started = await startSink(answer);
  sinks.push(started);
  return started;
}

function client(endpoint: string, options: Partial<ServerClientOptions> = {}) {
  const reports: Array<{ error: SymbiosysError; events: readonly PostEvent[] }> = [];
  const server = new SymbiosysServerClient({
    apiKey: 'test-key',
    endpoint,
    retry: { limit: 2, backoffLimitMs: 20 },
    timeoutMs: 5000,
    batch: { flushIntervalMs: 60_000 },
    onError: (error, events) => reports.push({ error, events }),
    ...options,
  });
  /** Every event reported undelivered, once per report it appears in: order ids, `page_view` for a page view. */
  const reported = () =>
    reports.flatMap((report) =>
      report.events.map((event) => (event.event === 'order' ? orderIdOf(event) : event.event)),
    );
  return { server, reports, reported };
}

describe('close() against a sink that stalls: by the deadline, each undelivered event reported once', () => {
  const stalls: Array<[string, SinkAnswer]> = [
    ['400, then a body that never ends', { status: 400, stall: true }],
    ['500, then a body that never ends', { status: 500, stall: true }],
    ['503, then a body that never ends', { status: 503, stall: true }],
    ['no answer at all', 'silent'],
  ];

  it.each(stalls)('%s', async (_name, answer) => {
    const api = await sink(() => answer);
    const { server, reports, reported } = client(api.url);
    const placed = ['o1', 'o2', 'o3', 'o4', 'o5'];
    for (const id of placed) server.track('order', order(id));
    server.track('page_view', ids);

    const started = performance.now();
    const result = await server.close({ timeoutMs: 300 });
    const took = performance.now() - started;

    expect(took).toBeLessThan(300 + CLOSE_MARGIN_MS);
    expect(result.ok).toBe(false);
    expect(result.undelivered.map((event) => event.event).sort()).toEqual([...placed.map(() => 'order'), 'page_view']);
    expect(reported().sort()).toEqual([...placed, 'page_view']);
    // Nothing arrives later: every request of this client is over.
    const count = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reports).toHaveLength(count);
  });

  it('a refusal whose text stalls past the deadline is reported once, as rejected', async () => {
    const api = await sink(() => ({ status: 400, stall: true }));
    const { server, reports } = client(api.url);
    server.track('page_view', ids);
    const started = performance.now();
    const result = await server.close({ timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(300 + CLOSE_MARGIN_MS);
    expect(result.undelivered).toHaveLength(1);
    expect(reports.map((report) => [report.error.code, report.events.length])).toEqual([['rejected', 1]]);
  });
});

describe('whatever the sink answers, each event is delivered or reported undelivered, once', () => {
  it('403 while other requests are in flight: every event reported once', async () => {
    const api = await sink(() => ({ status: 403, body: 'bad key' }));
    const { server, reported } = client(api.url, { concurrency: 4 });
    const placed = Array.from({ length: 12 }, (_, n) => `o${n}`);
    for (const id of placed) server.track('order', order(id));
    server.track('page_view', ids);
    server.track('page_view', ids);
    const result = await server.close({ timeoutMs: 5000 });
    expect(reported().sort()).toEqual([...placed, 'page_view', 'page_view'].sort());
    expect(result.undelivered).toHaveLength(placed.length + 2);
  });

  const answers: fc.Arbitrary<SinkAnswer> = fc.oneof(
    fc.constantFrom(200, 400, 403, 413, 429, 500, 503).map((status) => ({ status, body: 'no' })),
    fc.constantFrom(400, 500).map((status) => ({ status, stall: true as const })),
    fc.constant('silent' as const),
  );

  it('a sink answering anything, in any order, then close() with any deadline', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(answers, { minLength: 1, maxLength: 30 }),
        fc.array(fc.constantFrom('order', 'page_view'), { minLength: 1, maxLength: 25 }),
        fc.record({ concurrency: fc.integer({ min: 1, max: 4 }), maxCount: fc.integer({ min: 1, max: 10 }) }),
        fc.integer({ min: 50, max: 300 }),
        async (script, events, { concurrency, maxCount }, deadline) => {
          let next = 0;
          const api = await startSink(() => script[next++ % script.length]!);
          const { server, reports } = client(api.url, {
            concurrency,
            retry: { limit: 1, backoffLimitMs: 10 },
            batch: { maxCount, flushIntervalMs: 60_000 },
          });
          const placed = events.map((event, n) => {
            const id = `e${n}`;
            if (event === 'order') server.track('order', order(id));
            else server.track('page_view', { ...ids, product_id: id });
            return id;
          });
          const started = performance.now();
          const result = await server.close({ timeoutMs: deadline });
          const took = performance.now() - started;
          await api.close();

          const idOf = (body: unknown) =>
            (body as { order_id?: string; product_id?: string }).order_id ??
            (body as { product_id: string }).product_id;
          const reported = reports.flatMap((report) => report.events.map((event) => idOf(event.body)));
          const accepted = new Set(
            api.requests.flatMap((request, n) => {
              const answer = script[n % script.length]!;
              return answer !== 'silent' && !('stall' in answer) && answer.status === 200
                ? (Array.isArray(request.body) ? request.body : [request.body]).map(idOf)
                : [];
            }),
          );
          expect(took).toBeLessThan(deadline + CLOSE_MARGIN_MS);
          // Reported at most once; what the sink never accepted, exactly once.
          expect(new Set(reported).size).toBe(reported.length);
          for (const id of placed) if (!accepted.has(id)) expect(reported).toContain(id);
          expect(result.undelivered.map((event) => idOf(event.body)).sort()).toEqual([...reported].sort());
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('a 400 on a batch loses only what the API refuses on its own', () => {
  /** A sink that refuses (400) any batch holding one of `refused`, as the Event API refuses a whole request. */
  async function refusing(refused: ReadonlySet<string>): Promise<{ api: Sink; delivered: () => string[] }> {
    const api = await sink((request) =>
      orderIds(request.body).some((id) => refused.has(id)) ? { status: 400, body: 'bad order' } : { status: 200 },
    );
    const delivered = () =>
      api.requests
        .filter((request) => !orderIds(request.body).some((id) => refused.has(id)))
        .flatMap((r) => orderIds(r.body));
    return { api, delivered };
  }

  it('one refused order among 50: 49 delivered once each, the one reported rejected once', async () => {
    const placed = Array.from({ length: 50 }, (_, n) => `o${n}`);
    const { api, delivered } = await refusing(new Set(['o17']));
    const { server, reports } = client(api.url, { maxQueueSize: 50, batch: { maxCount: 50, flushIntervalMs: 60_000 } });
    for (const id of placed) expect(server.track('order', order(id)).status).toBe('queued');
    await server.flush();
    // Everything settled, the refused order too: the queue's places are free again.
    for (const id of placed) expect(server.track('order', order(`${id}-again`)).status).toBe('queued');

    expect(delivered().sort()).toEqual(placed.filter((id) => id !== 'o17').sort());
    expect(reports.map((report) => [report.error.code, report.events.map(orderIdOf)])).toEqual([['rejected', ['o17']]]);
    // Halving down to one order: a request per level on each side of the split, not one per order.
    expect(api.requests.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(50)));
    await server.close();
  });

  it('any refused subset of any batch: the rest delivered once each, each refused order reported once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 60 })
          .chain((size) => fc.tuple(fc.constant(size), fc.subarray(Array.from({ length: size }, (_, n) => n)))),
        fc.integer({ min: 1, max: 4 }),
        async ([size, refusedAt], concurrency) => {
          const placed = Array.from({ length: size }, (_, n) => `o${n}`);
          const refused = new Set(refusedAt.map((n) => `o${n}`));
          const { api, delivered } = await refusing(refused);
          const { server, reports } = client(api.url, {
            concurrency,
            maxQueueSize: size,
            batch: { maxCount: 100, flushIntervalMs: 60_000 },
          });
          for (const id of placed) server.track('order', order(id));
          const result = await server.close({ timeoutMs: 10_000 });

          expect(delivered().sort()).toEqual(placed.filter((id) => !refused.has(id)).sort());
          expect(reports.every((report) => report.error.code === 'rejected' && report.events.length === 1)).toBe(true);
          expect(reports.map((report) => orderIdOf(report.events[0]!)).sort()).toEqual([...refused].sort());
          expect(result.undelivered.map(orderIdOf).sort()).toEqual([...refused].sort());
          await api.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the local receiver refuses an order of 1,001 items: the other 49 of its batch are stored', async () => {
    const receiver = await startReceiver({ quiet: true, apiKeys: ['test-key'] });
    try {
      const { server, reports } = client(receiver.url, { batch: { maxCount: 50, flushIntervalMs: 60_000 } });
      const item = { product_id: 'p1', quantity: 1 };
      for (let n = 0; n < 50; n += 1)
        server.track('order', order(`o${n}`, n === 31 ? Array.from({ length: 1001 }, () => item) : [item]));
      const result = await server.close({ timeoutMs: 10_000 });
      expect(receiver.events).toHaveLength(49);
      expect(receiver.events.map((event) => (event.record as { order_id?: string }).order_id)).not.toContain('o31');
      expect(reports.map((report) => [report.error.code, report.events.map(orderIdOf)])).toEqual([
        ['rejected', ['o31']],
      ]);
      expect(result.undelivered.map(orderIdOf)).toEqual(['o31']);
    } finally {
      await receiver.close();
    }
  });
});
