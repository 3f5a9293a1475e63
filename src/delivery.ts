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
import { sendBeacon, sendFetch, type Transport } from './transport.js';

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
  retryBaseMs?: number | undefined;
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

/** What a beacon the browser took comes to: sent, with no way to know more. */
const BEACONED: DeliveryStatus = { status: 'sent', transport: 'beacon', confirmed: false };

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

export class Delivery {
  private readonly outbox: Outbox;
  private readonly now: () => number;
  private readonly inflight = new Set<string>();
  /** When each entry's last fetch failed with no answer. */
  private readonly lostAt = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private forbidden = false;

  constructor(private readonly options: DeliveryOptions) {
    this.outbox = options.outbox;
    this.now = options.now;
  }

  private useBeacon(entry: OutboxEntry): boolean {
    const { transport } = this.options;
    // Orders want a confirmed delivery, which only fetch can give.
    return transport !== 'fetch' && (transport === 'beacon' || entry.event === 'page_view');
  }

  /**
   * A new event. A beacon that the browser takes needs no storage at all (its
   * fate is unknowable anyway); anything else is stored first, so a crash, a
   * reload or a failure loses nothing, then fetched.
   */
  async send(entry: OutboxEntry): Promise<DeliveryStatus> {
    if (this.forbidden) return this.forbid(entry);
    if (!isOffline() && this.useBeacon(entry) && sendBeacon(entry.url)) return BEACONED;
    // Stored already counting this attempt and held by this tab: one storage write, not two.
    if (!this.outbox.add({ ...entry, attempts: 1, lease: this.now() + LEASE_MS })) {
      return { status: 'dropped', reason: 'queue_full', error: new DropError('queue_full', 'The delivery queue is full', { event: entry.event }) };
    }
    return this.attempt(entry, true);
  }

  /** Sends one entry now (it must be held by this tab) and settles its fate. */
  async attempt(entry: OutboxEntry, stored = false): Promise<DeliveryStatus> {
    const { id } = entry;
    if (this.forbidden) return this.forbid(entry);
    if (isOffline()) {
      this.outbox.patch(id, { lease: 0 });
      return { status: 'queued', reason: 'offline' };
    }
    if (!stored && this.useBeacon(entry) && sendBeacon(entry.url)) {
      this.outbox.remove(id);
      return BEACONED;
    }
    // A refused beacon (over budget) falls back to fetch rather than being dropped.
    const attempts = entry.attempts + 1;
    if (!stored) this.outbox.patch(id, { attempts, lease: this.now() + LEASE_MS });
    this.inflight.add(id);
    const { error, retryAfterMs } = await sendFetch(entry.url, entry.event).finally(() => this.inflight.delete(id));
    this.lostAt.delete(id);
    if (error?.code === 'network' || error?.code === 'server_error') {
      if (error.code === 'network') this.lostAt.set(id, this.now());
      this.retryLater({ ...entry, attempts }, retryAfterMs);
      return { status: 'queued', reason: 'retrying', error };
    }
    if (error?.code === 'forbidden') return this.forbid(entry, error);
    this.outbox.remove(id);
    if (!error) return { status: 'sent', transport: 'fetch', confirmed: true };
    this.options.report(error);
    return { status: 'dropped', reason: 'rejected', error };
  }

  /**
   * A 403 refused the API key, and every entry carries it: nothing is sent
   * any more, and the outbox is emptied. Reported once, not once per event.
   */
  private forbid(
    entry: OutboxEntry,
    error = new DeliveryError('forbidden', 'Not sent: the API key was refused (403) earlier', { event: entry.event }),
  ): DeliveryStatus {
    if (!this.forbidden) this.options.report(error);
    this.forbidden = true;
    this.cancelRetries();
    this.outbox.clear();
    return { status: 'dropped', reason: 'forbidden', error };
  }

  /** Stops every waiting retry; gives the ids of the entries that waited. */
  private cancelRetries(): string[] {
    const ids = [...this.timers.keys()];
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    return ids;
  }

  private retryLater(entry: OutboxEntry, retryAfterMs: number | undefined): void {
    const { retryBaseMs = 1000, retryMaxMs = 60_000, random = Math.random } = this.options;
    const exponential = Math.min(retryMaxMs, retryBaseMs * 2 ** (entry.attempts - 1));
    // Full jitter over the upper half keeps many clients from retrying in step.
    const delay = Math.max(retryAfterMs ?? 0, exponential / 2 + (random() * exponential) / 2);
    this.outbox.patch(entry.id, { lease: this.now() + delay + LEASE_MS });
    clearTimeout(this.timers.get(entry.id));
    this.timers.set(
      entry.id,
      setTimeout(() => {
        this.timers.delete(entry.id);
        // Unless it left the outbox meanwhile (dropped from a full queue, or flushed on exit).
        if (this.outbox.entries().some((e) => e.id === entry.id)) void this.attempt(entry);
      }, delay),
    );
  }

  /** Sends what no tab holds: entries left by earlier pages, or released on unload. */
  pump(): void {
    if (this.forbidden || isOffline()) return;
    for (const entry of this.outbox.claim(LEASE_MS)) void this.attempt(entry);
  }

  /** After coming back online, retry at once instead of waiting out the backoff. */
  retryNow(): void {
    this.outbox.release(this.cancelRetries());
    this.pump();
  }

  /** Resolves when nothing of this tab is in flight or waiting (bounded by `timeoutMs`). */
  async settled(timeoutMs = 10_000): Promise<void> {
    const deadline = this.now() + timeoutMs;
    while ((this.inflight.size > 0 || this.timers.size > 0) && this.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * The page is going away (or may be frozen): beacon what waits, within the
   * keepalive budget, and release the rest for the next page load.
   */
  flushOnExit(): void {
    const { outbox, now, inflight } = this;
    const held = new Set([...this.cancelRetries(), ...inflight]);
    if (this.forbidden) return;
    for (const { id, url, event, lease, unconfirmed } of outbox.entries()) {
      // Another tab's, or handed over already: an unload fires both visibilitychange and pagehide.
      if (!held.has(id) && (lease > now() || unconfirmed)) continue;
      // A keepalive fetch in flight survives the page, but its answer will not be seen; nor a beacon's.
      // Nor one that just failed: a navigation fails the old page's keepalive fetch while the request goes on.
      const flying = inflight.has(id) || now() - (this.lostAt.get(id) ?? -JUST_LOST_MS) < JUST_LOST_MS;
      const beaconed = !flying && !isOffline() && url.length <= budget && sendBeacon(url);
      if (beaconed) budget -= url.length;
      if (!flying && !beaconed) outbox.patch(id, { lease: 0 });
      // Handed over: a page view is done (at most once); an order is resent on the next load (at least once).
      else if (event === 'page_view') outbox.remove(id);
      else outbox.patch(id, { lease: 0, unconfirmed: true });
    }
  }

  /** Follows the page: beacon on the way out (hidden, pagehide), pick up when shown again, retry once back online. */
  followPage(): void {
    const exit = () => this.flushOnExit();
    const resume = () => this.resume();
    window.addEventListener('pagehide', exit);
    window.addEventListener('pageshow', resume);
    window.addEventListener('online', () => this.retryNow());
    document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? exit() : resume()));
  }

  /** The page came back (bfcache, tab shown): pick up where it left off. */
  resume(): void {
    budget = BEACON_BUDGET_BYTES;
    this.pump();
  }
}
