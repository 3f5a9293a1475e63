/**
 * Events that must not be sent twice: a page view repeated by the framework
 * (React StrictMode runs effects twice in development) and an order whose
 * confirmation page is reloaded or reopened from history.
 */

import { FIELD_LIST } from '../core/fields.js';
import type { Id } from '../core/model.js';
import { createStore, type KeyValueStore } from './storage.js';

export interface PageViewGateOptions {
  /** Repeats within this many ms are dropped. @default 1000 */
  windowMs?: number | undefined;
  /** @default Date.now */
  now?: () => number;
}

/** The fields that make two page views the same page view: its URL and the product shown. */
const PAGE_VIEW_KEY_FIELDS = [
  'page_view_url',
  ...FIELD_LIST.filter((spec) => spec.item && spec.page_view).map((spec) => spec.name),
] as const;

/**
 * Lets a page view through unless it repeats the last one admitted (same URL,
 * same product fields) within the window. Per page, in memory: two tabs
 * showing one page are two page views.
 */
export class PageViewGate {
  private readonly _windowMs: number;
  private readonly _now: () => number;
  private _last: string | undefined;
  private _lastAt = 0;

  constructor(options: PageViewGateOptions = {}) {
    this._windowMs = options.windowMs ?? 1000;
    this._now = options.now ?? Date.now;
  }

  /** True when the page view should be sent (and is remembered as the last one). */
  admit(view: Readonly<Record<string, string | number | boolean | undefined>>, now: number = this._now()): boolean {
    // Ids compare as strings: `1` and `'1'` are the same product.
    const key = PAGE_VIEW_KEY_FIELDS.map((name) => String(view[name] ?? '')).join('\u0000');
    if (key === this._last && now - this._lastAt < this._windowMs) return false;
    this._last = key;
    this._lastAt = now;
    return true;
  }
}

/** The localStorage key of the sent order ids. */
export const SENT_ORDERS_KEY = '_sym_orders';

export interface SentOrdersOptions {
  /**
   * Where the ids live: keep it out of cookies, which travel with every
   * request. @default createStore('localStorage') (memory when unavailable)
   */
  store?: KeyValueStore;
  /** An id is remembered at least this long. @default 48 hours */
  retentionMs?: number;
  /** At most this many ids are kept; the oldest go first. @default 200 */
  max?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Order ids sent from this browser, shared by its tabs (re-read from
 * localStorage before every check), so a reloaded confirmation page does not
 * count an order twice. Record an id only once the order was accepted for
 * delivery: a dropped order must stay sendable.
 *
 * localStorage has no compare-and-set, so `markSent` is atomic within a tab but
 * not across tabs: two tabs claiming the same id in the same instant (between
 * one's read and its write, a few microseconds) may both win. Closing that
 * gap needs the Web Locks API, which is asynchronous; a confirmation page
 * opened twice at the very same moment is rare enough to accept it.
 */
export class SentOrders {
  private readonly _store: KeyValueStore;
  private readonly _retentionMs: number;
  private readonly _max: number;
  private readonly _now: () => number;

  constructor(options: SentOrdersOptions = {}) {
    this._now = options.now ?? Date.now;
    this._store = options.store ?? createStore('localStorage', { now: this._now });
    this._retentionMs = options.retentionMs ?? 48 * 3_600_000;
    this._max = options.max ?? 200;
  }

  /** Whether this order id was sent from this browser in the retention period. */
  has(orderId: Id): boolean {
    const id = String(orderId);
    return this._read().some((entry) => entry[0] === id);
  }

  /** Remembers an order id as sent. */
  add(orderId: Id): void {
    const id = String(orderId);
    const now = this._now();
    const kept = this._read(now).filter((entry) => entry[0] !== id);
    kept.push([id, now]);
    this._store.set(SENT_ORDERS_KEY, JSON.stringify(kept.slice(-this._max)), this._retentionMs);
  }

  /** Records the id as sent and returns true, unless it was already recorded (then false). */
  markSent(orderId: Id): boolean {
    if (this.has(orderId)) return false;
    this.add(orderId);
    return true;
  }

  /** Forgets every id (consent withdrawn). */
  clear(): void {
    this._store.remove(SENT_ORDERS_KEY);
  }

  /** `[orderId, sentAtMs]` pairs within the retention period, oldest first. */
  private _read(now: number = this._now()): [string, number][] {
    try {
      const parsed: unknown = JSON.parse(this._store.readLocal(SENT_ORDERS_KEY) ?? '[]');
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (e): e is [string, number] =>
          Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number' && now - e[1] < this._retentionMs,
      );
    } catch {
      return []; // Corrupted: better to risk a duplicate than to lose orders.
    }
  }
}
