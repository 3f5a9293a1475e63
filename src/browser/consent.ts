/**
 * Consent, as the page's banner states it, and Global Privacy Control: a
 * browser that sends `navigator.globalPrivacyControl === true` has opted out
 * of sale and sharing, which ad attribution is, so it counts as denied unless
 * the site turns that off (`honorGlobalPrivacyControl: false`).
 */
export type Consent = 'granted' | 'pending' | 'denied';

function globalPrivacyControl(): boolean {
  try {
    return (globalThis.navigator as { globalPrivacyControl?: boolean } | undefined)?.globalPrivacyControl === true;
  } catch {
    return false;
  }
}

/** The consent in force: denied whenever the browser sends Global Privacy Control and the site honors it. */
export function consentInForce(consent: Consent, honorGpc: boolean): Consent {
  return honorGpc && globalPrivacyControl() ? 'denied' : consent;
}

/** Only the three states count: anything else a page passes is ignored. */
export function isConsent(value: unknown): value is Consent {
  return value === 'granted' || value === 'pending' || value === 'denied';
}
