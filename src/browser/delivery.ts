/**
 * Moves events to the network. A new event goes by beacon when it can (a page
 * view in `auto`: its fate is unknowable anyway, so it needs no storage);
 * anything else is stored in the outbox first, so a crash, a reload or a
 * failure loses nothing, then sent (`sender.ts`: send and retry). Waits while
 * the browser is offline and tries again on `online`; on `pagehide` or a
 * hidden page it hands over what it holds (`exit-handover.ts`).
 *
 * Guarantees, by transport:
 * - fetch: delivery is confirmed by the status; a confirmed event is never resent.
 * - beacon: the browser only says it queued the request. A page view handed to
 *   a beacon is done (at most once); an order is resent once more on the next
 *   page load (at least once, same data, so the server can de-duplicate).
 *
 * An order is claimed before it is sent (`order-claims.ts`: once per order id
 * in this browser, under the id's Web Lock, which answers in a later task).
 * It waits in the outbox meanwhile, marked `claimFirst`: a page that dies
 * first leaves it for the next page load, which claims it again (its own
 * claim holds) and sends it. A navigation beginning decides waiting claims at
 * once (`navigation-watch.ts`).
 *
 * Entries left by earlier pages (or released by other tabs) are taken under
 * the outbox's Web Lock: taking is a read, then a write, and two tabs taking
 * at the same moment must not both send an entry.
 */
import { DropError } from '../core/errors.js';
import type { EventName } from '../core/fields.js';
import { handOverOnExit } from './exit-handover.js';
import { keepaliveBudgetOf, type KeepaliveBudget } from './keepalive-budget.js';
import { createNavigationWatch } from './navigation-watch.js';
import type { Claims } from './order-claims.js';
import { OUTBOX_PREFIX, type EventToSend, type Outbox, type OutboxEntry } from './outbox.js';
import { BEACONED, LEASE_MS, createSender, isOffline, type DeliveryStatus } from './sender.js';
import type { SymbiosysError } from '../core/errors.js';
import { browserLocks, propagated, type LockManagerLike } from './tab-locks.js';
import { sendBeacon, type Transport } from './transport.js';

export type { DeliveryStatus } from './sender.js';

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
   * The order claims in force; none while consent is withdrawn, when an
   * order is not sent. Without the option, orders are sent unclaimed.
   */
  claims?: () => Claims | undefined;
  /** Runs when the page goes away (hidden, pagehide), once waiting claims are decided: write what was held back. */
  beforeExit?: () => void;
  /** Web Locks for taking waiting entries; without them, taking is atomic within the tab only. @default navigator.locks */
  locks?: LockManagerLike | undefined;
}

/** The Web Lock under which a tab takes waiting entries. */
const TAKE_LOCK = OUTBOX_PREFIX;

/** What the client asks of delivery. */
export interface Delivery {
  /** A new event: beaconed, or stored and sent. */
  send(event: EventToSend): Promise<DeliveryStatus>;
  /** Sends what no tab holds: entries left by earlier pages, or released on unload. */
  sendWaiting(): void;
  /** Resolves when nothing of this tab is in flight or waiting (bounded by `timeoutMs`), its removals written. */
  settled(timeoutMs?: number): Promise<void>;
  /** Follows the page: hand over on the way out (hidden, pagehide), pick up when shown again, retry once back online. */
  watchPage(): void;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const { transport, outbox, now } = options;
  const locks = 'locks' in options ? options.locks : browserLocks();
  // Orders want a confirmed delivery, which only fetch can give.
  const useBeacon = (event: EventName): boolean =>
    transport !== 'fetch' && (transport === 'beacon' || event === 'page_view');
  const sender = createSender({
    outbox,
    now,
    report: options.report,
    useBeacon,
    retryBaseMs: options.retryBaseMs ?? 1000,
    retryMaxMs: options.retryMaxMs ?? 60_000,
    random: options.random ?? Math.random,
  });
  const navigation = createNavigationWatch();
  let budget = options.budget;
  /** A take of waiting entries asked for the outbox's lock and did not get it yet. */
  let taking = false;
  /** Claims asked for and not answered yet. */
  const deciding = new Set<Promise<boolean>>();

