/**
 * What a tracked call was, and what became of it: the types the client, the
 * pipeline and the debug view share (one module, so none of them imports
 * another for a type).
 */
import type { SymbiosysError } from '../core/errors.js';
import type { EventName } from '../core/fields.js';

/**
 * What became of a tracked event. Narrow on `status` to read `reason`:
 * - `sent`: handed to the network (`confirmed`: the API answered 2xx);
 * - `queued`: kept, and sent later (`consent_pending`, `not_initialized`,
 *   `offline`, `retrying`);
 * - `dropped`: not sent, for `reason` (the README's error table).
 */
export type TrackResult = (
  | { status: 'sent'; transport: 'fetch' | 'beacon'; confirmed: boolean }
  | { status: 'queued'; reason: 'consent_pending' | 'not_initialized' | 'offline' | 'retrying' }
  | {
      status: 'dropped';
      reason:
        | 'invalid'
        | 'duplicate'
        | 'repeated_page_view'
        | 'consent_denied'
        | 'forbidden'
        | 'rejected'
        | 'too_large'
        | 'queue_full'
        | 'unsupported_environment'
        | 'internal_error';
    }
) & {
  /** The event tracked. */
  event: EventName;
  /** Everything that went wrong, fields dropped included. Empty when all went well. */
  errors: SymbiosysError[];
};

/** Why an event was not sent. */
export type DropReason = Extract<TrackResult, { status: 'dropped' }>['reason'];

export const dropped = (event: EventName, reason: DropReason, errors: SymbiosysError[]): TrackResult => ({
  event,
  status: 'dropped',
  reason,
  errors,
});

/** A tracked event as it was called: when, on which page, with what input. */
export interface TrackCall {
  event: EventName;
  input: unknown;
  /** Event time, ms since the epoch. */
  at: number;
  /** The page's URL at the time of the call. */
  url: string;
}
