/**
 * Orders that must not be sent twice: an order whose confirmation page is
 * reloaded or reopened from history, or confirmed in two tabs at once. The
 * order ids sent from this browser, and the cross-tab claim that records them.
 */

import type { Id } from '../core/model.js';
import { createKeyValueStore, type KeyValueStore } from './storage.js';
import { browserLocks, PROPAGATION_MS, type LockManagerLike } from './tab-locks.js';

/**
 * Each sent order id is kept under this prefix and the id; its value is the
 * time it was sent, then `.` and the outbox entry that claimed it, if one did.
 */
export const SENT_ORDERS_PREFIX = '_sym_orders:';
/** Where earlier versions kept the ids, as one JSON list of `[orderId, sentAtMs]`: moved to one key each once read. */
export const LEGACY_SENT_ORDERS_KEY = '_sym_orders';

/** What delivery asks of the order claims: claim an id, how many claims wait, decide them all now. */
export interface Claims {
  /** Resolves to whether the outbox entry `entryId` won the order id (see `OrderClaims.claim`). */
  claim(orderId: string, entryId: string): Promise<boolean>;
  /** Claims waiting for the lock. */
  waiting(): number;
  /** The page is going away: claims still waiting are decided now, within the tab. */
  settleAll(): void;
}

/** The Web Lock a tab holds while it claims order ids (lock names are not storage keys). */
export const CLAIMS_LOCK = '_sym_orders';

/** A claim waiting for its lock: the order id, the outbox entry claiming it, and who hears the answer. */
interface WaitingClaim {
  orderId: string;
  entryId: string;
  answer: (won: boolean) => void;
}

export interface OrderClaimsOptions {
  /**
   * Where the ids live: keep it out of cookies, which travel with every
   * request. @default createKeyValueStore('localStorage') (memory when unavailable)
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
 * Order ids sent from this browser, shared by its tabs (re-read from
 * localStorage before every check), so a reloaded confirmation page does not
 * count an order twice, and the claim that records them. Record an id only
 * once the order was accepted for delivery: a dropped order must stay sendable.
 *
 * Each id has a key of its own, so recording one is one small write. Claims
 * are atomic across tabs: a tab claims under one Web Lock for all order ids
 * (`CLAIMS_LOCK`), which it keeps `PROPAGATION_MS` after its latest claim
 * (`tab-locks.ts`), so the claims that follow within that time are decided
 * at once, without a lock request each, and the next tab to get the lock
 * reads every record this one wrote.
 */
export class OrderClaims implements Claims {
  private readonly _store: KeyValueStore;
  private readonly _retentionMs: number;
  private readonly _max: number;
  private readonly _now: () => number;
  private readonly _locks: LockManagerLike | undefined;
  private readonly _waiting = new Set<WaitingClaim>();
  /** The lock is asked for and not granted yet. */
  private _asked = false;
  /** While this tab holds the lock: lets it go. */
  private _release: (() => void) | undefined;
  /** When this tab last claimed under the lock: it keeps the lock `PROPAGATION_MS` after. */
  private _lastClaimAt = 0;

  constructor(options: OrderClaimsOptions = {}) {
    this._now = options.now ?? Date.now;
    this._store = options.store ?? createKeyValueStore('localStorage', { now: this._now });
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
   * Claims an order id for the outbox entry `entryId`: won by the first claim
   * of the id in any tab (and again by the same entry, resent after a
   * reload), lost by any other. Decided under the claims lock, so two tabs
   * claiming at the same moment cannot both win: at once while this tab
   * holds it, in a later task when it must ask for it. Without Web Locks, or
   * for an id recorded already, the answer needs no lock.
   */
  claim(orderId: string, entryId: string): Promise<boolean> {
    if (!this._locks || this._release || this.has(orderId)) return Promise.resolve(this._decide(orderId, entryId));
    return new Promise((answer) => {
      this._waiting.add({ orderId, entryId, answer });
      this._ask(this._locks as LockManagerLike);
    });
  }

  /** Asks for the claims lock, once; when granted, decides what waits and keeps the lock while claims come. */
  private _ask(locks: LockManagerLike): void {
    if (this._asked) return;
    this._asked = true;
    locks
      .request(CLAIMS_LOCK, () => {
        this._asked = false;
        // Settled meanwhile (the page was leaving): nothing left to decide, nothing to hold.
        if (this._waiting.size === 0) return undefined;
        const held = new Promise<void>((release) => (this._release = release));
        this.settleAll();
        this._keep();
        return held;
      })
      .catch(() => {
        // No lock to be had (an opaque origin): the claims are this tab's alone.
        this._asked = false;
        this.settleAll();
      });
  }

  /** Keeps the lock until `PROPAGATION_MS` have passed since the latest claim. */
  private _keep(): void {
    const left = this._lastClaimAt + PROPAGATION_MS - Date.now();
    if (left > 0) {
      setTimeout(() => this._keep(), left);
      return;
    }
    this._release?.();
    this._release = undefined;
  }

  /** Claims still waiting for the lock. */
  waiting(): number {
    return this._waiting.size;
  }

  /** Decides the claims still waiting now: under the lock, or, as the page goes away, within the tab. */
  settleAll(): void {
    for (const waiting of [...this._waiting]) {
      this._waiting.delete(waiting);
      waiting.answer(this._decide(waiting.orderId, waiting.entryId));
    }
  }

  /** A claim decided now (`markSent`). A win wrote a record: the lock is kept for it (real time, whatever clock the records use). */
  private _decide(orderId: string, entryId: string): boolean {
    const won = this.markSent(orderId, entryId);
    if (won) this._lastClaimAt = Date.now();
    return won;
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
