// @vitest-environment happy-dom
import { beforeEach, describe, expect, test } from 'vitest';
import {
  CLAIMS_LOCK,
  LEGACY_SENT_ORDERS_KEY,
  OrderClaims,
  SENT_ORDERS_PREFIX,
} from '../../src/browser/order-claims.js';
import { PageViewGate } from '../../src/browser/page-view-gate.js';
import { PROPAGATION_MS, type LockManagerLike } from '../../src/browser/tab-locks.js';
import { createKeyValueStore } from '../../src/browser/storage.js';
import { failLocalStorageWrites, resetBrowser } from './helpers.js';

const T0 = 1_729_694_623_545;
const HOUR = 3_600_000;
const URL_A = 'https://shop.example/p/1';
const URL_B = 'https://shop.example/p/2';

beforeEach(() => {
  resetBrowser();
});

describe('PageViewGate', () => {
  const view = { page_view_url: URL_A, product_id: '170830', brand: 'nike' };

  test.each([
    ['the same view 1 ms later (StrictMode double effect)', view, 1, false],
    ['the same view 999 ms later', view, 999, false],
    ['the same view at the window', view, 1000, true],
    ['the same view later', view, 5000, true],
    ['another URL at once', { ...view, page_view_url: URL_B }, 1, true],
    ['another product at once', { ...view, product_id: '238443' }, 1, true],
    ['a product field added at once', { ...view, seller_id: '18231233' }, 1, true],
    ['the same product id as a number', { ...view, product_id: 170830 }, 1, false],
  ])('%s: sent = %s', (_, second, gap, sent) => {
    const gate = new PageViewGate();
    expect(gate.admit(view, T0)).toBe(true);
    expect(gate.admit(second, T0 + gap)).toBe(sent);
  });

  test('compares with the last view only: A, B, A are three page views', () => {
    const gate = new PageViewGate();
    expect([URL_A, URL_B, URL_A].map((url, i) => gate.admit({ page_view_url: url }, T0 + i))).toEqual([
      true,
      true,
      true,
    ]);
  });

  test('a dropped repeat does not extend the window', () => {
    const gate = new PageViewGate();
    gate.admit(view, T0);
    expect(gate.admit(view, T0 + 600)).toBe(false);
    expect(gate.admit(view, T0 + 1000)).toBe(true);
  });

  test('window and clock are options', () => {
    let now = T0;
    const gate = new PageViewGate({ windowMs: 50, now: () => now });
    expect(gate.admit(view)).toBe(true);
    now += 49;
    expect(gate.admit(view)).toBe(false);
    now += 1;
    expect(gate.admit(view)).toBe(true);
  });
});

/** The sent order ids in localStorage (one key each). */
const storedIds = (): string[] =>
  Object.keys(localStorage)
    .filter((key) => key.startsWith(SENT_ORDERS_PREFIX))
    .map((key) => key.slice(SENT_ORDERS_PREFIX.length))
    .sort();

