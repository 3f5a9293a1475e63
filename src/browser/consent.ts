/**
 * Consent: what the page's banner or consent platform allows, as two
 * decisions named after Google Consent Mode v2's signals, and Global Privacy
 * Control: a browser that sends `navigator.globalPrivacyControl === true` has
 * opted out of sale and sharing, which ad attribution is, so it counts as
 * denied unless the site turns that off (`honorGlobalPrivacyControl: false`).
 */
import type { SymbiosysError } from '../core/errors.js';

/** One consent word: `granted`, `denied`, or `pending` (events held in memory, nothing stored, until a decision). */
export type Consent = 'granted' | 'pending' | 'denied';

/**
 * The two decisions a consent platform makes about this SDK.
 *
 * - `storage` (Consent Mode's `ad_storage`, TCF purpose 1): may the SDK keep
 *   ids on the device and send events at all. `denied` is what
 *   `setConsent('denied')` means: nothing sent, nothing stored.
 * - `userData` (Consent Mode's `ad_user_data`; TCF: the purposes
 *   `tcfConsent` names): may events carry the visitor's hashed PII
 *   (`hashed_*`) and `crm_id`. Denied: events still go, without them, and no
 *   PII is hashed at all.
 *
 * `pending` in either holds events in memory until it is decided.
 */
export interface ConsentDecisions {
  storage: Consent;
  userData: Consent;
}

/** What `setConsent` takes: one word for both decisions, or each of them. */
export type ConsentInput = Consent | ConsentDecisions;

/**
 * A consent platform the client follows (`consentSource`): `tcfConsent()` and
 * `googleConsentMode()` are two; your own needs only this shape.
 */
export interface ConsentSource {
  /**
   * Starts listening. `update` gets the decisions each time the platform
   * states them (possibly at once, within `start`); `report` is the client's
   * error channel (a platform that never answers is reported there once, as
   * `consent_unanswered`). Returns a function that stops listening.
   */
  start(update: (decisions: ConsentDecisions) => void, report: (error: SymbiosysError) => void): () => void;
}

function globalPrivacyControl(): boolean {
  try {
    return (globalThis.navigator as { globalPrivacyControl?: boolean } | undefined)?.globalPrivacyControl === true;
  } catch {
    return false;
  }
}

/**
 * The decisions in force: both denied whenever the browser sends Global
 * Privacy Control and the site honors it; user data never more allowed than
 * storage (no events, no user data in them).
 */
export function consentInForce({ storage, userData }: ConsentDecisions, honorGpc: boolean): ConsentDecisions {
  if (storage === 'denied' || (honorGpc && globalPrivacyControl())) return { storage: 'denied', userData: 'denied' };
  return { storage, userData: storage === 'pending' && userData === 'granted' ? 'pending' : userData };
}

/** Only the three states count: anything else a page passes is ignored. */
function isConsent(value: unknown): value is Consent {
  return value === 'granted' || value === 'pending' || value === 'denied';
}

/** `setConsent`'s argument as decisions; undefined when it is neither a state nor two of them. */
export function toDecisions(value: unknown): ConsentDecisions | undefined {
  if (isConsent(value)) return { storage: value, userData: value };
  try {
    const { storage, userData } = (value ?? {}) as Partial<ConsentDecisions>;
    return isConsent(storage) && isConsent(userData) ? { storage, userData } : undefined;
  } catch {
    return undefined; // A getter that throws: not a decision.
  }
}

/** The record without what the user-data decision covers: every `hashed_*` field and `crm_id`. */
export function withoutUserData<T extends object>(record: T): T {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name !== 'crm_id' && !name.startsWith('hashed_')) kept[name] = value;
  }
  return kept as T;
}
