// @vitest-environment happy-dom
import { beforeEach, describe, expect, test } from 'vitest';
import { PageViewGate, SENT_ORDERS_KEY, SentOrders } from '../../src/browser/dedupe.js';
import { createStore } from '../../src/browser/storage.js';
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

describe('SentOrders', () => {
  const orders = (now: () => number, extra: Partial<ConstructorParameters<typeof SentOrders>[0]> = {}) =>
    new SentOrders({ now, store: createStore('localStorage', { now }), ...extra });

  test('remembers sent ids, strings and numbers alike, in localStorage', () => {
    const sent = orders(() => T0);
    expect(sent.has('238476923')).toBe(false);
    sent.add(238476923);
    expect(sent.has('238476923')).toBe(true);
    expect(sent.has(238476923)).toBe(true);
    expect(sent.has('238476924')).toBe(false);
    expect(localStorage.getItem(SENT_ORDERS_KEY)).toContain('"238476923"');
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

  test('bounded: the newest 200 are kept, the oldest pruned', () => {
    let now = T0;
    const sent = orders(() => now);
    for (let i = 0; i < 205; i++) {
      now = T0 + i;
      sent.add(`o${i}`);
    }
    expect([0, 1, 2, 3, 4].map((i) => sent.has(`o${i}`))).toEqual([false, false, false, false, false]);
    expect([5, 100, 204].map((i) => sent.has(`o${i}`))).toEqual([true, true, true]);
    expect(JSON.parse(localStorage.getItem(SENT_ORDERS_KEY)!.split('|')[1]!)).toHaveLength(200);
  });

  test('re-adding an id moves it to the newest place', () => {
    let now = T0;
    const sent = orders(() => now, { max: 2 });
    sent.add('a');
    sent.add('b');
    now += 1;
    sent.add('a');
    sent.add('c');
    expect(['a', 'b', 'c'].map((id) => sent.has(id))).toEqual([true, false, true]);
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

  test('claim records once: true the first time, false after, in any tab', () => {
    const tabA = orders(() => T0);
    const tabB = orders(() => T0);
    expect(tabA.markSent('o1')).toBe(true);
    expect(tabA.markSent('o1')).toBe(false);
    expect(tabB.markSent('o1')).toBe(false);
    expect(tabB.markSent('o2')).toBe(true);
  });

  test('the default store is localStorage', () => {
    new SentOrders().add('o1');
    expect(new SentOrders().has('o1')).toBe(true);
    expect(document.cookie).not.toContain(SENT_ORDERS_KEY);
  });

  test('falls back to memory when localStorage writes throw', () => {
    const undo = failLocalStorageWrites();
    try {
      const sent = new SentOrders();
      expect(() => sent.add('o1')).not.toThrow();
      expect(sent.has('o1')).toBe(true);
      expect(sent.markSent('o1')).toBe(false);
    } finally {
      undo();
    }
    expect(localStorage.getItem(SENT_ORDERS_KEY)).toBeNull();
  });

  test.each([['{not json'], ['{"a":1}'], ['[["x"],[1,2],null]']])('a corrupted record (%s) counts as empty', (raw) => {
    localStorage.setItem(SENT_ORDERS_KEY, `${T0 + HOUR}|${raw}`);
    const sent = orders(() => T0);
    expect(sent.has('x')).toBe(false);
    sent.add('x');
    expect(sent.has('x')).toBe(true);
  });

  test('clear forgets every id', () => {
    const sent = orders(() => T0);
    sent.add('o1');
    sent.clear();
    expect(sent.has('o1')).toBe(false);
    expect(localStorage.getItem(SENT_ORDERS_KEY)).toBeNull();
  });
});
