/**
 * One POST out with ky, retried where the contract allows (network failure,
 * timeout, 429 honouring `Retry-After`, 5xx), never on 400 or 403, and one
 * typed outcome back. ky leaves POST out of its retried methods by default,
 * so `post` is named explicitly.
 */
import ky, { HTTPError, isKyError } from 'ky';
import { responseReason } from '../response-reason.js';
import { DeliveryError } from '../errors.js';

/** How hard one request tries before its events are reported undelivered. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 3
   */
  limit?: number;
  /**
   * Upper bound of the exponential backoff (300 ms, 600 ms, 1.2 s, …), in ms.
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

const RETRIED_STATUSES = [408, 429, 500, 502, 503, 504];
const RETRY_AFTER_STATUSES = [413, 429, 503];

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
  try {
    await ky.post(`${options.base}${path}`, {
      body: json,
      headers: { 'content-type': 'application/json', api_key: options.apiKey },
      signal,
      timeout: options.timeoutMs,
      throwHttpErrors: true,
      retry: {
        limit: options.retry.limit,
        methods: ['post'],
        statusCodes: RETRIED_STATUSES,
        afterStatusCodes: RETRY_AFTER_STATUSES,
        backoffLimit: options.retry.backoffLimitMs,
        maxRetryAfter: options.retry.maxRetryAfterMs,
        retryOnTimeout: true,
        // Spread retries of many servers hit by one outage; `Retry-After` is never jittered.
        jitter: true,
      },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return { ok: true };
  } catch (error) {
    if (signal.aborted) {
      return {
        ok: false,
        aborted: true,
        error: new DeliveryError('network', `POST ${path} aborted: the close() deadline passed`),
      };
    }
    if (error instanceof HTTPError) {
      const status = error.response.status;
      const why = await responseReason(error.response);
      if (status === 403) {
        return {
          ok: false,
          aborted: false,
          error: new DeliveryError('forbidden', `POST ${path}: 403, the API key is invalid; sending stopped${why}`, {
            status,
          }),
        };
      }
      if (status === 429 || status >= 500) {
        return {
          ok: false,
          aborted: false,
          error: new DeliveryError(
            'server_error',
            `POST ${path}: ${status} after ${options.retry.limit} retries${why}`,
            { status },
          ),
        };
      }
      return {
        ok: false,
        aborted: false,
        error: new DeliveryError('rejected', `POST ${path}: ${status}, the server refused the data${why}`, { status }),
      };
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
}
