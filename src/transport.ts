/**
 * One request out, one outcome back. `fetch` confirms delivery (it reads the
 * status); `sendBeacon` only says whether the browser queued the request, so
 * its success means "handed over", never "delivered".
 */
import { DeliveryError, type DeliveryErrorCode } from './errors.js';
import { responseReason } from './response-reason.js';

export type Transport = 'auto' | 'beacon' | 'fetch';

/**
 * What became of a fetch: no error is a 2xx (delivered). Errors coded
 * `network` (no answer, timeout) and `server_error` (429, 5xx, 408) are worth
 * another try, not before `retryAfterMs` when the server said so; `forbidden`
 * (403) and `rejected` (other statuses) never are.
 */
export interface FetchOutcome {
  error?: DeliveryError;
  retryAfterMs?: number | undefined;
}

/** Without an answer by then, the request counts as a network failure and is retried. */
export const FETCH_TIMEOUT_MS = 10_000;

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `false` means the browser did not queue it (over its ~64 KB keepalive budget, or no beacon at all). */
export function sendBeacon(url: string): boolean {
  try {
    return navigator.sendBeacon(url); // Throws where there is no beacon at all.
  } catch {
    return false;
  }
}

export async function sendFetch(url: string, event: 'page_view' | 'order'): Promise<FetchOutcome> {
  const fail = (code: DeliveryErrorCode, message: string, details: { status?: number; cause?: unknown }) => ({
    error: new DeliveryError(code, message, { event, ...details }),
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'GET',
      // keepalive lets the request outlive the page; credentials never go to the collector.
      keepalive: true,
      credentials: 'omit',
      signal: typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(FETCH_TIMEOUT_MS) : null,
    });
  } catch (cause) {
    return fail('network', `The ${event} request got no answer`, { cause });
  }
  const { status } = response;
  if (status >= 200 && status < 300) return {};
  if (status === 429 || status >= 500 || status === 408) {
    return {
      ...fail('server_error', `${status} from the Event API`, { status }),
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')),
    };
  }
  const reason = await responseReason(response);
  return status === 403
    ? fail('forbidden', `403: the API key was refused${reason}`, { status })
    : fail('rejected', `${status}: the ${event} was refused${reason}`, { status });
}
