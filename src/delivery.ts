/**
 * Moves outbox entries to the network and decides each one's fate:
 * confirmed (removed), handed over to a beacon (removed; orders kept as
 * unconfirmed for one more try on the next page load), retried later with
 * backoff, or failed for good (400, 403). Waits while the browser is offline
 * and tries again on `online`; on `pagehide` or a hidden page it beacons what
 * is left within the browser's keepalive budget.
 *
 * Guarantees, by transport:
 * - fetch: delivery is confirmed by the status; a confirmed event is never resent.
 * - beacon: the browser only says it queued the request. A page view handed to
 *   a beacon is done (at most once); an order is resent once more on the next
 *   page load (at least once, same data, so the server can de-duplicate).
 */
import { DeliveryError, DropError, type SymbiosysError } from './errors.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { canBeacon, sendBeacon, sendFetch, type SendOutcome, type Transport } from './transport.js';

export type DeliveryStatus =
  | { status: 'sent'; transport: 'fetch' | 'beacon'; confirmed: boolean }
  | { status: 'queued'; reason: 'retrying' | 'offline'; error?: SymbiosysError }
  | { status: 'dropped'; reason: 'rejected' | 'forbidden' | 'queue_full'; error: SymbiosysError };

export interface DeliveryOptions {
  transport: Transport;
  outbox: Outbox;
  now: () => number;
  report: (error: SymbiosysError) => void;
  /** First retry delay; doubles each attempt, with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  random?: () => number;
}

/** How long a tab holds an entry it is sending or waiting to retry. */
const LEASE_MS = 30_000;
/** Chromium and Firefox share ~64 KB of keepalive bytes per page; leave headroom. */
export const BEACON_BUDGET_BYTES = 60_000;
/** Keepalive bytes left until the page is shown again: the browser counts per page, not per flush or client. */
let budget = BEACON_BUDGET_BYTES;
/** A fetch that failed this recently before an unload may have been cut by the navigation itself. */
const JUST_LOST_MS = 2000;

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

export class Delivery {
  private readonly inflight = new Set<string>();
  /** When each entry's last fetch failed with no answer. */
  private readonly lostAt = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private forbidden = false;

  constructor(private readonly options: DeliveryOptions) {}

  private useBeacon(entry: OutboxEntry): boolean {
    const { transport } = this.options;
    if (transport === 'fetch' || !canBeacon()) return false;
    // Orders want a confirmed delivery, which only fetch can give.
    return transport === 'beacon' || entry.event === 'page_view';
  }

  /**
   * A new event. A beacon that the browser takes needs no storage at all (its
   * fate is unknowable anyway); anything else is stored first, so a crash, a
   * reload or a failure loses nothing, then fetched.
   */
  send(entry: OutboxEntry): Promise<DeliveryStatus> {
    if (!this.forbidden && !isOffline() && this.useBeacon(entry) && sendBeacon(entry.url)) {
      return Promise.resolve({ status: 'sent', transport: 'beacon', confirmed: false });
    }
    // Stored already counting this attempt and held by this tab: one storage write, not two.
    if (!this.options.outbox.add({ ...entry, attempts: 1, lease: this.options.now() + LEASE_MS })) {
      return Promise.resolve({ status: 'dropped', reason: 'queue_full', error: new DropError('queue_full', 'The delivery queue is full', { event: entry.event }) });
    }
    return this.attempt(entry, true);
  }

  /** Sends one entry now (it must be held by this tab) and settles its fate. */
  async attempt(entry: OutboxEntry, stored = false): Promise<DeliveryStatus> {
    if (this.forbidden) return this.dropForbidden(entry);
    if (isOffline()) {
      this.options.outbox.patch(entry.id, { lease: 0 });
      return { status: 'queued', reason: 'offline' };
    }
    if (!stored && this.useBeacon(entry) && sendBeacon(entry.url)) {
      this.options.outbox.remove(entry.id);
      return { status: 'sent', transport: 'beacon', confirmed: false };
    }
    // A refused beacon (over budget) falls back to fetch rather than being dropped.
    this.inflight.add(entry.id);
    const attempts = entry.attempts + 1;
    if (!stored) this.options.outbox.patch(entry.id, { attempts, lease: this.options.now() + LEASE_MS });
    let outcome: SendOutcome;
    try {
      outcome = await sendFetch(entry.url, entry.event);
    } finally {
      this.inflight.delete(entry.id);
    }
    return this.settle({ ...entry, attempts }, outcome);
  }

