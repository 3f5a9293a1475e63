/**
 * The `debug: true` view: each event in the browser console as it is
 * tracked, grouped and readable — its fields in the vendor's long names, the
 * GET request it became — and then what became of it. Everything logged has
 * already been through the pipeline: PII only as hashes (shortened here, to
 * keep the group readable), page URLs already scrubbed. Off by default; when
 * off, nothing of it runs.
 */
import type { SymbiosysError } from '../core/errors.js';
import type { TrackCall, TrackResult } from './result.js';

/** The part of `console` the view writes to (tests pass their own). */
export type DebugConsole = Pick<Console, 'groupCollapsed' | 'groupEnd' | 'log'>;

export interface DebugView {
  /** A tracked call became a request: its record and URL. */
  encoded(call: TrackCall, record: object, url: string): void;
  /** What became of a tracked call: sent, queued or dropped, and why. */
  settled(call: TrackCall, result: TrackResult): void;
}

const PREFIX = '[symbiosys]';
/** Enough of a SHA-256 to tell hashes apart by eye. */
const SHOWN_HASH_LENGTH = 8;

/** The record as logged: hashes shortened to their start, lists per item. */
function readable(record: object): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    shown[name] =
      name.startsWith('hashed_') && typeof value === 'string' ? `${value.slice(0, SHOWN_HASH_LENGTH)}…` : value;
  }
  return shown;
}

function outcome(result: TrackResult): string {
  switch (result.status) {
    case 'sent':
      return `sent by ${result.transport}${result.confirmed ? ', confirmed' : ''}`;
    case 'queued':
      return `queued (${result.reason})`;
    case 'dropped':
      return `dropped (${result.reason})`;
  }
}

export function createDebugView(out: DebugConsole = console): DebugView {
  // Numbers pair an event's group with the line of its fate, which may come much later (retries).
  const numbers = new WeakMap<TrackCall, number>();
  const numberOf = (call: TrackCall): number => {
    let number = numbers.get(call);
    if (number === undefined) numbers.set(call, (number = ++count));
    return number;
  };
  let count = 0;
  return {
    encoded(call, record, url) {
      out.groupCollapsed(`${PREFIX} #${numberOf(call)} ${call.event}`);
      out.log('fields', readable(record));
      out.log('GET', url);
      out.groupEnd();
    },
    settled(call, result) {
      const errors = result.errors.map((error: SymbiosysError) => `${error.code}: ${error.message}`);
      out.log(`${PREFIX} #${numberOf(call)} ${call.event}: ${outcome(result)}`, ...errors);
    },
  };
}
