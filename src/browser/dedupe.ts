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

/**
 * Each sent order id is kept under this prefix and the id; its value is the
 * time it was sent, then `.` and the outbox entry that claimed it, if one did.
 */
export const SENT_ORDERS_PREFIX = '_sym_orders:';
/** Where earlier versions kept the ids, as one JSON list of `[orderId, sentAtMs]`: moved to one key each once read. */
export const LEGACY_SENT_ORDERS_KEY = '_sym_orders';

/**
 * How long a tab keeps the lock of an order id it claimed when no network
 * answer came in between (see `claim`). Another tab's copy of localStorage
 * learns of the claim a moment after it is written; until then that tab
 * finds the lock taken instead, which also says "duplicate".
 */
export const CLAIM_HOLD_MS = 1000;

/** The part of the Web Locks API a claim uses. */
export type LockManagerLike = Pick<LockManager, 'request'>;

export interface SentOrdersOptions {
  /**
   * Where the ids live: keep it out of cookies, which travel with every
   * request. @default createStore('localStorage') (memory when unavailable)
   */
  store?: KeyValueStore;
  /** An id is remembered at least this long. @default 48 hours */
  retentionMs?: number;
  /** At most this many ids are kept, the newest, counted when an instance is made (a page load). @default 200 */
  max?: number;
  /** @default Date.now */
  now?: () => number;
  /** Web Locks; without them a claim is atomic within the tab only. @default navigator.locks, where present */
  locks?: LockManagerLike | undefined;
}

/**
 * Hears whether a claim was won. The winner may pass `keepLockUntil` what
 * its order's delivery comes to: `true` once the order's request has had its
 * answer from the network, `false` when none came (a beacon, an offline queue).
 */
export type ClaimSettler = (claimed: boolean, keepLockUntil: (answered: Promise<boolean>) => void) => void;

/** For claims decided without a lock (`markSent`): there is none to keep. */
const noLock = (): void => undefined;

/** A claim waiting for its lock: the order id, the entry claiming it, and who hears the answer. */
interface Claim {
  id: string;
  by: string;
  settle: ClaimSettler;
}

function browserLocks(): LockManagerLike | undefined {
  // Secure contexts only (https, localhost); absent elsewhere and in older browsers.
  return typeof navigator === 'undefined'
    ? undefined
    : ((navigator as { locks?: LockManager | null }).locks ?? undefined);
}

/**
 * Order ids sent from this browser, shared by its tabs (re-read from
 * localStorage before every check), so a reloaded confirmation page does not
 * count an order twice. Record an id only once the order was accepted for
 * delivery: a dropped order must stay sendable.
 *
 * Each id has a key of its own, so recording one is one small write. A claim
 * (`claim`) is atomic across tabs: localStorage has no compare-and-set, so it
 * is made under the id's Web Lock, which answers asynchronously.
 */
export class SentOrders {
  private readonly _store: KeyValueStore;
  private readonly _retentionMs: number;
  private readonly _max: number;
  private readonly _now: () => number;
  private readonly _locks: LockManagerLike | undefined;
  private readonly _claims = new Set<Claim>();

  constructor(options: SentOrdersOptions = {}) {
    this._now = options.now ?? Date.now;
    this._store = options.store ?? createStore('localStorage', { now: this._now });
    this._retentionMs = options.retentionMs ?? 48 * 3_600_000;
    this._max = options.max ?? 200;
    this._locks = 'locks' in options ? options.locks : browserLocks();
    this._prune();
  }

  /** Whether this order id was sent from this browser in the retention period. */
  has(orderId: Id): boolean {
    return this._record(SENT_ORDERS_PREFIX + String(orderId)) !== undefined;
  }

  /** Remembers an order id as sent (by the outbox entry `by`, when one claims it). */
  add(orderId: Id, by?: string): void {
    const value = by === undefined ? String(this._now()) : `${this._now()}.${by}`;
    this._store.set(SENT_ORDERS_PREFIX + String(orderId), value, this._retentionMs);
  }

  /**
   * Records the id as sent and returns true, unless it was already recorded
   * (then false, but true to the entry `by` that recorded it: its own resend
   * after a reload). Atomic within the tab.
   */
  markSent(orderId: Id, by?: string): boolean {
    const record = this._record(SENT_ORDERS_PREFIX + String(orderId));
    if (record) return by !== undefined && record.by === by;
    this.add(orderId, by);
    return true;
  }

