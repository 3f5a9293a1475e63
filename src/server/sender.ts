/**
 * One POST out with ky, and one typed outcome back. ky runs the request and
 * its retries (timeouts, waits, abort); whether to retry and how long to wait
 * are the shared delivery policy's (`core/policy.ts`), the same as the
 * browser's: network failures, timeouts, 408, 429 and 5xx are retried with
 * exponential backoff and jitter, never sooner than `Retry-After`; 400 and
 * 403 never are.
 */
import ky, { HTTPError, isKyError } from 'ky';
import { DeliveryError } from '../core/errors.js';
import { backoff, classify, parseRetryAfter } from '../core/policy.js';
import { responseReason } from '../core/response-reason.js';

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

export interface SenderOptions {
  /** Base URL without a trailing slash. */
  base: string;
  apiKey: string;
  retry: Required<RetryOptions>;
  /** Per attempt. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

export type SendOutcome = { ok: true } | { ok: false; error: DeliveryError; aborted: boolean };

export const RETRY_DEFAULTS: Required<RetryOptions> = { limit: 3, backoffLimitMs: 10_000, maxRetryAfterMs: 60_000 };
export const TIMEOUT_DEFAULT_MS = 10_000;
/** The first wait: short, since a server's next request usually finds the API back. */
const FIRST_RETRY_MS = 300;

/**
 * POSTs a JSON body that is already serialized (batches are joined from
 * per-order strings, so nothing is stringified twice). Never throws.
 * ky's errors are never kept as `cause`: their request carries the API key header.
 */
export async function postJson(
  path: string,
  json: string,
  signal: AbortSignal,
  options: SenderOptions,
): Promise<SendOutcome> {
  const stop = untilAborted(signal);
  try {
    const settled = await Promise.race([
      post(path, json, signal, options).then(
        (response) => ({ response }),
        (error: unknown) => ({ error }),
      ),
      stop.aborted,
    ]);
    if (settled === 'aborted') return abortedOutcome(path);
    if ('response' in settled) {
      discard(settled.response);
      return { ok: true };
    }
    return await failure(settled.error, path, signal, options);
  } finally {
    stop.release();
  }
}

/**
 * Settles when `signal` aborts, whatever the request is doing: an abort that
 * lands between ky's attempts can be missed by the next one, which would then
 * run to its own timeout, past the caller's deadline.
 */
function untilAborted(signal: AbortSignal): { aborted: Promise<'aborted'>; release(): void } {
  let onAbort = (): void => undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { aborted, release: () => signal.removeEventListener('abort', onAbort) };
}

/** The request and its retries, by ky; resolves to the 2xx response, rejects with the last failure. */
function post(path: string, json: string, signal: AbortSignal, options: SenderOptions): Promise<Response> {
  // The last failure's `Retry-After`, read by the delay of the retry it caused.
  let retryAfterMs: number | undefined;
  return ky.post(`${options.base}${path}`, {
    // No body here: ky builds its Request from these options and clones it before every attempt (for the
    // next one), and a body in it would be turned into a stream and teed each time. The attempt adds it.
    headers: { 'content-type': 'application/json', api_key: options.apiKey },
    signal,
    timeout: options.timeoutMs,
    throwHttpErrors: true,
    retry: {
      limit: options.retry.limit,
      // ky leaves POST out of its retried methods by default: our bodies are safe to resend.
      methods: ['post'],
      shouldRetry: ({ error }) => {
        if (signal.aborted) return false;
        if (!(error instanceof HTTPError)) return true; // No answer: a network failure or a timeout.
        const retryAfter = parseRetryAfter(error.response.headers.get('Retry-After'));
        retryAfterMs = retryAfter === undefined ? undefined : Math.min(retryAfter, options.retry.maxRetryAfterMs);
        const retry = classify(error.response.status) === 'retry';
        if (retry) discard(error.response);
        return retry;
      },
      delay: (attempt) =>
        backoff(attempt, { baseMs: FIRST_RETRY_MS, maxMs: options.retry.backoffLimitMs }, retryAfterMs),
      // The policy's backoff carries its own jitter and caps.
      jitter: false,
      backoffLimit: Number.POSITIVE_INFINITY,
    },
    fetch: withBody(json, options.fetch),
  });
}

/**
 * The `fetch` ky calls for each attempt, with the body added: ky's request
 * carries the URL, method, headers and signal (its timeout and the caller's
 * deadline). The global `fetch` takes the body as the string it is, as a
 * plain `fetch` POST would; a caller's `fetch` still receives a `Request`,
 * body included, as it did when ky built the whole request.
 */
function withBody(json: string, custom: typeof fetch | undefined): typeof fetch {
  return (input, init) => {
    const request = input as Request;
    const attempt: RequestInit = {
      ...init,
      method: request.method,
      headers: request.headers,
      body: json,
      signal: request.signal,
    };
    return custom ? custom(new Request(request.url, attempt)) : fetch(request.url, attempt);
  };
}

async function failure(
  error: unknown,
  path: string,
  signal: AbortSignal,
  options: SenderOptions,
): Promise<SendOutcome> {
  // A refusal that arrived stays one, deadline or not; anything else the deadline cut short.
  const final = error instanceof HTTPError && classify(error.response.status) !== 'retry';
  if (signal.aborted && !final) return abortedOutcome(path);
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const why = await responseReason(error.response, undefined, signal);
    switch (classify(status)) {
      case 'forbidden':
        return outcome('forbidden', `POST ${path}: 403, the API key is invalid; sending stopped${why}`, status);
      case 'retry':
        return outcome('server_error', `POST ${path}: ${status} after ${options.retry.limit} retries${why}`, status);
      default:
        return outcome('rejected', `POST ${path}: ${status}, the server refused the data${why}`, status);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    aborted: false,
    error: new DeliveryError(
      'network',
      `POST ${path} got no answer after ${options.retry.limit} retries (${message})`,
      isKyError(error) ? {} : { cause: error },
    ),
  };
}

function abortedOutcome(path: string): SendOutcome {
  return {
    ok: false,
    aborted: true,
    error: new DeliveryError('network', `POST ${path} aborted: the close() deadline passed`),
  };
}

/** A body nobody reads is cancelled: left open, a server that never ends it would hold the connection. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function outcome(code: 'forbidden' | 'server_error' | 'rejected', message: string, status: number): SendOutcome {
  return { ok: false, aborted: false, error: new DeliveryError(code, message, { status }) };
}