  const dropped = (entry: OutboxEntry, reason: 'duplicate' | 'consent_denied'): DeliveryStatus => {
    outbox.remove(entry.id);
    const error =
      reason === 'duplicate'
        ? new DropError('duplicate', 'order_id already sent from this browser', {
            event: entry.event,
            field: 'order_id',
          })
        : new DropError('consent_denied', 'Consent was withdrawn before the order was sent', { event: entry.event });
    return { status: 'dropped', reason, error };
  };

  /** Claims a stored order entry's id, then sends it. `first`: stored just now by `send`, counting this attempt. */
  const claimThenAttempt = async (entry: OutboxEntry, first: boolean): Promise<DeliveryStatus> => {
    const claims = options.claims?.();
    if (!claims || entry.orderId === undefined) return dropped(entry, 'consent_denied');
    const claiming = claims.claim(entry.orderId, entry.id);
    deciding.add(claiming);
    navigation.follow(claims);
    const won = await claiming;
    deciding.delete(claiming);
    navigation.follow(claims);
    if (!won) return dropped(entry, 'duplicate');
    if (!first || isOffline() || !useBeacon(entry.event) || !sendBeacon(entry.url)) return sender.attempt(entry, first);
    outbox.remove(entry.id);
    return BEACONED;
  };

  const send = async (event: EventToSend): Promise<DeliveryStatus> => {
    if (sender.forbidden) return sender.stop(event.event);
    const claiming = event.orderId !== undefined && options.claims !== undefined;
    if (!claiming && !isOffline() && useBeacon(event.event) && sendBeacon(event.url)) return BEACONED;
    // Stored already counting this attempt and held by this tab: one storage write, not two.
    const entry = outbox.add(event, { attempts: 1, lease: now() + LEASE_MS, ...(claiming && { claimFirst: true }) });
    if (!entry) {
      const error = new DropError('queue_full', 'The delivery queue is full', { event: event.event });
      return { status: 'dropped', reason: 'queue_full', error };
    }
    return claiming ? claimThenAttempt(entry, true) : sender.attempt(entry, true);
  };

  const takeAndSend = (): void => {
    if (sender.forbidden || isOffline()) return;
    for (const entry of outbox.takeWaiting(LEASE_MS)) {
      void (entry.claimFirst && options.claims ? claimThenAttempt(entry, false) : sender.attempt(entry));
    }
  };

  const sendWaiting = (): void => {
    if (taking || sender.forbidden || isOffline()) return;
    if (!locks) {
      takeAndSend();
      return;
    }
    taking = true;
    const take = (): void => {
      if (!taking) return;
      taking = false;
      takeAndSend();
    };
    // Held a moment after taking, so the next tab to take reads this one's leases.
    locks.request(TAKE_LOCK, () => (take(), propagated())).catch(take);
  };

  /**
   * The page goes away: claims still waiting are decided now, and their
   * orders leave (in this task's microtasks, before anything else is handed
   * over, so the hand-over sees them in flight).
   */
  const exit = (): void => {
    options.claims?.()?.settleAll();
    options.beforeExit?.();
    const handOver = () => handOverOnExit({ outbox, sender, budget, now });
    if (deciding.size === 0) handOver();
    else void Promise.all(deciding).then(handOver);
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
      const busy = () => taking || sender.busy() || (options.claims?.()?.waiting() ?? 0) > 0;
      while (busy() && now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      outbox.writeRemovals();
    },
    watchPage() {
      budget ??= keepaliveBudgetOf(window);
      window.addEventListener('pagehide', exit);
      window.addEventListener('pageshow', resume);
      // After coming back online, retry at once instead of waiting out the backoff.
      window.addEventListener('online', () => {
        outbox.release(sender.cancelRetries());
        sendWaiting();
      });
      document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? exit() : resume()));
    },
  };
}
