/**
 * One POST out, retried by the delivery policy (`core/policy.ts`), and one
 * typed outcome back: a short loop over `fetch`, `AbortController` and
 * timers, so it runs wherever those exist (Node, React Native). Network
 * failures, timeouts, 408, 429 and 5xx are retried with exponential backoff
 * and jitter, never sooner than `Retry-After`; 400 and 403 never are.
 */
import { deliveryError } from '../delivery-error.js';
import type { DeliveryError } from '../errors.js';
import { atLeast, group } from '../options.js';
import { backoff, classify, parseRetryAfter } from '../policy.js';
import { responseReason } from '../response-reason.js';

/** How hard one request tries before its events are reported undelivered. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 3
   */
  limit?: number;
  /**
   * Upper bound of the exponential backoff (300 ms, 600 ms, 1.2 s, …, with jitter), in ms.
   * @default 10_000
   */
  backoffLimitMs?: number;
  /**
   * Upper bound of a server's `Retry-After`, in ms.
   * @default 60_000
   */
  maxRetryAfterMs?: number;
}

export interface PostOptions {
  /** Base URL without a trailing slash. */
  base: string;
  apiKey: string;
  retry: Required<RetryOptions>;
  /** Per attempt. */
  timeoutMs: number;
  /** How one exchange is made: `fetchRequester()` wherever `fetch` exists, or a platform's own. */
  request: Requester;
}

/** One answer, as the loop reads it. */
export interface Exchange {
  status: number;
  retryAfter: string | null;
  /** The server's words on a refusal, as `: <text>` or nothing (`core/response-reason.ts`). */
  reason(signal: AbortSignal): Promise<string>;
  /** Lets go of a body nobody needs (below). */
  discard(): void;
}

export interface ExchangeInit {
  headers: Record<string, string>;
  body: string;
  /** Aborts the attempt: its timeout or the caller's deadline. */
  signal: AbortSignal;
}

/** Makes one POST; rejects when no answer came (a network failure, an abort). */
export type Requester = (url: string, init: ExchangeInit) => Promise<Exchange>;

/**
 * The exchange over `fetch`: the global one, looked up per request (so a
 * test's interception applies), or a caller's, which receives a `Request`
 * with the body.
 */
export function fetchRequester(custom?: typeof fetch): Requester {
  return async (url, init) => {
    const request: RequestInit = { method: 'POST', ...init };
    const response = await (custom ? custom(new Request(url, request)) : fetch(url, request));
    return {
      status: response.status,
      retryAfter: response.headers.get('Retry-After'),
      reason: (signal) => responseReason(response, undefined, signal),
      discard: () => discard(response),
    };
  };
}

export type SendOutcome = { ok: true } | { ok: false; error: DeliveryError; aborted: boolean };

export const RETRY_DEFAULTS: Required<RetryOptions> = { limit: 3, backoffLimitMs: 10_000, maxRetryAfterMs: 60_000 };

/** The `retry` option's rule, for the clients' option tables (`core/options.ts`). */
export const RETRY_RULE = group({ limit: atLeast(0), backoffLimitMs: atLeast(0), maxRetryAfterMs: atLeast(0) });

/** The retry settings in force: each one given (checked by `RETRY_RULE`), or its default. */
export function withRetryDefaults(retry: RetryOptions = {}): Required<RetryOptions> {
  return {
    limit: retry.limit ?? RETRY_DEFAULTS.limit,
    backoffLimitMs: retry.backoffLimitMs ?? RETRY_DEFAULTS.backoffLimitMs,
    maxRetryAfterMs: retry.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs,
  };
}
export const TIMEOUT_DEFAULT_MS = 10_000;
/** The first wait: short, since a server's next request usually finds the API back. */
const FIRST_RETRY_MS = 300;

/** What the caller's abort reaches: the attempt in flight, or the wait between two. */
interface Interrupt {
  attempt?: AbortController | undefined;
  wake?: (() => void) | undefined;
}

type Answer = { response: Exchange } | { failure: unknown; timedOut: boolean };

/**
 * POSTs a JSON body that is already serialized (batches are joined from
 * per-order strings, so nothing is stringified twice). Never throws. An
 * abort of `signal` ends the request at once, whatever `fetch` does with its
 * own signal; `signal` gets exactly one listener, for the whole request.
 */
