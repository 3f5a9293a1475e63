/**
 * The test page's CMP: the IAB's own CMP API (`@iabtechlabtcf/cmpapi`) with
 * TC strings encoded by `@iabtechlabtcf/core`, bundled by esbuild for the
 * browser (test/browser/consent-tcf.test.ts). It plays a CMP's part on
 * `window.cmp`: the banner shown, the visitor's answer, GDPR not applying.
 */
import { CmpApi } from '@iabtechlabtcf/cmpapi';
import { GVL, TCModel, TCString } from '@iabtechlabtcf/core';

/** Our vendor in a one-vendor Global Vendor List. */
export const VENDOR_ID = 1234;

const purpose = (id: number) => ({ id, name: `Purpose ${id}`, description: '', illustrations: [] });
const gvl = new GVL({
  gvlSpecificationVersion: 3,
  vendorListVersion: 100,
  tcfPolicyVersion: 5,
  lastUpdated: '2026-01-01T00:00:00Z',
  purposes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [i + 1, purpose(i + 1)])),
  specialPurposes: {},
  features: {},
  specialFeatures: {},
  stacks: {},
  dataCategories: {},
  vendors: {
    [VENDOR_ID]: {
      id: VENDOR_ID,
      name: 'Symbiosys',
      purposes: [1, 7],
      legIntPurposes: [],
      flexiblePurposes: [],
      specialPurposes: [],
      features: [],
      specialFeatures: [],
      usesCookies: true,
      cookieMaxAgeSeconds: 31_536_000,
      cookieRefresh: true,
      usesNonCookieAccess: true,
      urls: [],
    },
  },
});

/** A TC string in which the visitor consented to these purposes and, if `vendor`, to our vendor. */
export function tcString(purposes: number[], vendor = true): string {
  const model = new TCModel(gvl);
  model.cmpId = 10;
  model.cmpVersion = 1;
  model.purposeConsents.set(purposes);
  if (vendor) model.vendorConsents.set(VENDOR_ID);
  return TCString.encode(model);
}

export function installCmp() {
  const api = new CmpApi(10, 1, false);
  return {
    /** The banner is open: no answer yet (`cmpuishown`). */
    show: () => api.update('', true),
    /** The visitor's answer (`useractioncomplete` after the banner, `tcloaded` for a stored one). */
    answer: (purposes: number[], vendor = true) => api.update(tcString(purposes, vendor), false),
    /** GDPR does not apply to this visitor. */
    notApplying: () => api.update(null),
  };
}
