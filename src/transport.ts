/**
 * One request out, one outcome back. `fetch` confirms delivery (it reads the
 * status); `sendBeacon` only says whether the browser queued the request, so
 * its success means "handed over", never "delivered".
 */
import { DeliveryError } from './errors.js';

export type Transport = 'auto' | 'beacon' | 'fetch';

export type SendOutcome =
  /** A 2xx came back: delivered. */
  | { kind: 'delivered'; via: 'fetch' }
  /** The browser took the beacon; its fate is unknown. */
  | { kind: 'handed_over'; via: 'beacon' }
  /** Worth another try later: network error, timeout, 429, 5xx. */
  | { kind: 'retry'; error: DeliveryError; retryAfterMs?: number }
  /** Never retried: 400 or 403. */
  | { kind: 'failed'; error: DeliveryError };

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

async function readReason(response: Response): Promise<string> {
  try {
    const text = (await response.text()).trim();
    return text ? `: ${text.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

export function canBeacon(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function';
}

/** `false` means the browser did not queue it (over its ~64 KB keepalive budget, or no beacon at all). */
export function sendBeacon(url: string): boolean {
  if (!canBeacon()) return false;
  try {
    return navigator.sendBeacon(url);
  } catch {
    return false;
  }
}

export async function sendFetch(url: string, event: 'page_view' | 'order'): Promise<SendOutcome> {
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
    return { kind: 'retry', error: new DeliveryError('network', `The ${event} request got no answer`, { event, cause }) };
  }
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered', via: 'fetch' };
  if (status === 403) {
    return { kind: 'failed', error: new DeliveryError('forbidden', `403: the API key was refused${await readReason(response)}`, { status, event }) };
  }
  if (status === 429 || status >= 500 || status === 408) {
    const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'));
    const error = new DeliveryError('server_error', `${status} from the Event API`, { status, event });
    return retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs };
  }
  return { kind: 'failed', error: new DeliveryError('rejected', `${status}: the ${event} was refused${await readReason(response)}`, { status, event }) };
}
