/**
 * Send and retry: sends one outbox entry this tab holds and settles its fate:
 * confirmed (removed), retried later with backoff, or failed for good (400,
 * 403). What counts as delivered, and how long to wait, is the shared
 * policy's (`core/policy.ts`).
 */
import { DeliveryError, DropError, type SymbiosysError } from '../core/errors.js';
import type { EventName } from '../core/fields.js';
import { backoff } from '../core/policy.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { sendBeacon, sendFetch } from './transport.js';

export type DeliveryStatus =
  | { status: 'sent'; transport: 'fetch' | 'beacon'; confirmed: boolean }
  | { status: 'queued'; reason: 'retrying' | 'offline'; error?: SymbiosysError }
  | {
      status: 'dropped';
      reason: 'rejected' | 'forbidden' | 'queue_full' | 'duplicate' | 'consent_denied';
      error: SymbiosysError;
    };

/** What a beacon the browser took comes to: sent, with no way to know more. */
export const BEACONED: DeliveryStatus = { status: 'sent', transport: 'beacon', confirmed: false };

/** How long a tab holds an entry it is sending or waiting to retry. */
export const LEASE_MS = 30_000;

export function isOffline(): boolean {
  // No navigator at all (server-side rendering) is not offline: nothing is sent there anyway.
  return (globalThis.navigator as Navigator | undefined)?.onLine === false;
}

export interface SenderOptions {
  outbox: Outbox;
  now: () => number;
  report: (error: SymbiosysError) => void;
  /** Whether this event goes by beacon when it can (page views in `auto`). */
  useBeacon: (event: EventName) => boolean;
  retryBaseMs: number;
  retryMaxMs: number;
  random: () => number;
}

/** Sends the entries this tab holds, one at a time each, and settles each one's fate. */
export class Sender {
  /** Entries whose request is in flight. */
  readonly inflight = new Set<string>();
  /** When each entry's last fetch failed with no answer. */
  private readonly _lostAt = new Map<string, number>();
  private readonly _timers = new Map<string, ReturnType<typeof setTimeout>>();
  private _forbidden = false;

  private readonly _outbox: Outbox;
  private readonly _now: () => number;

  constructor(private readonly _options: SenderOptions) {
    this._outbox = _options.outbox;
    this._now = _options.now;
  }

  /** A 403 refused the API key: nothing is sent any more. */
  get forbidden(): boolean {
    return this._forbidden;
  }

  /** Whether a request is in flight or a retry waits. */
  busy(): boolean {
    return this.inflight.size > 0 || this._timers.size > 0;
  }

  /** Whether the entry's last fetch failed with no answer less than `ms` ago. */
  justLost(id: string, ms: number): boolean {
    return this._now() - (this._lostAt.get(id) ?? -ms) < ms;
  }

  /** Stops every waiting retry; gives the ids of the entries that waited. */
  cancelRetries(): string[] {
    const ids = [...this._timers.keys()];
    this._timers.forEach((timer) => clearTimeout(timer));
    this._timers.clear();
    return ids;
  }

  /**
   * A 403 refused the API key, and every entry carries it: nothing is sent
   * any more, and the outbox is emptied. Reported once, not once per event.
   */
  stop(
    event: EventName,
    error: SymbiosysError = new DeliveryError('forbidden', 'The API key was refused (403)', { event }),
  ): DeliveryStatus {
    if (!this._forbidden) this._options.report(error);
    this._forbidden = true;
    this.cancelRetries();
    this._outbox.clear();
    return { status: 'dropped', reason: 'forbidden', error };
  }

  /** Sends one held entry now and settles its fate. `stored`: just stored, counting this attempt. */
  async attempt(entry: OutboxEntry, stored = false): Promise<DeliveryStatus> {
    const { id } = entry;
    const outbox = this._outbox;
    const now = this._now;
    if (this._forbidden) return this.stop(entry.event);
    if (isOffline()) {
      outbox.patch(id, { lease: 0 });
      return { status: 'queued', reason: 'offline' };
    }
    if (!stored && this._options.useBeacon(entry.event) && sendBeacon(entry.url)) {
      outbox.remove(id);
      return BEACONED;
    }
    // A refused beacon (over budget) falls back to fetch rather than being dropped.
    const attempts = stored ? entry.attempts : entry.attempts + 1;
    if (!stored) outbox.patch(id, { attempts, lease: now() + LEASE_MS });
    this.inflight.add(id);
    const { error, retryAfterMs } = await sendFetch(entry.url, entry.event).finally(() => this.inflight.delete(id));
    this._lostAt.delete(id);
    if (error?.code === 'network' || error?.code === 'server_error') {
      if (error.code === 'network') this._lostAt.set(id, now());
      this._retryLater({ ...entry, attempts }, retryAfterMs);
      return { status: 'queued', reason: 'retrying', error };
    }
    if (error?.code === 'forbidden') return this.stop(entry.event, error);
    outbox.remove(id);
    if (!error) return { status: 'sent', transport: 'fetch', confirmed: true };
    this._options.report(error);
    return { status: 'dropped', reason: 'rejected', error };
  }

  private _retryLater(entry: OutboxEntry, retryAfterMs: number | undefined): void {
    const { id } = entry;
    const { retryBaseMs, retryMaxMs, random } = this._options;
    const outbox = this._outbox;
    const delay = backoff(entry.attempts, { baseMs: retryBaseMs, maxMs: retryMaxMs, random }, retryAfterMs);
    outbox.patch(id, { lease: this._now() + delay + LEASE_MS });
    clearTimeout(this._timers.get(id));
    const retry = () => {
      this._timers.delete(id);
      if (outbox.has(id)) void this.attempt(entry);
      else if (outbox.isMine(id)) this._lost(entry);
      // Otherwise this tab let it go meanwhile (dropped from a full queue, reported then).
    };
    this._timers.set(id, setTimeout(retry, delay));
  }

  /** The entry left storage under a retry, removed by something other than this tab: said, never silent. */
  private _lost(entry: OutboxEntry): void {
    this._outbox.remove(entry.id);
    const message = `An undelivered ${entry.event} left storage before its retry`;
    this._options.report(new DropError('lost', message, { event: entry.event }));
  }
}
