/**
 * Consent, as the page's banner states it, and Global Privacy Control: a
 * browser that sends `navigator.globalPrivacyControl === true` has opted out
 * of sale and sharing, which ad attribution is, so it counts as denied unless
 * the site turns that off (`honorGlobalPrivacyControl: false`).
 */
export type Consent = 'granted' | 'pending' | 'denied';

function globalPrivacyControl(): boolean {
  try {
    return typeof navigator !== 'undefined' && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  } catch {
    return false;
  }
}

export class ConsentGate {
  constructor(
    private consent: Consent,
    private readonly honorGpc: boolean,
  ) {}

  get value(): Consent {
    return this.honorGpc && globalPrivacyControl() ? 'denied' : this.consent;
  }

  set(consent: Consent): void {
    if (consent === 'granted' || consent === 'pending' || consent === 'denied') this.consent = consent;
  }
}