describe('OrderClaims', () => {
  const orders = (now: () => number, extra: Partial<ConstructorParameters<typeof OrderClaims>[0]> = {}) =>
    new OrderClaims({ now, store: createKeyValueStore('localStorage', { now }), locks: undefined, ...extra });

  test('remembers sent ids, strings and numbers alike, in localStorage, one key each', () => {
    const sent = orders(() => T0);
    expect(sent.has('238476923')).toBe(false);
    sent.add(238476923);
    expect(sent.has('238476923')).toBe(true);
    expect(sent.has(238476923)).toBe(true);
    expect(sent.has('238476924')).toBe(false);
    expect(storedIds()).toEqual(['238476923']);
  });

  test('kept at least 48 hours', () => {
    let now = T0;
    const sent = orders(() => now);
    sent.add('o1');
    now = T0 + 48 * HOUR - 1;
    expect(sent.has('o1')).toBe(true);
    now = T0 + 48 * HOUR;
    expect(sent.has('o1')).toBe(false);
  });

  test('each id keeps its own 48 hours', () => {
    let now = T0;
    const sent = orders(() => now);
    sent.add('old');
    now = T0 + 40 * HOUR;
    sent.add('new');
    now = T0 + 50 * HOUR;
    expect(sent.has('old')).toBe(false);
    expect(sent.has('new')).toBe(true);
  });

  test('bounded: each page load keeps the newest 200 and forgets the forgotten', () => {
    let now = T0;
    const sent = orders(() => now);
    for (let i = 0; i < 205; i++) {
      now = T0 + i;
      sent.add(`o${i}`);
    }
    expect(storedIds()).toHaveLength(205);
    const next = orders(() => now); // The next page load.
    expect([0, 1, 2, 3, 4].map((i) => next.has(`o${i}`))).toEqual([false, false, false, false, false]);
    expect([5, 100, 204].map((i) => next.has(`o${i}`))).toEqual([true, true, true]);
    expect(storedIds()).toHaveLength(200);
    now = T0 + 48 * HOUR + 100;
    orders(() => now);
    expect(storedIds()).toHaveLength(104);
  });

  test('re-adding an id makes it the newest', () => {
    let now = T0;
    const sent = orders(() => now, { max: 2 });
    sent.add('a');
    sent.add('b');
    now += 1;
    sent.add('a');
    sent.add('c');
    const next = orders(() => now, { max: 2 });
    expect(['a', 'b', 'c'].map((id) => next.has(id))).toEqual([true, false, true]);
  });

  test('shared across tabs: each instance re-reads localStorage', () => {
    const tabA = orders(() => T0);
    const tabB = orders(() => T0);
    expect(tabB.has('o1')).toBe(false);
    tabA.add('o1');
    expect(tabB.has('o1')).toBe(true);
    tabB.add('o2');
    expect(tabA.has('o2')).toBe(true);
    expect(tabA.has('o1')).toBe(true);
  });

  test('markSent records once: true the first time, false after, in any tab', () => {
    const tabA = orders(() => T0);
    const tabB = orders(() => T0);
    expect(tabA.markSent('o1')).toBe(true);
    expect(tabA.markSent('o1')).toBe(false);
    expect(tabB.markSent('o1')).toBe(false);
    expect(tabB.markSent('o2')).toBe(true);
  });

  test('the default store is localStorage', () => {
    new OrderClaims().add('o1');
    expect(new OrderClaims().has('o1')).toBe(true);
    expect(document.cookie).not.toContain(SENT_ORDERS_PREFIX);
  });

  test('falls back to memory when localStorage writes throw', () => {
    const undo = failLocalStorageWrites();
    try {
      const sent = new OrderClaims();
      expect(() => sent.add('o1')).not.toThrow();
      expect(sent.has('o1')).toBe(true);
      expect(sent.markSent('o1')).toBe(false);
    } finally {
      undo();
    }
    expect(storedIds()).toEqual([]);
  });

  test.each([['garbage'], [''], ['NaN']])('a corrupted record (%j) counts as not sent', (raw) => {
    localStorage.setItem(`${SENT_ORDERS_PREFIX}x`, `${T0 + HOUR}|${raw}`);
    const sent = orders(() => T0);
    expect(sent.has('x')).toBe(false);
    sent.add('x');
    expect(sent.has('x')).toBe(true);
  });

  test("an earlier version's list is moved to one key per id, its times kept", () => {
    const list = [
      ['kept', T0 - HOUR],
      ['forgotten', T0 - 49 * HOUR],
    ];
    localStorage.setItem(LEGACY_SENT_ORDERS_KEY, `${T0 + 47 * HOUR}|${JSON.stringify(list)}`);
    let now = T0;
    const sent = orders(() => now);
    expect(localStorage.getItem(LEGACY_SENT_ORDERS_KEY)).toBeNull();
    expect(storedIds()).toEqual(['kept']);
    expect(sent.has('kept')).toBe(true);
    expect(sent.has('forgotten')).toBe(false);
    now = T0 + 47 * HOUR;
    expect(sent.has('kept')).toBe(false);
  });

  test.each([['{not json'], ['{"a":1}'], ['[["x"],[1,2],null]']])(
    'a corrupted list of an earlier version (%s) counts as empty and is removed',
    (raw) => {
      localStorage.setItem(LEGACY_SENT_ORDERS_KEY, `${T0 + HOUR}|${raw}`);
      const sent = orders(() => T0);
      expect(sent.has('x')).toBe(false);
      expect(localStorage.getItem(LEGACY_SENT_ORDERS_KEY)).toBeNull();
    },
  );

  test('clear forgets every id', () => {
    const sent = orders(() => T0);
    sent.add('o1');
    sent.add('o2');
    localStorage.setItem('shop-cart', '[]');
    sent.clear();
    expect(sent.has('o1')).toBe(false);
    expect(storedIds()).toEqual([]);
    expect(localStorage.getItem('shop-cart')).toBe('[]');
  });
});

/**
 * A stand-in for the Web Locks API: one holder per name, the others queued in
 * turn, callbacks run in a later task as the browser's are. It counts the
 * requests. (Real Chromium races tabs in test/browser/orders.test.ts.)
 */