export async function postJson(
  path: string,
  json: string,
  signal: AbortSignal,
  options: PostOptions,
): Promise<SendOutcome> {
  const interrupt: Interrupt = {};
  const onAbort = (): void => {
    interrupt.attempt?.abort();
    interrupt.wake?.();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (let attempt = 1; ; attempt++) {
      if (aborted(signal)) return abortedOutcome(path);
      const answer = await attemptOnce(`${options.base}${path}`, json, options, interrupt);
      const last = attempt > options.retry.limit;
      if ('failure' in answer) {
        if (aborted(signal)) return abortedOutcome(path);
        if (last) return failed(networkError(path, answer, options));
        await pause(backoff(attempt, backoffOptions(options)), interrupt);
        continue;
      }
      const { response } = answer;
      const verdict = classify(response.status);
      if (verdict === 'delivered') {
        response.discard();
        return { ok: true };
      }
      if (verdict === 'retry') {
        response.discard();
        if (aborted(signal)) return abortedOutcome(path);
        if (last) return failed(deliveryError('retry', response.status, ` (POST ${path}, ${retries(options)})`));
        const retryAfter = parseRetryAfter(response.retryAfter);
        const floor = retryAfter === undefined ? undefined : Math.min(retryAfter, options.retry.maxRetryAfterMs);
        await pause(backoff(attempt, backoffOptions(options), floor), interrupt);
        continue;
      }
      // A refusal that arrived stays one, deadline or not: only reading its reason ends with the signal.
      const why = await response.reason(signal);
      return failed(deliveryError(verdict, response.status, `${why} (POST ${path})`));
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** One attempt, ended by its timeout or the caller's abort even if `fetch` ignores its signal. */
async function attemptOnce(url: string, json: string, options: PostOptions, interrupt: Interrupt): Promise<Answer> {
  const controller = new AbortController();
  interrupt.attempt = controller;
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const init: ExchangeInit = {
    headers: { 'content-type': 'application/json', api_key: options.apiKey },
    body: json,
    signal: controller.signal,
  };
  try {
    const response = await Promise.race([options.request(url, init), rejectOnAbort(controller.signal)]);
    return { response };
  } catch (failure) {
    return { failure, timedOut: controller.signal.aborted };
  } finally {
    clearTimeout(timer);
    interrupt.attempt = undefined;
  }
}

/** Read through a call: an `await` in between may have aborted it, which a plain read's narrowing hides. */
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Rejects when `signal` aborts; its listener goes with the attempt's own signal. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
}

/** Waits `ms`, or less if the caller aborts meanwhile. */
function pause(ms: number, interrupt: Interrupt): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      interrupt.wake = undefined;
      resolve();
    };
    const timer = setTimeout(done, ms);
    interrupt.wake = done;
  });
}

function backoffOptions(options: PostOptions) {
  return { baseMs: FIRST_RETRY_MS, maxMs: options.retry.backoffLimitMs };
}

function retries(options: PostOptions): string {
  return `after ${options.retry.limit} ${options.retry.limit === 1 ? 'retry' : 'retries'}`;
}

/** No answer after the last retry; the failure's own error is its cause (a request, with the key, never is). */
function networkError(
  path: string,
  answer: { failure: unknown; timedOut: boolean },
  options: PostOptions,
): DeliveryError {
  const { failure, timedOut } = answer;
  const what = timedOut
    ? `no answer within ${options.timeoutMs} ms`
    : failure instanceof Error
      ? failure.message
      : String(failure);
  return deliveryError('retry', undefined, ` (POST ${path}, ${retries(options)}: ${what})`, {
    ...(timedOut ? {} : { cause: failure }),
  });
}

function failed(error: DeliveryError): SendOutcome {
  return { ok: false, aborted: false, error };
}

function abortedOutcome(path: string): SendOutcome {
  return {
    ok: false,
    aborted: true,
    error: deliveryError('retry', undefined, ` (POST ${path}): the close() deadline passed`),
  };
}

/** Bodies up to this size (by `Content-Length`) are read to their end rather than cancelled. */
export const SMALL_BODY = 4096;

/**
 * A body nobody needs is let go of: a short one (the API's `{}`) is read to
 * its end, which keeps the connection for the next request (cancelling it
 * closes the connection); any other is cancelled, so a server that never
 * ends a body cannot hold the connection.
 */
function discard(response: Response): void {
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (length <= SMALL_BODY) void response.arrayBuffer().catch(() => undefined);
  else response.body?.cancel().catch(() => undefined);
}
