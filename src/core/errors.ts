/**
 * The SDK's errors: one class tree, codes as data. Switch on `code`, not on
 * the class or the message.
 *
 * The rule, for every module that makes one:
 *
 * 1. **Whoever creates an error reports it, exactly once, where it is made**,
 *    through the client's `onError`; whoever passes it on (a result's
 *    `errors`, a `DeliveryStatus`) passes that same object and never reports
 *    it again, nor makes a second error for the same problem.
 * 2. **`onError` receives every problem the page did not ask for**: input
 *    (`invalid_field`, `invalid_pii`, `tilde_in_value`, `too_large`), options
 *    (`invalid_option`: an unknown key), delivery (`forbidden`, `rejected`,
 *    `server_error`, `network`), events the SDK had to give up (`queue_full`,
 *    `expired`), `unsupported_environment` (once per client) and
 *    `internal_error` (a bug of ours, caught before it reached the page).
 * 3. **Results only, never `onError`**: `consent_denied` and `duplicate`.
 *    Both are the SDK doing what the page asked (the visitor said no; the
 *    confirmation page was reloaded): the page decided, so it is told in the
 *    call's result and its `onError` stays for problems.
 * 4. **Nothing is thrown after construction.** A constructor (`new
 *    SymbiosysClient`, `init`, `new SymbiosysServerClient`) throws an
 *    `invalid_option` error for a programming mistake (an option of the
 *    wrong type or value, a missing `apiKey`); everything later is a result
 *    and, by rule 2, a report.
 */

/** Codes of `InputError`: the caller's input was wrong. */
export type InputErrorCode =
  /** A field failed validation (wrong type, negative quantity, …): that field, or that order line, is dropped. */
  | 'invalid_field'
  /** A PII value normalized to nothing or is invalid for its field: that field alone is dropped. */
  | 'invalid_pii'
  /** A value holds `~`, which the GET tilde lists cannot carry. */
  | 'tilde_in_value'
  /** The encoded request is over the GET URL limit or the beacon budget. */
  | 'too_large';

/** Codes of `DeliveryError`: the network or the API said no. */
export type DeliveryErrorCode =
  /** 403: the API key is invalid. Sending stops until a new client is made. */
  | 'forbidden'
  /** 400: the server refused the data. Never retried. */
  | 'rejected'
  /** 5xx or 429 after the last retry. */
  | 'server_error'
  /** The request never got an answer (offline, DNS, CORS, timeout). */
  | 'network';

/** Codes of `DropError`: the SDK chose not to send. */
export type DropErrorCode =
  /** Consent is denied: the event was not sent and not kept. In results only. */
  | 'consent_denied'
  /** The consent source (a TCF CMP, Consent Mode) said nothing: events wait in memory, unsent. Reported once. */
  | 'consent_unanswered'
  /** A bounded queue was full: the oldest or newest event was dropped. */
  | 'queue_full'
  /** An undelivered event waited longer than the queue keeps anything (7 days). */
  | 'expired'
  /** An undelivered event left storage before its retry, removed by another script or tab. */
  | 'lost'
  /** No `window` (server-side rendering, Node): the browser client does nothing; `@acme/symbiosys/server` sends from Node. */
  | 'unsupported_environment'
  /** The same order id was sent before from this browser. In results only. */
  | 'duplicate';

/** Codes of a plain `SymbiosysError`: an option's mistake, or a bug of ours. */
export type SetupErrorCode =
  /**
   * An option breaks its rule. Thrown by the constructor for a wrong type or
   * value (a programming mistake); reported through `onError` for a key no
   * option has (a typo), which is ignored.
   */
  | 'invalid_option'
  /** A bug of the SDK's own, caught before it reached the page: the event it concerned was not sent. */
  | 'internal_error';

/** Every code a `SymbiosysError` has: switch on it (the README's error table says what each means). */
export type ErrorCode = InputErrorCode | DeliveryErrorCode | DropErrorCode | SetupErrorCode;

const BRAND = Symbol.for('@acme/symbiosys/error');

/**
 * Every error the SDK makes, thrown (a bad option, at construction) or
 * reported (through `onError` and in results). `code` says what happened;
 * `field` and `event` say where. The message never holds a raw value of
 * the caller's data.
 */
export class SymbiosysError extends Error {
  /** What happened, for a program to switch on (the README's error table). */
  readonly code: ErrorCode;
  /** The long field name (`customer.phone`, `items.1.quantity`) or option (`region`) at fault; never its value. */
  readonly field: string | undefined;
  /** The event the error belongs to, where there is one. */
  readonly event: 'page_view' | 'order' | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: { field?: string | undefined; event?: 'page_view' | 'order' | undefined; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.field = details.field;
    this.event = details.event;
  }
}

/** The input was wrong; the rest of the event is still sent where it can be. */
export class InputError extends SymbiosysError {
  declare readonly code: InputErrorCode;
}

/** The network or the server said no. */
export class DeliveryError extends SymbiosysError {
  declare readonly code: DeliveryErrorCode;
  /** The HTTP status, where a response arrived. */
  readonly status: number | undefined;

  constructor(
    code: DeliveryErrorCode,
    message: string,
    details: { status?: number | undefined; event?: 'page_view' | 'order' | undefined; cause?: unknown } = {},
  ) {
    super(code, message, details);
    this.status = details.status;
  }
}

/** The SDK chose not to send, on purpose (consent, bounds, environment). */
export class DropError extends SymbiosysError {
  declare readonly code: DropErrorCode;
}

// Names and the brand are set once on the prototypes: a subclass then needs
// no constructor of its own just to stamp its name on every instance.
SymbiosysError.prototype.name = 'SymbiosysError';
InputError.prototype.name = 'InputError';
DeliveryError.prototype.name = 'DeliveryError';
DropError.prototype.name = 'DropError';
(SymbiosysError.prototype as unknown as Record<symbol, boolean>)[BRAND] = true;

/** True for any SDK error, also across realms (iframes, duplicated bundles). */
export function isSymbiosysError(value: unknown): value is SymbiosysError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** An event name as a message can quote it, whatever was passed (a symbol, an object without a prototype). */
export function quotedName(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value;
}

/** A bug of ours, caught: `internal_error`, with what failed and the exception as its `cause`. */
export function internalError(what: string, cause: unknown, event?: 'page_view' | 'order'): SymbiosysError {
  return new SymbiosysError('internal_error', `${what} failed unexpectedly (a bug of the SDK's)`, { event, cause });
}

/** Receives every problem, typed, with a `code` (see `ErrorCode`). Its own exceptions are swallowed. */
export type ErrorHandler = (error: SymbiosysError) => void;

/** Calls the user's handler without ever letting its own exception reach us or the page. */
export function report(handler: ErrorHandler | undefined, error: SymbiosysError): void {
  if (!handler) return;
  try {
    handler(error);
  } catch {
    // A throwing onError must not break tracking.
  }
}
