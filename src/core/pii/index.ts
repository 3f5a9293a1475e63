/**
 * PII: normalize and hash a person's details, and scrub page URLs. Shared by
 * the browser and server entries; touches no browser global. The per-field
 * rules (`email.ts`, `phone.ts`, …) are reached through `hashPerson`; their
 * tests import each module itself.
 */
export { hashPerson } from './person.js';
export type { HashPersonOptions, HashedPerson, PersonRole } from './person.js';
export { privatePageUrl, scrubPageUrl, stripEmails, DEFAULT_PII_PARAMS } from './page-url.js';
export type { ScrubPageUrlOptions } from './page-url.js';
export { isHashed, EMPTY_HASH } from './hash.js';
export type { Sha256Hex } from './hash.js';
export { callingCodeOf, callingCodes, knownCountries, splitCallingCode } from './calling-codes.js';
