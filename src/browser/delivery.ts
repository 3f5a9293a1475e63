/**
 * Moves outbox entries to the network and decides each one's fate:
 * confirmed (removed), handed over to a beacon (removed; orders kept as
 * unconfirmed for one more try on the next page load), retried later with
 * backoff, or failed for good (400, 403). Waits while the browser is offline
 * and tries again on `online`; on `pagehide` or a hidden page it beacons what
 * is left within the page's keepalive budget. What counts as delivered, and
 * how long to wait, is the shared policy's (`core/policy.ts`).
 *
 * Guarantees, by transport:
 * - fetch: delivery is confirmed by the status; a confirmed event is never resent.
 * - beacon: the browser only says it queued the request. A page view handed to
 *   a beacon is done (at most once); an order is resent once more on the next
 *   page load (at least once, same data, so the server can de-duplicate).
 *
 * An order is claimed before it is sent (`claim`: once per order id in this
 * browser, under the id's Web Lock, which answers in a later task). It waits
 * in the outbox meanwhile, marked `claim`: a page that dies first leaves it
 * for the next page load, which claims it again (its own claim holds) and
 * sends it. When a navigation begins (`beforeunload`) while a claim waits,
 * the claim is decided at once within the tab and the order leaves in the
 * navigation's own task: Chromium can lose a beacon sent after a navigation
 * began and before `pagehide` (test/browser/unload.test.ts shows it), never
 * one sent from `beforeunload`. The listener is there only while a claim
 * waits, as Firefox keeps no page with one in its back-forward cache.
 */
import { deliveryError } from '../core/delivery-error.js';
import { DropError, type SymbiosysError } from '../core/errors.js';
import { backoff } from '../core/policy.js';
import type { ClaimSettler } from './dedupe.js';
import { keepaliveBudgetOf, type KeepaliveBudget } from './keepalive-budget.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { sendBeacon, sendFetch, type Transport } from './transport.js';

export type DeliveryStatus =
  | { status: 'sent'; transport: 'fetch' | 'beacon'; confirmed: boolean }
  | { status: 'queued'; reason: 'retrying' | 'offline'; error?: SymbiosysError }
  | { status: 'dropped'; reason: 'rejected' | 'forbidden' | 'queue_full' | 'duplicate'; error: SymbiosysError };

export interface DeliveryOptions {
  transport: Transport;
  outbox: Outbox;
  now: () => number;
  report: (error: SymbiosysError) => void;
  /** First retry delay; doubles each attempt, with jitter. @default 1000 */
  retryBaseMs?: number | undefined;
  /** @default 60_000 */
  retryMaxMs?: number;
  random?: () => number;
  /** The page's keepalive budget. @default the window's own */
  budget?: KeepaliveBudget;
  /**
   * Runs first when the page goes away (hidden, pagehide): what was kept for
   * later is done now (orders waiting for their claim are sent, the session
   * stamp is written).
   */
  beforeExit?: () => void;
  /** How many orders wait for their claim: `settled` waits for them. */
  pending?: () => number;
  /** Decides at once, within the tab, the claims still waiting for their lock (`SentOrders.settleClaims`). */
  settleClaims?: () => void;
  /** Claims an order entry's id for this entry (`SentOrders.claim`); without it, orders are sent unclaimed. */
  claim?: (entry: OutboxEntry, settle: ClaimSettler) => void;
}

/** How long a tab holds an entry it is sending or waiting to retry. */
const LEASE_MS = 30_000;
/** A fetch that failed this recently before an unload may have been cut by the navigation itself. */
const JUST_LOST_MS = 2000;

/** What a beacon the browser took comes to: sent, with no way to know more. */
const BEACONED: DeliveryStatus = { status: 'sent', transport: 'beacon', confirmed: false };

/** Whether the Event API answered the request: sent and confirmed, or refused. */
const answered = (status: DeliveryStatus): boolean =>
  status.status === 'sent' ? status.confirmed : status.reason === 'rejected' || status.reason === 'forbidden';

function isOffline(): boolean {
  // No navigator at all (server-side rendering) is not offline: nothing is sent there anyway.
  return (globalThis.navigator as Navigator | undefined)?.onLine === false;
}

