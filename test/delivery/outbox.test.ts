// @vitest-environment happy-dom
/**
 * The persisted outbox under pressure: its bounds (page views dropped first,
 * oldest first, orders last, each drop reported), what an earlier page load
 * left (sent on start, unless confirmed, held by another tab, or expired),
 * and storage that throws (memory, silently, and never a confirmed resend).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LEGACY_OUTBOX_KEY, OUTBOX_MAX_AGE_MS, OUTBOX_PREFIX, type OutboxEntry } from '../../src/browser/outbox.js';
import { QUEUE_FULL } from '../helpers/queue-full.js';
import { wrapLocalStorage } from '../state/helpers.js';
import { faultClient, order, storedEntries, until, useFaultyApi } from './faulty.js';

const api = useFaultyApi();
let online = true;

beforeEach(() => {
  online = true;
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
});
afterEach(() => {
  delete (navigator as { onLine?: boolean }).onLine;
});

function goOnline() {
  online = true;
  window.dispatchEvent(new Event('online'));
}

const stored = storedEntries;

/** Waits until `keys` are delivered, lets `client` settle, and checks each was delivered once, and nothing else. */
async function expectDeliveredOnce(client: ReturnType<typeof faultClient>['client'], keys: readonly string[]) {
  await until(() => api.delivered.length === keys.length);
  await client.flush(2000);
  expect(api.counts()).toEqual(new Map(keys.map((key) => [key, 1])));
}

const keyOf = (e: OutboxEntry) => new URL(e.url).searchParams.get('oid') ?? new URL(e.url).searchParams.get('prodid');

describe('bounded queue', () => {
  it('drops page views first, oldest first, then the oldest order; each drop reported as queue_full', async () => {
    online = false;
    const { client, errors } = faultClient({ maxQueueSize: QUEUE_FULL.maxQueueSize });
    const results = [];
    for (const [event, key] of QUEUE_FULL.steps) {
      results.push(await client.track(event, event === 'order' ? order(key) : { product_id: key }));
    }
    expect(results.map((r) => r.status)).toEqual(QUEUE_FULL.statuses);
    expect(results[6]).toMatchObject({ reason: 'queue_full' });
    expect(errors.map((e) => ({ code: e.code, event: e.event }))).toEqual(QUEUE_FULL.dropped);
    expect(stored().map(keyOf)).toEqual(QUEUE_FULL.kept);
    expect(api.attempts).toEqual([]);

    goOnline();
    await expectDeliveredOnce(client, QUEUE_FULL.kept);
    expect(stored()).toEqual([]);
  });

  it('the byte bound drops the same way', async () => {
    online = false;
    const { client, errors } = faultClient({ maxQueueBytes: 1 });
    const pv = await client.track('page_view', { product_id: 'pv-big' });
    const o = await client.track('order', order('o-big'));
    // Each alone is over the bound: each is dropped and says so.
    expect([pv.status, o.status]).toEqual(['dropped', 'dropped']);
    expect(errors.map((e) => e.code)).toEqual(['queue_full', 'queue_full']);
    expect(stored()).toEqual([]);
  });
});

