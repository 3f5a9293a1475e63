/**
 * The default client behind `init`, `track`, `identify`, `reset`,
 * `setConsent` and `flush`. Calls made before `init` are kept (a bounded number) and replayed
 * in order once it runs, so a route-change `track` that fires before the app
 * initialised the SDK is not lost.
 */
import { SymbiosysClient, type ClientOptions, type TrackOptions, type TrackResult } from './client.js';
import type { ConsentInput } from './consent.js';
import type { EventInputs, EventName, Profile } from '../core/model.js';

/** Calls kept before `init`, at most; later ones are dropped (and say so in their result). */
const MAX_EARLY_CALLS = 50;

let defaultClient: SymbiosysClient | undefined;
const early: Array<(client: SymbiosysClient) => void> = [];

/**
 * Creates the default client, the one behind `track`, `identify`,
 * `setConsent` and `flush`, and replays the calls made before it. Calling it
 * again (React StrictMode runs effects twice) returns the first client and
 * ignores the new options; for a second key, use `new SymbiosysClient`.
 *
 * @param options - Your `apiKey`, and any other {@link ClientOptions}.
 * @returns The default client (`getIds()`, `setIds()` live there).
 * @throws SymbiosysError (`invalid_option`) when an option breaks its rule
 *   (a missing `apiKey`, `region: 'EU'`, an `endpoint` without its scheme):
 *   a programming mistake. The message names the option and what it takes.
 * @example
 * ```ts
 * init({ apiKey: 'pk_live_…', region: 'eu', onError: (error) => console.warn(error.code) });
 * ```
 */
export function init(options: ClientOptions): SymbiosysClient {
  if (!defaultClient) {
    defaultClient = new SymbiosysClient(options);
    for (const call of early.splice(0)) call(defaultClient);
  }
  return defaultClient;
}

/** The default client, once `init` has run; `undefined` before. */
export function getClient(): SymbiosysClient | undefined {
  return defaultClient;
}

/** The current page's URL, where there is a page. */
function pageUrlNow(): { pageUrl?: string } {
  return typeof location === 'undefined' ? {} : { pageUrl: location.href };
}

/** Runs the call on the default client, or keeps it for `init`; false when too many calls wait already. */
function onClient(call: (client: SymbiosysClient) => void): boolean {
  if (defaultClient) call(defaultClient);
  else if (early.length < MAX_EARLY_CALLS) early.push(call);
  else return false;
  return true;
}

/**
 * Tracks a page view or an order on the default client. Never throws, never
 * rejects: problems arrive typed at `onError` and in the result's `errors`,
 * and a bad field is dropped while the rest of the event is still sent.
 * Before `init`, the call is kept (50 at most) with its own time and page,
 * and sent once `init` runs; its result then says `queued`, `not_initialized`.
 *
 * @param event - `'page_view'` or `'order'`.
 * @param input - The event's fields, in the vendor's long names; an order
 *   needs `order_id` and `items`. PII (`customer`) is hashed before sending.
 * @param options - When and where the event happened, for calls recorded
 *   earlier: `timestamp`, `pageUrl`.
 * @returns What became of the event: `sent`, `queued` or `dropped`, with a
 *   `reason` for the last two (narrow on `status` to read it).
 * @example
 * ```ts
 * const result = await track('order', { order_id: '238476923', items: [{ product_id: '170830', quantity: 1 }] });
 * if (result.status !== 'sent') console.info(result.status, result.reason);
 * ```
 */
export function track<E extends EventName>(
  event: E,
  input?: EventInputs[E],
  options?: TrackOptions,
): Promise<TrackResult> {
  if (defaultClient) return defaultClient.track(event, input, options);
  // Replayed later with the time and page of this call, not of `init`.
  const early: TrackOptions = { timestamp: Date.now(), ...pageUrlNow(), ...options };
  const kept = onClient((client) => void client.track(event, input, early));
  return Promise.resolve(
    kept
      ? { event, status: 'queued', reason: 'not_initialized', errors: [] }
      : { event, status: 'dropped', reason: 'queue_full', errors: [] },
  );
}

/**
 * Sets the signed-in person on the default client (kept until `init` runs):
 * their PII becomes the hashed `*_user` fields (and `hashed_email`) of every
 * later event. Hashed once, here; kept in memory only, so call it on each page
 * load while signed in. `null` forgets it (sign-out).
 *
 * @param profile - Raw PII (`email`, `phone`, `first_name`, …) or its SHA-256
 *   hashes, and `crm_id`; or `null`.
 */
export function identify(profile: Profile | null): void {
  onClient((client) => client.identify(profile));
}

/** Logout on a shared computer: see `SymbiosysClient.reset`. */
export function reset(): void {
  onClient((client) => client.reset());
}

/**
 * Passes your consent banner's answer to the default client (kept until
 * `init` runs). `'pending'` keeps events in memory and writes nothing;
 * `'granted'` sends them; `'denied'` drops them and clears the SDK's cookies
 * and storage. Or the two decisions, `{ storage, userData }`: user data
 * `'denied'` sends events without any `hashed_*` field or `crm_id`. A browser
 * sending Global Privacy Control counts as denied unless
 * `honorGlobalPrivacyControl` is `false`.
 */
export function setConsent(consent: ConsentInput): void {
  onClient((client) => client.setConsent(consent));
}

/**
 * Hands every queued event of the default client to the network now, and
 * resolves when that is done or `timeoutMs` (10 s by default) has passed.
 * Never rejects; resolves at once before `init`.
 */
export function flush(timeoutMs?: number): Promise<void> {
  return defaultClient ? defaultClient.flush(timeoutMs) : Promise.resolve();
}