/** What the client asks of delivery. */
export interface Delivery {
  /**
   * A new event. A beacon that the browser takes needs no storage at all (its
   * fate is unknowable anyway); anything else is stored first, so a crash, a
   * reload or a failure loses nothing, then fetched.
   */
  send(entry: OutboxEntry): Promise<DeliveryStatus>;
  /** Sends what no tab holds: entries left by earlier pages, or released on unload. */
  sendWaiting(): void;
  /** Resolves when nothing of this tab is in flight or waiting (bounded by `timeoutMs`). */
  settled(timeoutMs?: number): Promise<void>;
  /** Follows the page: beacon on the way out (hidden, pagehide), pick up when shown again, retry once back online. */
  watchPage(): void;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const { transport, outbox, now, report, retryBaseMs = 1000, retryMaxMs = 60_000, random = Math.random } = options;
  const inflight = new Set<string>();
  /** When each entry's last fetch failed with no answer. */
  const lostAt = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let budget = options.budget;
  let forbidden = false;

  // Orders want a confirmed delivery, which only fetch can give.
  const useBeacon = (entry: OutboxEntry): boolean =>
    transport !== 'fetch' && (transport === 'beacon' || entry.event === 'page_view');

  const send = async (entry: OutboxEntry): Promise<DeliveryStatus> => {
    if (forbidden) return stopSending(entry);
    const claiming = entry.orderId !== undefined && options.claim !== undefined;
    if (!claiming && !isOffline() && useBeacon(entry) && sendBeacon(entry.url)) return BEACONED;
    // Stored already counting this attempt and held by this tab: one storage write, not two.
    const stored: OutboxEntry = { ...entry, attempts: 1, lease: now() + LEASE_MS, ...(claiming && { claim: true }) };
    if (!outbox.add(stored)) {
      return {
        status: 'dropped',
        reason: 'queue_full',
        error: new DropError('queue_full', 'The delivery queue is full', { event: entry.event }),
      };
    }
    return claiming ? claimThenAttempt(entry, true) : attempt(entry, true);
  };

  /**
   * Claims a stored order entry's id, then sends it; drops it when the id is
   * another entry's. `first`: stored just now by `send`, counting this attempt.
   */
  const claimThenAttempt = (entry: OutboxEntry, first: boolean): Promise<DeliveryStatus> =>
    new Promise((resolve) => {
      watchNavigation(true);
      options.claim?.(entry, (claimed, keepLockUntil) => {
        watchNavigation((options.pending?.() ?? 0) > 0);
        if (!claimed) {
          outbox.remove(entry.id);
          const error = new DropError('duplicate', 'order_id already sent from this browser', {
            event: entry.event,
            field: 'order_id',
          });
          resolve({ status: 'dropped', reason: 'duplicate', error });
          return;
        }
        const beaconed = first && !isOffline() && useBeacon(entry) && sendBeacon(entry.url);
        if (beaconed) outbox.remove(entry.id);
        const status = beaconed ? Promise.resolve(BEACONED) : attempt(entry, first);
        resolve(status);
        keepLockUntil(status.then(answered, () => false));
      });
    });

  const navigationBegins = (): void => options.settleClaims?.();
  /**
   * Listens for `beforeunload` while claims wait, and only then (see the
   * module's doc). Adding the same listener twice, or removing one that is
   * not there, changes nothing, so no flag tracks it.
   */
  const watchNavigation = (on: boolean): void => {
    if (typeof window === 'undefined') return;
    if (on) window.addEventListener('beforeunload', navigationBegins);
    else window.removeEventListener('beforeunload', navigationBegins);
  };

  /** Sends one entry now (it must be held by this tab) and settles its fate. */
  const attempt = async (entry: OutboxEntry, stored = false): Promise<DeliveryStatus> => {
    const { id } = entry;
    if (forbidden) return stopSending(entry);
    if (isOffline()) {
      outbox.patch(id, { lease: 0 });
      return { status: 'queued', reason: 'offline' };
    }
    if (!stored && useBeacon(entry) && sendBeacon(entry.url)) {
      outbox.remove(id);
      return BEACONED;
    }
    // A refused beacon (over budget) falls back to fetch rather than being dropped.
    const attempts = entry.attempts + 1;
    if (!stored) outbox.patch(id, { attempts, lease: now() + LEASE_MS });
    inflight.add(id);
    const { error, retryAfterMs } = await sendFetch(entry.url, entry.event).finally(() => inflight.delete(id));
    lostAt.delete(id);
    if (error?.code === 'network' || error?.code === 'server_error') {
      if (error.code === 'network') lostAt.set(id, now());
      retryLater({ ...entry, attempts }, retryAfterMs);
      return { status: 'queued', reason: 'retrying', error };
    }
    if (error?.code === 'forbidden') return stopSending(entry, error);
    outbox.remove(id);
    if (!error) return { status: 'sent', transport: 'fetch', confirmed: true };
    report(error);
    return { status: 'dropped', reason: 'rejected', error };
  };