  /**
   * Claims an order id for the outbox entry `by`: `settle(true)` for the
   * first claim of the id in any tab (and again for the same entry, resent
   * after a reload); `settle(false)` for any other. An id not recorded yet is
   * claimed under its Web Lock, so two tabs claiming at the same moment cannot
   * both win; `settle` then runs in a later task. Without Web Locks, or for
   * an id recorded already, it runs now (`markSent`).
   *
   * The winner keeps the lock until the order's request has its answer: a
   * network round trip after the record was written, by when it has reached
   * every tab's localStorage, so a tab that gets the lock next reads it there.
   * Without such an answer, the lock is kept `CLAIM_HOLD_MS` more instead.
   */
  claim(orderId: Id, by: string, settle: ClaimSettler): void {
    const id = String(orderId);
    const locks = this._locks;
    // Recorded already (sent before, or by this very entry before a reload): the answer needs no lock.
    if (!locks || this.has(id)) {
      settle(this.markSent(id, by), noLock);
      return;
    }
    const claim: Claim = { id, by, settle };
    this._claims.add(claim);
    locks
      .request(SENT_ORDERS_PREFIX + id, { ifAvailable: true }, (lock) => {
        // Settled meanwhile (the page was leaving): nothing left to decide.
        if (!this._claims.delete(claim)) return undefined;
        // Taken: another tab, or this one, is claiming the same id right now.
        const claimed = lock !== null && this.markSent(id, by);
        let until: Promise<boolean> = Promise.resolve(false);
        settle(claimed, (answered) => {
          until = answered;
        });
        if (!claimed) return undefined;
        return until.then((answered) => answered || new Promise((resolve) => setTimeout(resolve, CLAIM_HOLD_MS)));
      })
      .catch(() => {
        // No lock to be had (an opaque origin): the claim is this tab's alone.
        if (this._claims.delete(claim)) settle(this.markSent(id, by), noLock);
      });
  }

  /** Claims still waiting for their lock. */
  claiming(): number {
    return this._claims.size;
  }

  /** The page is going away: claims still waiting are decided now, within the tab (`markSent`). */
  settleClaims(): void {
    for (const claim of [...this._claims]) {
      this._claims.delete(claim);
      claim.settle(this.markSent(claim.id, claim.by), noLock);
    }
  }

  /** Forgets every id (consent withdrawn). */
  clear(): void {
    this._store.clear(this._store.keys(SENT_ORDERS_PREFIX));
  }

  /** When the id under `key` was sent, and by which entry; `undefined` when it was not, or is forgotten. */
  private _record(key: string): { sentAt: number; by: string | undefined } | undefined {
    const [at = '', by] = this._store.readLocal(key)?.split('.') ?? [];
    const sentAt = Number(at);
    if (at === '' || !Number.isFinite(sentAt) || this._now() - sentAt >= this._retentionMs) return undefined;
    return { sentAt, by };
  }

  /** Moves the ids an earlier version kept, then removes forgotten ids and all but the newest `max`. */
  private _prune(): void {
    const legacy = this._store.readLocal(LEGACY_SENT_ORDERS_KEY);
    if (legacy !== undefined) {
      for (const [id, sentAt] of legacyIds(legacy)) {
        const age = this._now() - sentAt;
        if (age < this._retentionMs) this._store.set(SENT_ORDERS_PREFIX + id, String(sentAt), this._retentionMs - age);
      }
      this._store.remove(LEGACY_SENT_ORDERS_KEY);
    }
    const kept: Array<[key: string, sentAt: number]> = [];
    for (const key of this._store.keys(SENT_ORDERS_PREFIX)) {
      const record = this._record(key);
      if (record === undefined) this._store.remove(key);
      else kept.push([key, record.sentAt]);
    }
    kept.sort((a, b) => b[1] - a[1]);
    for (const [key] of kept.slice(this._max)) this._store.remove(key);
  }
}

/** The `[orderId, sentAtMs]` pairs of an earlier version's list; none when it is absent or corrupted. */
function legacyIds(raw: string): Array<[string, number]> {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is [string, number] => Array.isArray(e) && typeof e[0] === 'string' && Number.isFinite(e[1]),
    );
  } catch {
    return [];
  }
}
