// @vitest-environment happy-dom
/**
 * Fault tests over fetch (the confirmed transport): whatever the network or
 * the server does, each retriable event ends delivered exactly once, each
 * refused one is reported once, and nothing reaches the page's own handlers.
 */
import { describe, expect, it, vi } from 'vitest';
import { FETCH_TIMEOUT_MS } from '../../src/browser/transport.js';
import { faultClient, order, storedEntries, useFaultyApi, type Fault } from './faulty.js';

const api = useFaultyApi();

const ORDERS = ['o-1', 'o-2', 'o-3'];

async function trackAll(client: ReturnType<typeof faultClient>['client']) {
  const results = await Promise.all([
    ...ORDERS.map((id) => client.track('order', order(id))),
    client.track('page_view', { product_id: 'pv-1' }),
  ]);
  await client.flush(5000);
  return results;
}

describe('retriable faults end with each event delivered exactly once', () => {
  it.each<[string, Fault[]]>([
    ['503 for the first 5 tries', [503, 503, 503, 503, 503]],
    ['500, 502, 504 mixed', [500, 502, 504, 500]],
    ['network drops', ['network', 'network', 'network']],
    ['408 and 429 without Retry-After', [408, 429, 429]],
    ['drops and 503s together', ['network', 503, 'network', 503, 'network', 503]],
  ])('%s', async (_, faults) => {
    api.plan(...faults);
    const { client, errors } = faultClient();
    const results = await trackAll(client);
    expect(api.counts()).toEqual(new Map([...ORDERS, 'pv-1'].map((key) => [key, 1])));
    expect(api.attempts).toHaveLength(4 + faults.length);
    // A first try that failed says so; none was dropped and nothing went to onError.
    for (const result of results) expect(['sent', 'queued']).toContain(result.status);
    expect(results.filter((r) => r.status === 'queued')).toHaveLength(Math.min(faults.length, 4));
    expect(errors).toEqual([]);
    expect(storedEntries()).toEqual([]);
  });

  it('a request without an answer times out and is retried', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const asked: number[] = [];
    // The real 10 s timeout, shortened: the abort path is the browser's own.
    vi.spyOn(globalThis, 'setTimeout').mockImplementation((handler: () => void, ms?: number) => {
      if (ms !== FETCH_TIMEOUT_MS) return realSetTimeout(handler, ms);
      asked.push(ms);
      return realSetTimeout(handler, 30);
    });
    api.plan('hang', 'hang');
    const { client, errors } = faultClient();
    const first = await client.track('order', order('o-slow'));
    expect(first).toMatchObject({ status: 'queued', reason: 'retrying' });
    expect(first.errors.map((e) => e.code)).toEqual(['network']);
    await client.flush(5000);
    expect(api.counts()).toEqual(new Map([['o-slow', 1]]));
    expect(api.attempts.map((a) => a.answer)).toEqual(['hang', 'hang', 200]);
    expect(asked).toEqual([FETCH_TIMEOUT_MS, FETCH_TIMEOUT_MS, FETCH_TIMEOUT_MS]); // One per try.
    expect(errors).toEqual([]);
  });

  it.each([
    ['seconds', '1'],
    ['an HTTP date', () => new Date(Date.now() + 2000).toUTCString()],
  ])('429 with Retry-After in %s is honoured: no retry before it', async (_, header) => {
    const retryAfter = typeof header === 'string' ? header : header();
    api.plan({ status: 429, retryAfter });
    const { client, errors } = faultClient({ retryBaseMs: 1 });
    await client.track('order', order('o-429'));
    await client.flush(5000);
    expect(api.attempts.map((a) => a.answer)).toEqual([429, 200]);
    const [first, second] = api.attempts;
    // HTTP dates have whole seconds: at least 1 s of the 2 s survives rounding.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect(api.counts()).toEqual(new Map([['o-429', 1]]));
    expect(errors).toEqual([]);
  });

  it('backs off exponentially with jitter between tries', async () => {
    api.plan(503, 503, 503, 503);
    const { client } = faultClient({ retryBaseMs: 40 });
    await client.track('order', order('o-backoff'));
    await client.flush(5000);
    const at = api.attempts.map((a) => a.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // Try n waits within [base * 2^(n-1) / 2, base * 2^(n-1)] (+ timer slack).
    gaps.forEach((gap, i) => {
      const ceiling = 40 * 2 ** i;
      expect(gap).toBeGreaterThanOrEqual(ceiling / 2 - 2);
      expect(gap).toBeLessThan(ceiling + 60);
    });
    expect(api.counts().get('o-backoff')).toBe(1);
  });
});

describe('refusals: never retried, reported once', () => {
  it('400: exactly one request, one error, the others still delivered', async () => {
    api.plan(400);
    const { client, errors } = faultClient();
    const refused = await client.track('order', order('o-bad'));
    const fine = await client.track('order', order('o-good'));
    await client.flush(2000);
    await new Promise((r) => setTimeout(r, 100)); // Room for a retry that must not come.
    expect(refused).toMatchObject({ status: 'dropped', reason: 'rejected' });
    expect(fine).toMatchObject({ status: 'sent', confirmed: true });
    expect(api.attempts.filter((a) => a.key === 'o-bad')).toHaveLength(1);
    expect(errors.map((e) => [e.code, e.event])).toEqual([['rejected', 'order']]);
    expect(api.counts()).toEqual(new Map([['o-good', 1]]));
    expect(storedEntries()).toEqual([]);
  });

  it('403: exactly one request and one error; later events and waiting retries are not sent', async () => {
    // o-wait gets a 503 first and waits to retry; then the key is refused.
    api.plan(503, 403);
    const { client, errors } = faultClient({ retryBaseMs: 50 });
    const waiting = await client.track('order', order('o-wait'));
    const refused = await client.track('order', order('o-403'));
    const later = await Promise.all([
      client.track('order', order('o-later')),
      client.track('page_view', { product_id: 'pv-later' }),
    ]);
    await client.flush(1000);
    await new Promise((r) => setTimeout(r, 200)); // Past o-wait's retry time.
    expect(waiting).toMatchObject({ status: 'queued', reason: 'retrying' });
    expect(refused).toMatchObject({ status: 'dropped', reason: 'forbidden' });
    for (const r of later) expect(r).toMatchObject({ status: 'dropped', reason: 'forbidden' });
    expect(api.attempts.map((a) => [a.key, a.answer])).toEqual([
      ['o-wait', 503],
      ['o-403', 403],
    ]);
    expect(errors.map((e) => e.code)).toEqual(['forbidden']);
    expect(storedEntries()).toEqual([]);
  });
});

describe('a page whose fetch ignores its AbortSignal (issue 24, item 11)', () => {
  it('track(order) settles by its deadline: queued to retry, the request reported as unanswered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // A wrapper that drops the signal: the promise never settles, aborted or not.
    vi.stubGlobal('fetch', () => new Promise<Response>(() => undefined));
    try {
      const { client } = faultClient({ retryBaseMs: 60_000 });
      let result: unknown;
      void client.track('order', order('o-deaf')).then((r) => (result = r));
      await vi.advanceTimersByTimeAsync(FETCH_TIMEOUT_MS - 50);
      expect(result).toBeUndefined();
      await vi.advanceTimersByTimeAsync(100);
      expect(result).toMatchObject({ status: 'queued', reason: 'retrying', errors: [{ code: 'network' }] });
      expect(storedEntries()).toHaveLength(1); // Kept for its retry.
    } finally {
      vi.useRealTimers();
      vi.unstubAllGlobals();
    }
  });
});