  /**
   * A 403 refused the API key, and every entry carries it: nothing is sent
   * any more, and the outbox is emptied. Reported once, not once per event.
   */
  const stopSending = (
    entry: OutboxEntry,
    error = deliveryError('forbidden', 403, '', { event: entry.event }),
  ): DeliveryStatus => {
    if (!forbidden) report(error);
    forbidden = true;
    cancelRetries();
    outbox.clear();
    return { status: 'dropped', reason: 'forbidden', error };
  };

  /** Stops every waiting retry; gives the ids of the entries that waited. */
  const cancelRetries = (): string[] => {
    const ids = [...timers.keys()];
    timers.forEach((timer) => clearTimeout(timer));
    timers.clear();
    return ids;
  };

  const retryLater = (entry: OutboxEntry, retryAfterMs: number | undefined): void => {
    const { id } = entry;
    const delay = backoff(entry.attempts, { baseMs: retryBaseMs, maxMs: retryMaxMs, random }, retryAfterMs);
    outbox.patch(id, { lease: now() + delay + LEASE_MS });
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => {
        timers.delete(id);
        // Unless it left the outbox meanwhile (dropped from a full queue, or handed over on exit).
        if (outbox.has(id)) void attempt(entry);
      }, delay),
    );
  };

  const sendWaiting = (): void => {
    if (forbidden || isOffline()) return;
    for (const entry of outbox.leaseWaiting(LEASE_MS)) {
      void (entry.claim && options.claim ? claimThenAttempt(entry, false) : attempt(entry));
    }
  };

  /**
   * The page is going away (or may be frozen): beacon what waits, within the
   * keepalive budget, and release the rest for the next page load.
   */
  const handOverOnExit = (): void => {
    options.beforeExit?.();
    const held = new Set([...cancelRetries(), ...inflight]);
    if (forbidden) return;
    for (const { id, url, event, lease, unconfirmed } of outbox.entries()) {
      // Another tab's, or handed over already: an unload fires both visibilitychange and pagehide.
      if (!held.has(id) && (lease > now() || unconfirmed)) continue;
      // A keepalive fetch in flight survives the page, but its answer will not be seen; nor a beacon's.
      // Nor one that just failed: a navigation fails the old page's keepalive fetch while the request goes on.
      const stillFlying = inflight.has(id) || now() - (lostAt.get(id) ?? -JUST_LOST_MS) < JUST_LOST_MS;
      const beaconed = !stillFlying && !isOffline() && budget?.fits(url.length) === true && sendBeacon(url);
      if (beaconed) budget?.spend(url.length);
      if (!stillFlying && !beaconed) outbox.patch(id, { lease: 0 });
      // Handed over: a page view is done (at most once); an order is resent on the next load (at least once).
      else if (event === 'page_view') outbox.remove(id);
      else outbox.patch(id, { lease: 0, unconfirmed: true });
    }
  };

  /** The page came back (back-forward cache, tab shown): pick up where it left off. */
  const resume = (): void => {
    budget?.refill();
    sendWaiting();
  };

  return {
    send,
    sendWaiting,
    async settled(timeoutMs = 10_000) {
      const deadline = now() + timeoutMs;
      const busy = () => inflight.size > 0 || timers.size > 0 || (options.pending?.() ?? 0) > 0;
      while (busy() && now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    watchPage() {
      budget ??= keepaliveBudgetOf(window);
      window.addEventListener('pagehide', handOverOnExit);
      window.addEventListener('pageshow', resume);
      // After coming back online, retry at once instead of waiting out the backoff.
      window.addEventListener('online', () => {
        outbox.release(cancelRetries());
        sendWaiting();
      });
      document.addEventListener('visibilitychange', () =>
        document.visibilityState === 'hidden' ? handOverOnExit() : resume(),
      );
    },
  };
}
