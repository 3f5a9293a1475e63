/**
 * The default client behind `init`, `track`, `identify`, `reset`,
 * `setConsent` and `flush`. Calls made before `init` are kept (a bounded number) and replayed
 * in order once it runs, so a route-change `track` that fires before the app
 * initialised the SDK is not lost.
 */
import { SymbiosysClient, type ClientOptions, type TrackOptions, type TrackResult } from './client.js';
import type { Consent } from './consent.js';
import type { EventInputs, EventName, Profile } from '../core/model.js';

/** Calls kept before `init`, at most; later ones are dropped (and say so in their result). */
const MAX_EARLY_CALLS = 50;

let defaultClient: SymbiosysClient | undefined;
const early: Array<(client: SymbiosysClient) => void> = [];

/**
 * Creates the default client and replays the calls made before it. Calling it
 * again (React StrictMode runs effects twice) returns the first client.
 */
export function init(options: ClientOptions): SymbiosysClient {
  if (!defaultClient) {
    defaultClient = new SymbiosysClient(options);
    for (const call of early.splice(0)) call(defaultClient);
  }
  return defaultClient;
}

/** The default client, once `init` has run. */
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

export function identify(profile: Profile | null): void {
  onClient((client) => client.identify(profile));
}

/** Logout on a shared computer: see `SymbiosysClient.reset`. */
export function reset(): void {
  onClient((client) => client.reset());
}

export function setConsent(consent: Consent): void {
  onClient((client) => client.setConsent(consent));
}

export function flush(timeoutMs?: number): Promise<void> {
  return defaultClient ? defaultClient.flush(timeoutMs) : Promise.resolve();
}
