/**
 * Every problem the SDK meets reaches the user as one of these, through the
 * `onError` option and in `track`'s result; none is ever thrown into the host
 * page (the one exception: constructing a client without an API key, which is
 * a programming mistake). Switch on `code`, not on the class or message.
 */

export type InputErrorCode =
  /** A field failed validation (wrong type, negative quantity, …). */
  | 'invalid_field'
  /** A PII value normalized to nothing or is invalid for its field: that field alone is dropped. */
  | 'invalid_pii'
  /** A value holds `~`, which the GET tilde lists cannot carry. */
  | 'tilde_in_value'
  /** The encoded request is over the GET URL limit or the beacon budget. */
  | 'too_large';

export type DeliveryErrorCode =
  /** 403: the API key is invalid. Sending stops until a new client is made. */
  | 'forbidden'
  /** 400: the server refused the data. Never retried. */
  | 'rejected'
  /** 5xx or 429 after the last retry. */
  | 'server_error'
  /** The request never got an answer (offline, DNS, CORS, timeout). */
  | 'network';

export type DropErrorCode =
  /** Consent is denied: the event was not sent and not kept. */
  | 'consent_denied'
  /** A bounded queue was full: the oldest or newest event was dropped. */
  | 'queue_full'
  /** An undelivered event waited longer than the queue keeps anything (7 days). */
  | 'expired'
  /** An undelivered event left storage before its retry, removed by another script or tab. */
  | 'lost'
  /** No `window` (server-side rendering) or no way to send: the browser client does nothing. */
  | 'unsupported_environment'
  /** The same order id was sent before from this browser. */
  | 'duplicate';

export type ErrorCode = InputErrorCode | DeliveryErrorCode | DropErrorCode;

const BRAND = Symbol.for('@acme/symbiosys/error');

export class SymbiosysError extends Error {
  readonly code: ErrorCode;
  /** The long field name at fault (`customer.phone`, `items.1.quantity`); never its value. */
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
