// @vitest-environment happy-dom
/**
 * Leaving the page: what waits is beaconed within the keepalive budget; page
 * views handed to a beacon are done, orders are resent once on the next page
 * load (at least once, same URL); a refused beacon keeps its entry; an unload
 * fires both `visibilitychange` and `pagehide`, and nothing goes out twice
 * for it. Also: an entry dropped from a full queue while it waited to retry
 * is not sent after all.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BEACON_BUDGET_BYTES } from '../../src/browser/keepalive-budget.js';
import { OUTBOX_PREFIX } from '../../src/browser/outbox.js';
import { faultClient, order, storedEntries, until, useFaultyApi } from './faulty.js';

const api = useFaultyApi();
let beacons: string[];
let acceptBeacon: (url: string) => boolean;

beforeEach(() => {
  beacons = [];
  acceptBeacon = () => true;
  const beacon = (url: string) => {
    const accepted = acceptBeacon(url);
    if (accepted) beacons.push(url);
    return accepted;
  };
  Object.defineProperty(navigator, 'sendBeacon', { configurable: true, writable: true, value: beacon });
});
afterEach(() => {
  delete (navigator as { sendBeacon?: unknown }).sendBeacon;
  delete (document as { visibilityState?: unknown }).visibilityState;
});

const keyOf = (url: string) => new URL(url).searchParams.get('oid') ?? new URL(url).searchParams.get('prodid');
const stored = storedEntries;

/** What a browser fires on a navigation away: the page is hidden, then hidden for good. */
function unload() {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  document.dispatchEvent(new Event('visibilitychange'));
  window.dispatchEvent(new Event('pagehide'));
}

describe('flush on exit', () => {
  it('beacons what waits to retry, once per unload; orders are resent by fetch on the next load, page views are not', async () => {
    api.plan(503, 503, 503); // Each first try fails: all three wait to retry.
    const { client } = faultClient({ retryBaseMs: 60_000 });
    await client.track('order', order('o-1'));
    await client.track('order', order('o-2'));
    await client.track('page_view', { product_id: 'pv-1' });
    unload();
    expect(beacons.map(keyOf)).toEqual(['o-1', 'o-2', 'pv-1']);
    expect(stored().map((e) => [keyOf(e.url), e.unconfirmed, e.lease])).toEqual([
      ['o-1', true, 0],
      ['o-2', true, 0],
    ]);

    const next = faultClient(); // The next page load: same URLs, by fetch, confirmed.
    await until(() => api.delivered.length === 2);
    await next.client.flush(1000);
    expect(api.counts()).toEqual(
      new Map([
        ['o-1', 1],
        ['o-2', 1],
      ]),
    );
    expect(api.delivered.length).toBe(2);
    expect(stored()).toEqual([]);
  });

  it('stays within the keepalive budget and keeps what did not fit for the next load', async () => {
    api.plan(...Array<number>(12).fill(503));
    const { client } = faultClient({ retryBaseMs: 60_000 });
    // Three 2000-character product ids: ~6 KB URLs, under the 8000 GET limit.
    const big = (i: number) => ({
      order_id: `o-${i}`,
      items: ['a', 'b', 'c'].map((p) => ({ product_id: p.repeat(2000), quantity: 1 })),
    });
    for (let i = 0; i < 12; i++)
      expect(await client.track('order', big(i))).toMatchObject({ status: 'queued', reason: 'retrying' });
    const size = stored()[0]!.url.length;
    expect(size).toBeGreaterThan(6000);
    unload();
    const fit = Math.floor(BEACON_BUDGET_BYTES / size);
    expect(beacons.map(keyOf)).toEqual(Array.from({ length: fit }, (_, i) => `o-${i}`));
    // Nothing lost: all 12 wait for the next load, the beaconed ones marked unconfirmed.
    const left = stored();
    expect(left.map((e) => keyOf(e.url))).toEqual(Array.from({ length: 12 }, (_, i) => `o-${i}`));
    expect(left.filter((e) => e.unconfirmed).map((e) => keyOf(e.url))).toEqual(beacons.map(keyOf));
  });

  it('a refused beacon (false) keeps its entry: the page view is sent on the next load', async () => {
    api.plan(503);
    acceptBeacon = () => false;
    const { client } = faultClient({ retryBaseMs: 60_000 });
    await client.track('page_view', { product_id: 'pv-refused' });
    unload();
    expect(beacons).toEqual([]);
    expect(stored().map((e) => [keyOf(e.url), e.unconfirmed])).toEqual([['pv-refused', undefined]]);
    faultClient();
    await until(() => api.delivered.length === 1);
    expect(api.counts()).toEqual(new Map([['pv-refused', 1]]));
  });

  it('an order in flight at unload (keepalive fetch, answer unseen) is resent on the next load', async () => {
    api.plan('hang');
    const { client } = faultClient();
    void client.track('order', order('o-flying'));
    await until(() => api.attempts.length === 1);
    unload();
    expect(beacons).toEqual([]); // Already on its way: not beaconed as well.
    expect(stored().map((e) => [keyOf(e.url), e.unconfirmed, e.lease])).toEqual([['o-flying', true, 0]]);
    faultClient();
    await until(() => api.delivered.length === 1);
    expect(api.counts()).toEqual(new Map([['o-flying', 1]]));
  });
});