describe('what an earlier page load left', () => {
  const now = Date.now();
  const entry = (key: string, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
    id: `old-${key}`,
    event: 'order',
    url: `https://collect.test/orderjs?api_key=test-key&ts=${now}&vid=v1&sid=s1&oid=${key}&prodid=p1&qty=1`,
    orderId: key,
    createdAt: Date.now() - 60_000,
    attempts: 2,
    lease: 0,
    ...extra,
  });

  /** Leaves entries as an earlier page load of this version does: one key each. */
  const leave = (...entries: OutboxEntry[]) => {
    for (const e of entries) localStorage.setItem(OUTBOX_PREFIX + e.id, JSON.stringify(e));
  };

  it('is sent on start: pending and unconfirmed (beaconed) entries; not those another tab holds; expired ones dropped and reported', async () => {
    leave(
      entry('o-left'),
      entry('o-beaconed', { unconfirmed: true }),
      entry('o-other-tab', { lease: Date.now() + 20_000 }),
      entry('o-ancient', { createdAt: Date.now() - OUTBOX_MAX_AGE_MS - 1 }),
    );
    const { client, errors } = faultClient();
    await expectDeliveredOnce(client, ['o-left', 'o-beaconed']);
    expect(errors.map((e) => [e.code, e.event])).toEqual([['expired', 'order']]);
    expect(stored().map(keyOf)).toEqual(['o-other-tab']); // Still the other tab's.
  });

  it("an earlier version's queue (one JSON array) is moved to one key per entry and sent; what is not an entry is not", async () => {
    const junk = [null, {}, 1, 'x', [], { ...entry('o-no-url'), url: undefined }];
    localStorage.setItem(
      LEGACY_OUTBOX_KEY,
      JSON.stringify([junk[0], entry('o-legacy-1'), ...junk.slice(1), entry('o-legacy-2')]),
    );
    const { client, errors } = faultClient();
    await expectDeliveredOnce(client, ['o-legacy-1', 'o-legacy-2']);
    expect(errors).toEqual([]);
    expect(localStorage.getItem(LEGACY_OUTBOX_KEY)).toBeNull();
    expect(stored()).toEqual([]);
  });

  it("another client's entries (another Event API) are left to it, never sent", async () => {
    const theirs = entry('o-theirs', { url: 'https://other-collector.test/orderjs?api_key=k&oid=o-theirs' });
    leave(theirs, entry('o-mine'));
    const { client } = faultClient();
    await until(() => api.delivered.length === 1);
    await client.flush(500);
    expect(api.attempts.map((a) => a.key)).toEqual(['o-mine']);
    expect(stored()).toEqual([theirs]);
  });

  it('a confirmed event is never sent again, also after retries and on the next page loads', async () => {
    api.plan(503, 'network');
    const first = faultClient();
    await first.client.track('order', order('o-1'));
    await first.client.track('page_view', { product_id: 'pv-1' });
    await first.client.flush(2000);
    expect(api.counts()).toEqual(
      new Map([
        ['o-1', 1],
        ['pv-1', 1],
      ]),
    );
    const attempts = api.attempts.length;
    for (let load = 0; load < 2; load++) {
      const next = faultClient();
      await next.client.flush(500);
      window.dispatchEvent(new Event('online'));
      await next.client.flush(500);
    }
    expect(api.attempts).toHaveLength(attempts);
    expect(stored()).toEqual([]);
  });
});

describe('storage that throws', () => {
  let storage: ReturnType<typeof wrapLocalStorage> | undefined;
  afterEach(() => storage?.restore());
  function quota() {
    storage = wrapLocalStorage();
    storage.failWrites = true;
    return storage;
  }

  it('from the start: events still go out, from memory, with no error for the page or onError', async () => {
    quota();
    api.plan(503);
    const { client, errors } = faultClient();
    const results = await Promise.all([
      client.track('order', order('o-1')),
      client.track('page_view', { product_id: 'pv-1' }),
    ]);
    await client.flush(2000);
    expect(results.map((r) => r.status).sort()).toEqual(['queued', 'sent']);
    expect(api.counts()).toEqual(
      new Map([
        ['o-1', 1],
        ['pv-1', 1],
      ]),
    );
    expect(errors).toEqual([]);
  });

  it('when the quota runs out midway, a confirmed entry left in storage is not resent on the next page load', async () => {
    online = false;
    const { client, errors } = faultClient();
    await client.track('order', order('o-1')); // Stored.
    const storage = quota();
    await client.track('order', order('o-2')); // Storage full: memory from now on.
    goOnline();
    await until(() => api.delivered.length === 2);
    await client.flush(2000);
    storage.failWrites = false;

    const next = faultClient(); // The next page load.
    await next.client.flush(500);
    expect(api.counts()).toEqual(
      new Map([
        ['o-1', 1],
        ['o-2', 1],
      ]),
    );
    expect([...errors, ...next.errors]).toEqual([]);
  });

  it('localStorage access itself throwing (blocked storage): memory, nothing thrown', async () => {
    const spy = vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    const { client, errors } = faultClient();
    const result = await client.track('order', order('o-blocked'));
    await client.flush(1000);
    spy.mockRestore();
    expect(result).toMatchObject({ status: 'sent', confirmed: true });
    expect(api.counts()).toEqual(new Map([['o-blocked', 1]]));
    expect(errors).toEqual([]);
  });
});

describe('an entry that leaves storage under a retry (issue 24, item 1)', () => {
  it('is reported as lost, once, and not sent from nowhere', async () => {
    api.plan(503);
    const { client, errors } = faultClient({ retryBaseMs: 100 });
    expect(await client.track('order', order('o-gone'))).toMatchObject({ status: 'queued', reason: 'retrying' });
    // Another script clears what it thinks is its own.
    for (const e of stored()) localStorage.removeItem(OUTBOX_PREFIX + e.id);
    await until(() => errors.length > 0);
    await client.flush(500);
    expect(errors.map((e) => [e.code, e.event])).toEqual([['lost', 'order']]);
    expect(api.attempts.map((a) => a.key)).toEqual(['o-gone']);
  });
});