function fakeLocks(): LockManagerLike & { held: Set<string>; requests: number } {
  const held = new Set<string>();
  const queues = new Map<string, Promise<unknown>>();
  const locks = {
    held,
    requests: 0,
    request: ((name: string, callback: (lock: Lock | null) => unknown) => {
      locks.requests += 1;
      const turn = (queues.get(name) ?? Promise.resolve())
        .then(() => new Promise((resolve) => setTimeout(resolve, 1)))
        .then(async () => {
          held.add(name);
          try {
            return await callback({ name, mode: 'exclusive' });
          } finally {
            held.delete(name);
          }
        });
      queues.set(
        name,
        turn.catch(() => undefined),
      );
      return turn;
    }) as LockManagerLike['request'],
  };
  return locks;
}

describe('OrderClaims.claim', () => {
  let entries = 0;
  /** A claim of `id` by a new outbox entry (or by `by`). */
  const claim = (sent: OrderClaims, id: string, by = `entry-${++entries}`) => sent.claim(id, by);
  const settled = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('without Web Locks: decided within the tab, in the same task', async () => {
    const sent = new OrderClaims({ locks: undefined });
    const answers = [sent.claim('o1', 'entry-a'), sent.claim('o1', 'entry-b')];
    expect(sent.waiting()).toBe(0);
    expect(await Promise.all(answers)).toEqual([true, false]);
  });

  test("an entry's own claim holds for it again (its resend after the page died), never for another", async () => {
    const sent = new OrderClaims({ locks: fakeLocks() });
    expect(await claim(sent, 'o1', 'entry-a')).toBe(true);
    const nextLoad = new OrderClaims({ locks: undefined });
    expect(await claim(nextLoad, 'o1', 'entry-a')).toBe(true);
    expect(await claim(nextLoad, 'o1', 'entry-b')).toBe(false);
    expect(nextLoad.markSent('o1')).toBe(false);
  });

  test('with Web Locks: one claim wins however many tabs ask at once, and the id is recorded', async () => {
    const locks = fakeLocks();
    const tabs = [new OrderClaims({ locks }), new OrderClaims({ locks }), new OrderClaims({ locks })];
    const answers = tabs.map((tab) => claim(tab, 'o1'));
    await settled(20);
    expect(locks.held).toEqual(new Set([CLAIMS_LOCK])); // Kept a moment after the claim.
    expect(await Promise.all(answers)).toEqual([true, false, false]);
    expect(storedIds()).toEqual(['o1']);
    expect(await claim(tabs[0]!, 'o1')).toBe(false);
  });

  test('a tab keeps the lock PROPAGATION_MS after its latest claim, and claims meanwhile ask for no lock', async () => {
    const locks = fakeLocks();
    const sent = new OrderClaims({ locks });
    expect(await claim(sent, 'o1')).toBe(true);
    await settled(PROPAGATION_MS / 2);
    expect(await claim(sent, 'o2')).toBe(true); // At once: the lock is still this tab's.
    expect(locks.requests).toBe(1);
    await settled(PROPAGATION_MS / 2 + 50);
    expect(locks.held.has(CLAIMS_LOCK)).toBe(true); // Half a propagation after o2.
    await settled(PROPAGATION_MS / 2 + 50);
    expect(locks.held.has(CLAIMS_LOCK)).toBe(false);
  });

  test('with Web Locks: an id sent before is refused once the lock is free again', async () => {
    new OrderClaims({ locks: undefined }).add('o1');
    expect(await claim(new OrderClaims({ locks: fakeLocks() }), 'o1')).toBe(false);
  });

  test('a page that goes away decides the waiting claims at once; the lock answers nothing more', async () => {
    const locks = fakeLocks();
    const sent = new OrderClaims({ locks });
    const answers: boolean[] = [];
    for (const [id, by] of [
      ['o1', 'entry-a'],
      ['o2', 'entry-b'],
    ] as const) {
      void sent.claim(id, by).then((won) => answers.push(won));
    }
    expect(sent.waiting()).toBe(2);
    sent.settleAll();
    expect(sent.waiting()).toBe(0);
    await Promise.resolve();
    expect(answers).toEqual([true, true]);
    await settled(10);
    expect(answers).toEqual([true, true]);
    expect(locks.held.has(CLAIMS_LOCK)).toBe(false); // Granted with nothing left to decide: let go at once.
    expect(storedIds()).toEqual(['o1', 'o2']);
  });

  test('a lock request that fails (an opaque origin) falls back to the tab alone', async () => {
    const locks: LockManagerLike = {
      request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')),
    };
    expect(await claim(new OrderClaims({ locks }), 'o1')).toBe(true);
    expect(await claim(new OrderClaims({ locks }), 'o1')).toBe(false);
  });
});
