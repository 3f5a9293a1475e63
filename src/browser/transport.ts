/**
 * One request out, one outcome back. `fetch` confirms delivery (it reads the
 * status); `sendBeacon` only says whether the browser queued the request, so
 * its success means "handed over", never "delivered".
 */
import { deliveryError } from '../core/delivery-error.js';
import type { DeliveryError } from '../core/errors.js';
import type { EventName } from '../core/fields.js';
import { classify, parseRetryAfter } from '../core/policy.js';
import { responseReason } from '../core/response-reason.js';

/** How the browser sends: `auto` (page views by beacon, orders by fetch), or one of them for everything. */
export type Transport = 'auto' | 'beacon' | 'fetch';

/**
 * What became of a fetch: no error is a 2xx (delivered). Errors coded
 * `network` (no answer, timeout) and `server_error` (408, 429, 5xx) are worth
 * another try, not before `retryAfterMs` when the server said so; `forbidden`
 * (403) and `rejected` (other statuses) never are (`core/policy.ts`).
 */
export interface FetchOutcome {
  error?: DeliveryError;
  retryAfterMs?: number | undefined;
}

/** Without an answer by then, the request counts as a network failure and is retried. */
export const FETCH_TIMEOUT_MS = 10_000;

/** `false` means the browser did not queue it (over its ~64 KB keepalive budget, or no beacon at all). */
export function sendBeacon(url: string): boolean {
  try {
    return navigator.sendBeacon(url); // Throws where there is no beacon at all.
  } catch {
    return false;
  }
}

/**
 * Fetches `url` once, and settles by `FETCH_TIMEOUT_MS` whatever the page's
 * `fetch` does: one that ignores its AbortSignal (a wrapper, a polyfill)
 * would otherwise leave the event, and its `track`, waiting for ever.
 */
export async function sendFetch(url: string, event: EventName): Promise<FetchOutcome> {
  // A timer cleared once the answer is in: `AbortSignal.timeout` would leave one firing 10 s after every request.
  const timeout = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timeout.abort();
      reject(new Error('timeout'));
    }, FETCH_TIMEOUT_MS);
  });
  try {
    const request = fetch(url, {
      method: 'GET',
      // keepalive lets the request outlive the page; credentials never go to the collector.
      keepalive: true,
      credentials: 'omit',
      signal: timeout.signal,
    });
    return await Promise.race([request.then((response) => outcome(response, event)), deadline]);
  } catch (cause) {
    return { error: deliveryError('retry', undefined, '', { event, cause }) };
  } finally {
    clearTimeout(timer);
  }
}

/** What an answer means (`core/policy.ts`). */
async function outcome(response: Response, event: EventName): Promise<FetchOutcome> {
  const { status } = response;
  switch (classify(status)) {
    case 'delivered':
      return {};
    case 'retry':
      return {
        error: deliveryError('retry', status, '', { event }),
        retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')),
      };
    case 'forbidden':
      return {
        error: deliveryError('forbidden', status, await responseReason(response), { event }),
      };
    case 'rejected':
      return {
        error: deliveryError('rejected', status, await responseReason(response), { event }),
      };
  }
}
