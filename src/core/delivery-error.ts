/**
 * What a failed delivery tells the user: one rule, for every entry, from the
 * policy's verdict on the answer (`core/policy.ts`). The message names the
 * status and, after it, the server's own words (`core/response-reason.ts`).
 */
import { DeliveryError } from './errors.js';
import type { Verdict } from './policy.js';

export interface DeliveryErrorDetails {
  event?: 'page_view' | 'order' | undefined;
  /** Kept only where it cannot carry the API key (a network failure's own error, never a request). */
  cause?: unknown;
}

/**
 * The error for an attempt that failed: `retry` with no status is a network
 * failure (no answer, a timeout); with a status it is a server error (408,
 * 429, 5xx). `reason` is appended as it is (`: <text>` or nothing).
 */
export function deliveryError(
  verdict: Exclude<Verdict, 'delivered'>,
  status: number | undefined,
  reason: string,
  details: DeliveryErrorDetails = {},
): DeliveryError {
  const request = details.event === undefined ? 'request' : `${details.event} request`;
  const info = { ...details, status };
  switch (verdict) {
    case 'forbidden':
      return new DeliveryError('forbidden', `${status ?? 403}: the API key was refused${reason}`, info);
    case 'rejected':
      return new DeliveryError('rejected', `${status ?? 400}: the ${request} was refused${reason}`, info);
    case 'retry':
      return status === undefined
        ? new DeliveryError('network', `The ${request} got no answer${reason}`, info)
        : new DeliveryError('server_error', `${status} from the Event API${reason}`, info);
  }
}
