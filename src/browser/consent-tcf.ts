/**
 * `tcfConsent()`: the client follows an IAB TCF v2.2 CMP on the page
 * (`window.__tcfapi`: OneTrust, Cookiebot, Usercentrics, Didomi, Quantcast…).
 *
 * Which purposes (TCF v2.2 policy, Appendix A) an ad-attribution vendor needs:
 *
 * - storage: purpose 1, "Store and/or access information on a device". The
 *   SDK keeps a visitor id, a session id and the landing page's click id in
 *   cookies and localStorage: that is purpose 1 exactly, and Google's own TCF
 *   mapping reads `ad_storage` from purpose 1 alone.
 * - user data: purposes 1 and 7 by default (`purposes`). Purpose 7, "Measure
 *   advertising performance", is what attribution is, and the hashed email,
 *   phone and `crm_id` are what it matches a visitor on; Google's mapping
 *   reads `ad_user_data` from purposes 1 and 7 likewise. Profiling and
 *   personalisation (purposes 2 to 6) are not this SDK's business: it selects
 *   no ad and builds no profile, so it does not ask for them.
 *
 * Only consent counts, never legitimate interest: purpose 1 cannot rest on
 * it, the device identifiers the SDK sends need consent under the ePrivacy
 * rules anyway, and Consent Mode (the other standard) has no such notion.
 * With `vendorId`, your GVL vendor must have consent too, and a publisher
 * restriction that disallows a purpose for it (or allows it only on
 * legitimate interest) denies that purpose.
 */
import type { ConsentDecisions, ConsentSource } from './consent.js';
import { watchSilence } from './consent-silence.js';

/** Options of `tcfConsent()`: the TCF purposes each decision needs, and the vendor whose consent counts too. */
export interface TcfConsentOptions {
  /**
   * TCF purposes that must all have consent for the user-data decision
   * (hashed PII and `crm_id` in events). Storage always needs purpose 1.
   * @default [1, 7]
   */
  purposes?: readonly number[];
  /** Your vendor id in the Global Vendor List: when given, it must have vendor consent for either decision. */
  vendorId?: number;
}

/** The part of the CMP's `TCData` read here (TCF v2.2 CMP API). */
/** The CMP API's maps by id (purpose, vendor): a missing id is no. */
type ById<T> = { readonly [id: string]: T | undefined };

export interface TcfData {
  gdprApplies?: boolean | undefined;
  eventStatus?: string | undefined;
  listenerId?: number | undefined;
  purpose?: { consents?: ById<boolean> | undefined } | undefined;
  vendor?: { consents?: ById<boolean> | undefined } | undefined;
  /** Per purpose, per vendor: the restriction type (0 not allowed, 1 consent only, 2 legitimate interest only). */
  publisher?: { restrictions?: ById<ById<number>> | undefined } | undefined;
}

type TcfApi = (
  command: string,
  version: number,
  callback: (data: TcfData | null | undefined, success: boolean) => void,
  parameter?: unknown,
) => void;

const DEFAULT_TCF_PURPOSES: readonly number[] = [1, 7];
/** Publisher restriction types 0 (purpose not allowed) and 2 (legitimate interest only): consent cannot allow it. */
const DISALLOWING_RESTRICTIONS = new Set([0, 2]);

const PENDING: ConsentDecisions = { storage: 'pending', userData: 'pending' };
const GRANTED: ConsentDecisions = { storage: 'granted', userData: 'granted' };

/**
 * The decisions one CMP event states, or undefined for an event that states
 * none. `cmpuishown` (the banner is open, first visit or consent reopened) is
 * pending: the visitor has not answered. `tcloaded` (a stored answer) and
 * `useractioncomplete` (a new one) are decisions. GDPR not applying is
 * granted, whatever the event.
 */
export function tcfDecisions(data: TcfData, options: TcfConsentOptions = {}): ConsentDecisions | undefined {
  if (data.gdprApplies === false) return GRANTED;
  if (data.eventStatus === 'cmpuishown') return PENDING;
  if (data.eventStatus !== 'tcloaded' && data.eventStatus !== 'useractioncomplete') return undefined;
  const { vendorId } = options;
  const vendorOk = vendorId === undefined || data.vendor?.consents?.[vendorId] === true;
  const allowed = (purpose: number): boolean => {
    const byVendor: ById<number> = data.publisher?.restrictions?.[purpose] ?? {};
    const restriction = vendorId === undefined ? undefined : byVendor[vendorId];
    return data.purpose?.consents?.[purpose] === true && !DISALLOWING_RESTRICTIONS.has(restriction ?? -1);
  };
  const storage = vendorOk && allowed(1);
  const userData = storage && (options.purposes ?? DEFAULT_TCF_PURPOSES).every(allowed);
  return { storage: storage ? 'granted' : 'denied', userData: userData ? 'granted' : 'denied' };
}

/** Longest pause between two looks for a CMP that is not on the page yet. */
const MAX_LOOK_MS = 2_000;

/**
 * A consent source that follows the page's TCF v2.2 CMP through
 * `__tcfapi('addEventListener', 2, …)`. A CMP (or its stub) that is not on
 * the page yet is looked for again, less and less often, so one loaded later
 * is still followed. Options: see {@link TcfConsentOptions}.
 *
 * @example
 * ```ts
 * init({ apiKey: 'pk_live_…', region: 'eu', consentSource: tcfConsent({ vendorId: 1234 }) });
 * ```
 */
export function tcfConsent(options: TcfConsentOptions = {}): ConsentSource {
  return {
    start(update, report) {
      const heard = watchSilence('No TCF CMP (__tcfapi)', report);
      let stopped = false;
      let listenerId: number | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let wait = 50;
      const api = (): TcfApi | undefined => {
        const found = (window as { __tcfapi?: unknown }).__tcfapi;
        return typeof found === 'function' ? (found as TcfApi) : undefined;
      };
      const look = (): void => {
        const tcfapi = api();
        if (stopped) return;
        if (!tcfapi) {
          timer = setTimeout(look, wait);
          wait = Math.min(wait * 2, MAX_LOOK_MS);
          return;
        }
        try {
          tcfapi('addEventListener', 2, (data, success) => {
            try {
              if (stopped || !success || !data) return;
              listenerId = data.listenerId;
              const decisions = tcfDecisions(data, options);
              heard();
              if (decisions) update(decisions);
            } catch {
              // TCData with a throwing getter: that event states nothing, and the CMP is not disturbed.
            }
          });
        } catch {
          // A broken CMP: nothing is heard, and the client reports the silence.
        }
      };
      look();
      return () => {
        stopped = true;
        heard();
        clearTimeout(timer);
        if (listenerId !== undefined) api()?.('removeEventListener', 2, () => undefined, listenerId);
      };
    },
  };
}
