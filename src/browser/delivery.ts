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
import { BEACONED, LEASE_MS, Sender, isOffline, type DeliveryStatus } from './sender.js';
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
  /** Resolves when nothing of this tab is in flight or waiting (bounded by `timeoutMs`). */
  settled(timeoutMs?: number): Promise<void>;
  /** Follows the page: hand over on the way out (hidden, pagehide), pick up when shown again, retry once back online. */
  watchPage(): void;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  return new BrowserDelivery(options);
}

class BrowserDelivery implements Delivery {
  private readonly _outbox: Outbox;
  private readonly _now: () => number;
  private readonly _locks: LockManagerLike | undefined;
  private readonly _sender: Sender;
  private readonly _followNavigation = createNavigationWatch();
  private _budget: KeepaliveBudget | undefined;
  /** A take of waiting entries asked for the outbox's lock and did not get it yet. */
  private _taking = false;
  /** Claims asked for and not answered yet. */
  private readonly _deciding = new Set<Promise<boolean>>();

  constructor(private readonly _options: DeliveryOptions) {
    this._outbox = _options.outbox;
    this._now = _options.now;
    this._locks = 'locks' in _options ? _options.locks : browserLocks();
    this._budget = _options.budget;
    this._sender = new Sender({
      outbox: this._outbox,
      now: this._now,
      report: _options.report,
      useBeacon: (event) => this._useBeacon(event),
      retryBaseMs: _options.retryBaseMs ?? 1000,
      retryMaxMs: _options.retryMaxMs ?? 60_000,
      random: _options.random ?? Math.random,
    });
  }

  /** Orders want a confirmed delivery, which only fetch can give. */
  private _useBeacon(event: EventName): boolean {
    const { transport } = this._options;
    return transport !== 'fetch' && (transport === 'beacon' || event === 'page_view');
  }

  async send(event: EventToSend): Promise<DeliveryStatus> {
    const sender = this._sender;
    if (sender.forbidden) return sender.stop(event.event);
    const claiming = event.orderId !== undefined && this._options.claims !== undefined;
    if (!claiming && this._useBeacon(event.event) && !isOffline() && sendBeacon(event.url)) return BEACONED;
    // Stored already counting this attempt and held by this tab: one storage write, not two.
    const state = { attempts: 1, lease: this._now() + LEASE_MS, ...(claiming && { claimFirst: true as const }) };
    const entry = this._outbox.add(event, state);
    if (!entry) {
      const error = new DropError('queue_full', 'The delivery queue is full', { event: event.event });
      return { status: 'dropped', reason: 'queue_full', error };
    }
    return claiming ? this._claimThenAttempt(entry, true) : sender.attempt(entry, true);
  }

  /** Claims a stored order entry's id, then sends it. `first`: stored just now by `send`, counting this attempt. */
  private async _claimThenAttempt(entry: OutboxEntry, first: boolean): Promise<DeliveryStatus> {
    const claims = this._options.claims?.();
    if (!claims || entry.orderId === undefined) return this._drop(entry, 'consent_denied');
    const claiming = claims.claim(entry.orderId, entry.id);
    this._deciding.add(claiming);
    this._followNavigation(claims);
    const won = await claiming;
    this._deciding.delete(claiming);
    this._followNavigation(claims);
    if (!won) return this._drop(entry, 'duplicate');
    // Consent withdrawn while the claim was decided: what was not sent yet is not sent.
    if (this._options.claims?.() !== claims) return this._drop(entry, 'consent_denied');
    if (!first || !this._useBeacon(entry.event) || isOffline() || !sendBeacon(entry.url)) {
      return this._sender.attempt(entry, first);
    }
    this._outbox.remove(entry.id);
    return BEACONED;
  }

  private _drop(entry: OutboxEntry, reason: 'duplicate' | 'consent_denied'): DeliveryStatus {
    this._outbox.remove(entry.id);
    const { event } = entry;
    const error =
      reason === 'duplicate'
        ? new DropError('duplicate', 'order_id already sent from this browser', { event, field: 'order_id' })
        : new DropError('consent_denied', 'Consent was withdrawn', { event });
    return { status: 'dropped', reason, error };
  }

  sendWaiting(): void {
    if (this._taking || this._sender.forbidden || isOffline()) return;
    const locks = this._locks;
    if (!locks) {
      this._takeAndSend();
      return;
    }
    this._taking = true;
    const take = (): void => {
      if (!this._taking) return;
      this._taking = false;
      this._takeAndSend();
    };
    // Held a moment after taking, so the next tab to take reads this one's leases.
    locks.request(TAKE_LOCK, () => (take(), propagated())).catch(take);
  }

  private _takeAndSend(): void {
    if (this._sender.forbidden || isOffline()) return;
    const order = this._options.claims !== undefined;
    for (const entry of this._outbox.takeWaiting(LEASE_MS)) {
      void (entry.claimFirst && order ? this._claimThenAttempt(entry, false) : this._sender.attempt(entry));
    }
  }

  async settled(timeoutMs = 10_000): Promise<void> {
    const deadline = this._now() + timeoutMs;
    // An order whose claim is being decided (waiting for the lock, too) is not in flight yet, but is this tab's to send.
    const busy = () => this._taking || this._deciding.size > 0 || this._sender.busy();
    while (busy() && this._now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  watchPage(): void {
    this._budget ??= keepaliveBudgetOf(window);
    window.addEventListener('pagehide', () => this._exit());
    window.addEventListener('pageshow', () => this._resume());
    // After coming back online, retry at once instead of waiting out the backoff.
    window.addEventListener('online', () => {
      this._outbox.release(this._sender.cancelRetries());
      this.sendWaiting();
    });
    document.addEventListener('visibilitychange', () =>
      document.visibilityState === 'hidden' ? this._exit() : this._resume(),
    );
  }

  /**
   * The page goes away: claims still waiting are decided now, and their
   * orders leave (in this task's microtasks, before anything else is handed
   * over, so the hand-over sees them in flight).
   */
  private _exit(): void {
    this._options.claims?.()?.settleAll();
    this._options.beforeExit?.();
    const handOver = () => handOverOnExit(this._outbox, this._sender, this._budget, this._now);
    if (this._deciding.size === 0) handOver();
    else void Promise.all(this._deciding).then(handOver);
  }

  /** The page came back (back-forward cache, tab shown): pick up where it left off. */
  private _resume(): void {
    this._budget?.refill();
    this.sendWaiting();
  }
}
