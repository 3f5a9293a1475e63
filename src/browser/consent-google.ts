/**
 * `googleConsentMode()`: the client follows Google Consent Mode v2 as the
 * page's CMP states it, through `gtag('consent', 'default' | 'update', {…})`
 * on the data layer: the commands pushed before the SDK loaded (read from
 * `dataLayer`) and after (its `push` is wrapped, as GTM's own data layer
 * helper does). gtag pushes its `arguments` object, so any array-like entry
 * counts.
 *
 * `ad_storage` is the storage decision, `ad_user_data` the user-data one.
 * A `default` is the site's, not the visitor's: what it denies is pending
 * (events wait in memory, nothing sent or stored) until an `update` decides.
 * An `update` is the visitor's answer. A setup that never sets `ad_user_data`
 * (Consent Mode v1) gives no user-data consent: events go without hashes.
 * A `default` scoped to regions (`region: ['ES', …]`) can only hold events
 * back: the SDK cannot know the visitor's region, so it never grants on one.
 */
import type { Consent, ConsentDecisions, ConsentSource } from './consent.js';
import { watchSilence } from './consent-silence.js';

/** Options of `googleConsentMode()`: where the page's Consent Mode commands are pushed. */
export interface GoogleConsentModeOptions {
  /** The data layer gtag and GTM use (`gtag/js?l=…`). @default 'dataLayer' */
  dataLayerName?: string;
}

type Signal = 'granted' | 'denied';
/** One signal as the page last set it: by a `default` (the site's) or by an `update` (the visitor's). */
interface SignalState {
  value: Signal;
  decided: boolean;
  /** Set by a region-scoped `default`, which a global `default` does not override. */
  regional?: boolean;
}

/** The two Consent Mode v2 signals this SDK reads, as commands left them. */
export interface ConsentModeState {
  ad_storage?: SignalState;
  ad_user_data?: SignalState;
}

export type ConsentCommand = { command: 'default' | 'update'; params: Readonly<Record<string, unknown>> };

const SIGNALS = ['ad_storage', 'ad_user_data'] as const;

/** The consent command an entry of the data layer holds, or undefined. */
export function consentCommand(entry: unknown): ConsentCommand | undefined {
  try {
    const args = entry as ArrayLike<unknown> | null;
    if (typeof args !== 'object' || args === null || args[0] !== 'consent') return undefined;
    const command = args[1];
    const params = args[2];
    if ((command !== 'default' && command !== 'update') || typeof params !== 'object' || params === null) {
      return undefined;
    }
    return { command, params: params as Record<string, unknown> };
  } catch {
    return undefined; // Someone else's entry whose getters throw: not a consent command.
  }
}

/** The state after one command; the state given is not changed. */
export function applyConsentCommand(state: ConsentModeState, { command, params }: ConsentCommand): ConsentModeState {
  const next = { ...state };
  const regional = Array.isArray(params.region) && params.region.length > 0;
  for (const signal of SIGNALS) {
    const value = params[signal];
    if (value !== 'granted' && value !== 'denied') continue;
    const now = next[signal];
    if (command === 'update') next[signal] = { value, decided: true };
    else if (now?.decided)
      continue; // A default never overrides the visitor's answer.
    else if (regional) {
      if (value === 'denied') next[signal] = { value, decided: false, regional: true };
    } else if (!now?.regional) next[signal] = { value, decided: false };
  }
  return next;
}

function consentOf(signal: SignalState | undefined, unset: Consent): Consent {
  if (!signal) return unset;
  if (signal.value === 'granted') return 'granted';
  return signal.decided ? 'denied' : 'pending';
}

/** The decisions the state stands for. */
export function consentModeDecisions(state: ConsentModeState): ConsentDecisions {
  return { storage: consentOf(state.ad_storage, 'pending'), userData: consentOf(state.ad_user_data, 'denied') };
}

/**
 * A consent source that follows Google Consent Mode v2 on the page's data
 * layer. Options: see {@link GoogleConsentModeOptions}.
 *
 * @example
 * ```ts
 * init({ apiKey: 'pk_live_…', region: 'eu', consentSource: googleConsentMode() });
 * ```
 */
export function googleConsentMode(options: GoogleConsentModeOptions = {}): ConsentSource {
  return {
    start(update, report) {
      const heard = watchSilence('Google Consent Mode (no gtag consent command)', report);
      const host = window as unknown as Record<string, unknown>;
      const name = options.dataLayerName ?? 'dataLayer';
      // As the gtag snippet does: the data layer is made if it is not there yet.
      host[name] ??= [];
      const layer = host[name];
      // Something else under that name is the page's own: left alone, and the silence is reported.
      if (!Array.isArray(layer)) return heard;
      let state: ConsentModeState = {};
      /** Applies the entries' consent commands; true when there was one. */
      const read = (entries: ArrayLike<unknown>): boolean => {
        let found = false;
        for (let i = 0; i < entries.length; i++) {
          const command = consentCommand(entries[i]);
          if (command) state = applyConsentCommand(state, command);
          found ||= command !== undefined;
        }
        if (found) heard();
        return found;
      };
      const push = layer.push;
      const wrapped = (...entries: unknown[]): number => {
        const length = push.apply(layer, entries);
        try {
          if (read(entries)) update(consentModeDecisions(state));
        } catch {
          // Never into the page's gtag call.
        }
        return length;
      };
      layer.push = wrapped;
      if (read(layer)) update(consentModeDecisions(state));
      return () => {
        heard();
        if (layer.push === wrapped) layer.push = push;
      };
    },
  };
}