describe('a full queue and a waiting retry', () => {
  it('an entry dropped (and reported) while it waited to retry is not sent after all', async () => {
    api.plan(503);
    const { client, errors } = faultClient({ maxQueueSize: 1, retryBaseMs: 30 });
    const first = await client.track('page_view', { product_id: 'pv-waiting' });
    expect(first).toMatchObject({ status: 'queued', reason: 'retrying' });
    await client.track('order', order('o-1')); // Pushes the waiting page view out.
    await new Promise((r) => setTimeout(r, 150)); // Past the retry time.
    await client.flush(1000);
    expect(errors.map((e) => [e.code, e.event])).toEqual([['queue_full', 'page_view']]);
    expect(api.counts()).toEqual(new Map([['o-1', 1]]));
  });
});

describe('orders waiting for their claim (a Web Lock that has not answered)', () => {
  /** Web Locks that never answer, for the clients made while it is in place. */
  function lockThatNeverAnswers(): () => void {
    Object.defineProperty(navigator, 'locks', {
      configurable: true,
      value: { request: () => new Promise(() => undefined) },
    });
    return () => delete (navigator as { locks?: unknown }).locks;
  }

  it('leaving the page claims them within the tab and sends them', async () => {
    const restore = lockThatNeverAnswers();
    const { client } = faultClient();
    restore();
    const result = client.track('order', order('o-waiting'));
    await new Promise((r) => setTimeout(r, 20));
    expect(api.attempts).toEqual([]);
    unload();
    expect(await result).toMatchObject({ status: 'sent', transport: 'fetch' });
    expect(api.counts()).toEqual(new Map([['o-waiting', 1]]));
  });

  it('a navigation beginning (beforeunload) claims them at once, within the tab, and sends them in its task', async () => {
    const restore = lockThatNeverAnswers();
    const { client } = faultClient({ transport: 'beacon' });
    restore();
    const removed = vi.spyOn(window, 'removeEventListener');
    const result = client.track('order', order('o-leaving'));
    await new Promise((r) => setTimeout(r, 20));
    expect(beacons).toEqual([]);
    let nextTask = false;
    setTimeout(() => (nextTask = true), 0);
    window.dispatchEvent(new Event('beforeunload'));
    // The browser runs the listener's microtasks right after it, within the event's task.
    for (let tick = 0; tick < 10; tick++) await Promise.resolve();
    expect(nextTask).toBe(false);
    expect(beacons.map(keyOf)).toEqual(['o-leaving']); // Within the event, before the navigation goes on.
    expect(await result).toMatchObject({ status: 'sent', transport: 'beacon' });
    // No claim waits any more: the page no longer listens (Firefox's back-forward cache refuses pages that do).
    expect(removed.mock.calls.map(([type]) => type)).toContain('beforeunload');
    unload();
    expect(beacons.map(keyOf)).toEqual(['o-leaving']);
    expect(stored()).toEqual([]);
  });

  it('one whose page died first is in the outbox, and the next page load claims and sends it', async () => {
    const restore = lockThatNeverAnswers();
    const dying = faultClient();
    restore();
    void dying.client.track('order', order('o-orphan'));
    await new Promise((r) => setTimeout(r, 20));
    expect(stored().map((e) => [keyOf(e.url), e.claimFirst])).toEqual([['o-orphan', true]]);
    expect(api.attempts).toEqual([]);
    // The page died without a pagehide: its 30-second lease runs out.
    for (const e of stored()) localStorage.setItem(OUTBOX_PREFIX + e.id, JSON.stringify({ ...e, lease: 0 }));

    const next = faultClient();
    await until(() => api.delivered.length === 1);
    await next.client.flush(1000);
    expect(api.counts()).toEqual(new Map([['o-orphan', 1]]));
    expect(stored()).toEqual([]);
    // Its claim holds: the same order tracked again is a duplicate.
    expect(await next.client.track('order', order('o-orphan'))).toMatchObject({
      status: 'dropped',
      reason: 'duplicate',
    });
  });
});

describe('the session on exit', () => {
  it("leaving writes the session's last event, which page views within the minute left unwritten", async () => {
    const { client } = faultClient();
    const lastEvent = () => Number(localStorage.getItem('_sym_sid')?.split('.')[1]);
    await client.track('page_view', { product_id: 'pv-1' });
    const first = lastEvent();
    await new Promise((r) => setTimeout(r, 20));
    const before = Date.now();
    await client.track('page_view', { product_id: 'pv-2' });
    const after = Date.now();
    expect(lastEvent()).toBe(first); // Within the minute: not written yet.
    unload();
    expect(lastEvent()).toBeGreaterThanOrEqual(before);
    expect(lastEvent()).toBeLessThanOrEqual(after);
  });
});