  private settle(entry: OutboxEntry, outcome: SendOutcome): DeliveryStatus {
    const { outbox } = this.options;
    this.lostAt.delete(entry.id);
    switch (outcome.kind) {
      case 'delivered':
      case 'handed_over':
        outbox.remove(entry.id);
        return { status: 'sent', transport: outcome.via, confirmed: outcome.kind === 'delivered' };
      case 'failed':
        if (outcome.error.code === 'forbidden') return this.stopForbidden(entry, outcome.error);
        outbox.remove(entry.id);
        this.options.report(outcome.error);
        return { status: 'dropped', reason: 'rejected', error: outcome.error };
      case 'retry':
        if (outcome.error.code === 'network') this.lostAt.set(entry.id, this.options.now());
        this.scheduleRetry(entry, outcome.retryAfterMs);
        return { status: 'queued', reason: 'retrying', error: outcome.error };
    }
  }

  private stopForbidden(entry: OutboxEntry, error: DeliveryError): DeliveryStatus {
    if (!this.forbidden) {
      this.forbidden = true;
      this.options.report(error); // Once, not once per event.
    }
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.options.outbox.clear(); // Every entry carries the refused key.
    return { status: 'dropped', reason: 'forbidden', error };
  }

  private dropForbidden(entry: OutboxEntry): DeliveryStatus {
    this.options.outbox.remove(entry.id);
    return {
      status: 'dropped',
      reason: 'forbidden',
      error: new DeliveryError('forbidden', 'Not sent: the API key was refused (403) earlier', { event: entry.event }),
    };
  }

  private backoffMs(attempts: number, retryAfterMs: number | undefined): number {
    const { retryBaseMs = 1000, retryMaxMs = 60_000, random = Math.random } = this.options;
    const exponential = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempts - 1));
    // Full jitter over the upper half keeps many clients from retrying in step.
    const delay = exponential / 2 + (random() * exponential) / 2;
    return retryAfterMs === undefined ? delay : Math.max(retryAfterMs, delay);
  }

  private scheduleRetry(entry: OutboxEntry, retryAfterMs: number | undefined): void {
    const delay = this.backoffMs(entry.attempts, retryAfterMs);
    this.options.outbox.patch(entry.id, { lease: this.options.now() + delay + LEASE_MS });
    clearTimeout(this.timers.get(entry.id));
    this.timers.set(
      entry.id,
      setTimeout(() => {
        this.timers.delete(entry.id);
        // Unless it left the outbox meanwhile (dropped from a full queue, or flushed on exit).
        if (this.options.outbox.entries().some((e) => e.id === entry.id)) void this.attempt(entry);
      }, delay),
    );
  }

  /** Sends what no tab holds: entries left by earlier pages, or released on unload. */
  pump(): void {
    if (this.forbidden || isOffline()) return;
    for (const entry of this.options.outbox.claim(LEASE_MS)) void this.attempt(entry);
  }

  /** After coming back online, retry at once instead of waiting out the backoff. */
  retryNow(): void {
    const held = [...this.timers.keys()];
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.options.outbox.release(held);
    this.pump();
  }

  /** Resolves when nothing of this tab is in flight or waiting (bounded by `timeoutMs`). */
  async settled(timeoutMs = 10_000): Promise<void> {
    const deadline = this.options.now() + timeoutMs;
    while ((this.inflight.size > 0 || this.timers.size > 0) && this.options.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * The page is going away (or may be frozen): beacon what waits, within the
   * keepalive budget, and release the rest for the next page load.
   */
  flushOnExit(): void {
    const { outbox, now } = this.options;
    const held = new Set([...this.timers.keys(), ...this.inflight]);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.forbidden) return;
    for (const entry of outbox.entries()) {
      // Another tab's, or handed over already: an unload fires both visibilitychange and pagehide.
      if (!held.has(entry.id) && (entry.lease > now() || entry.unconfirmed)) continue;
      // A keepalive fetch in flight survives the page, but its answer will not be seen; nor a beacon's.
      // Nor one that just failed: a navigation fails the old page's keepalive fetch while the request goes on.
      const flying = this.inflight.has(entry.id) || now() - (this.lostAt.get(entry.id) ?? -JUST_LOST_MS) < JUST_LOST_MS;
      if (flying || (!isOffline() && entry.url.length <= budget && sendBeacon(entry.url))) {
        if (!flying) budget -= entry.url.length;
        if (entry.event === 'page_view') outbox.remove(entry.id);
        else outbox.patch(entry.id, { lease: 0, unconfirmed: true });
      } else outbox.patch(entry.id, { lease: 0 });
    }
  }

  /** The page came back (bfcache, tab shown): pick up where it left off. */
  resume(): void {
    budget = BEACON_BUDGET_BYTES;
    this.pump();
  }
}
