/**
 * Orders that must not be sent twice: an order whose confirmation page is
 * reloaded or reopened from history, or confirmed in two tabs at once. The
 * order ids sent from this browser, and the cross-tab claim that records them.
 */

import type { Id } from '../core/model.js';
import { createKeyValueStore, type KeyValueStore } from './storage.js';
import { browserLocks, propagated, type LockManagerLike } from './tab-locks.js';

/**
 * Each sent order id is kept under this prefix and the id; its value is the
 * time it was sent, then `.` and the outbox entry that claimed it, if one did.
 */
export const SENT_ORDERS_PREFIX = '_sym_orders:';
/** Where earlier versions kept the ids, as one JSON list of `[orderId, sentAtMs]`: moved to one key each once read. */
export const LEGACY_SENT_ORDERS_KEY = '_sym_orders';

/** An order id's claim as its claimant learns it. */
export type Claim =
  | { won: false }
  | {
      won: true;
      /**
       * Keeps the id's lock until the order's delivery comes to `answered`:
       * `true` once its request had an answer from the network, `false` when
       * none came (a beacon, an offline queue), when the lock is kept
       * `PROPAGATION_MS` more instead.
       */
      hold(answered: Promise<boolean>): void;
    };

/** What delivery asks of the order claims: claim an id, how many claims wait, decide them all now. */
export interface Claims {
  claim(orderId: string, entryId: string): Promise<Claim>;
  /** Claims waiting for their lock. */
  waiting(): number;
  /** The page is going away: claims still waiting are decided now, within the tab. */
  settleAll(): void;
}

const LOST: Claim = { won: false };
/** A claim decided without a lock: there is none to hold. */
const WON_UNLOCKED: Claim = { won: true, hold: () => undefined };

/** A claim waiting for its lock: the order id, the outbox entry claiming it, and who hears the answer. */
interface WaitingClaim {
  orderId: string;
  entryId: string;
  answer: (claim: Claim) => void;
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
 * Each id has a key of its own, so recording one is one small write. A claim
 * is atomic across tabs: it is made under the id's Web Lock (`tab-locks.ts`),
 * which answers in a later task.
 */
export class OrderClaims implements Claims {
  private readonly _store: KeyValueStore;
  private readonly _retentionMs: number;
  private readonly _max: number;
  private readonly _now: () => number;
  private readonly _locks: LockManagerLike | undefined;
  private readonly _waiting = new Set<WaitingClaim>();

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
   * reload), lost by any other. An id not recorded yet is claimed under its
   * Web Lock, so two tabs claiming at the same moment cannot both win.
   * Without Web Locks, or for an id recorded already, the answer needs no lock.
   *
   * The winner holds the lock until its order's request has its answer (see
   * `Claim`): by then the record has reached every tab's localStorage.
   */
  claim(orderId: string, entryId: string): Promise<Claim> {
    const locks = this._locks;
    if (!locks || this.has(orderId)) return Promise.resolve(this._decide(orderId, entryId));
    return new Promise((answer) => {
      const waiting: WaitingClaim = { orderId, entryId, answer };
      this._waiting.add(waiting);
      locks
        .request(SENT_ORDERS_PREFIX + orderId, { ifAvailable: true }, (lock) => {
          // Settled meanwhile (the page was leaving): nothing left to decide.
          if (!this._waiting.delete(waiting)) return undefined;
          // Taken: another tab, or this one, is claiming the same id right now.
          if (lock === null || !this.markSent(orderId, entryId)) {
            answer(LOST);
            return undefined;
          }
          return new Promise<void>((release) => {
            const hold = (answered: Promise<boolean>) =>
              void answered.then((ok) => (ok ? undefined : propagated())).then(release, release);
            answer({ won: true, hold });
          });
        })
        .catch(() => {
          // No lock to be had (an opaque origin): the claim is this tab's alone.
          if (this._waiting.delete(waiting)) answer(this._decide(orderId, entryId));
        });
    });
  }

  /** Claims still waiting for their lock. */
  waiting(): number {
    return this._waiting.size;
  }

  /** The page is going away: claims still waiting are decided now, within the tab (`markSent`). */
  settleAll(): void {
    for (const waiting of [...this._waiting]) {
      this._waiting.delete(waiting);
      waiting.answer(this._decide(waiting.orderId, waiting.entryId));
    }
  }

  /** A claim decided within the tab. */
  private _decide(orderId: string, entryId: string): Claim {
    return this.markSent(orderId, entryId) ? WON_UNLOCKED : LOST;
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
