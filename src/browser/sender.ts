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

export interface Sender {
  /** Sends one held entry now and settles its fate. `stored`: just stored, counting this attempt. */
  attempt(entry: OutboxEntry, stored?: boolean): Promise<DeliveryStatus>;
  /** A 403 refused the API key: nothing is sent any more, the outbox is emptied, and it is reported once. */
  stop(event: EventName, error?: SymbiosysError): DeliveryStatus;
  readonly forbidden: boolean;
  /** Entries whose request is in flight. */
  readonly inflight: ReadonlySet<string>;
  /** Whether the entry's last fetch failed with no answer less than `ms` ago. */
  justLost(id: string, ms: number): boolean;
  /** Stops every waiting retry; gives the ids of the entries that waited. */
  cancelRetries(): string[];
  /** Whether a request is in flight or a retry waits. */
  busy(): boolean;
}

export function createSender(options: SenderOptions): Sender {
  const { outbox, now, report, useBeacon } = options;
  const inflight = new Set<string>();
  /** When each entry's last fetch failed with no answer. */
  const lostAt = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let forbidden = false;

  const cancelRetries = (): string[] => {
    const ids = [...timers.keys()];
    timers.forEach((timer) => clearTimeout(timer));
    timers.clear();
    return ids;
  };

  /**
   * A 403 refused the API key, and every entry carries it: nothing is sent
   * any more, and the outbox is emptied. Reported once, not once per event.
   */
  const stop = (
    event: EventName,
    error: SymbiosysError = new DeliveryError('forbidden', 'The API key was refused (403)', { event }),
  ): DeliveryStatus => {
    if (!forbidden) report(error);
    forbidden = true;
    cancelRetries();
    outbox.clear();
    return { status: 'dropped', reason: 'forbidden', error };
  };

  const retryLater = (entry: OutboxEntry, retryAfterMs: number | undefined): void => {
    const { id } = entry;
    const delay = backoff(
      entry.attempts,
      { baseMs: options.retryBaseMs, maxMs: options.retryMaxMs, random: options.random },
      retryAfterMs,
    );
    outbox.patch(id, { lease: now() + delay + LEASE_MS });
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => {
        timers.delete(id);
        if (outbox.has(id)) void attempt(entry);
        else if (outbox.isMine(id)) lost(entry);
        // Otherwise this tab let it go meanwhile (dropped from a full queue, reported then).
      }, delay),
    );
  };

  /** The entry left storage under a retry, removed by something other than this tab: said, never silent. */
  const lost = (entry: OutboxEntry): void => {
    outbox.remove(entry.id);
    const message = `An undelivered ${entry.event} was removed from storage by another script or tab before its retry`;
    report(new DropError('lost', message, { event: entry.event }));
  };

  const attempt = async (entry: OutboxEntry, stored = false): Promise<DeliveryStatus> => {
    const { id } = entry;
    if (forbidden) return stop(entry.event);
    if (isOffline()) {
      outbox.patch(id, { lease: 0 });
      return { status: 'queued', reason: 'offline' };
    }
    if (!stored && useBeacon(entry.event) && sendBeacon(entry.url)) {
      outbox.remove(id);
      return BEACONED;
    }
    // A refused beacon (over budget) falls back to fetch rather than being dropped.
    const attempts = stored ? entry.attempts : entry.attempts + 1;
    if (!stored) outbox.patch(id, { attempts, lease: now() + LEASE_MS });
    inflight.add(id);
    const { error, retryAfterMs } = await sendFetch(entry.url, entry.event).finally(() => inflight.delete(id));
    lostAt.delete(id);
    if (error?.code === 'network' || error?.code === 'server_error') {
      if (error.code === 'network') lostAt.set(id, now());
      retryLater({ ...entry, attempts }, retryAfterMs);
      return { status: 'queued', reason: 'retrying', error };
    }
    if (error?.code === 'forbidden') return stop(entry.event, error);
    outbox.remove(id);
    if (!error) return { status: 'sent', transport: 'fetch', confirmed: true };
    report(error);
    return { status: 'dropped', reason: 'rejected', error };
  };

  return {
    attempt,
    stop,
    get forbidden() {
      return forbidden;
    },
    inflight,
    justLost: (id, ms) => now() - (lostAt.get(id) ?? -ms) < ms,
    cancelRetries,
    busy: () => inflight.size > 0 || timers.size > 0,
  };
}
