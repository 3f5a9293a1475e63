/**
 * PII: normalize and hash a person's details, and scrub page URLs. Shared by
 * the browser and server entries; touches no browser global.
 */
export { hashPerson } from './person.js';
export type { HashPersonOptions, HashedPerson, PersonRole } from './person.js';
export { privatePageUrl, scrubPageUrl, stripEmails, DEFAULT_PII_PARAMS } from './page-url.js';
export type { ScrubPageUrlOptions } from './page-url.js';
export { isHashed, EMPTY_HASH } from './hash.js';
export type { Sha256Hex } from './hash.js';
export { callingCodeOf, callingCodes, knownCountries, splitCallingCode } from './calling-codes.js';
// The per-field rules, for tests, the local receiver and anyone checking a hash by hand.
export { normalizeEmail } from './email.js';
export { normalizeName } from './name.js';
export { normalizeState } from './state.js';
export { normalizeZipCode } from './zip-code.js';
export { normalizeDateOfBirth, hashDateOfBirth } from './date-of-birth.js';
export { parsePhone } from './phone.js';
export type { ParsedPhone } from './phone.js';
export { hashText, prepareText } from './field.js';
export type { FieldHash, FieldRule, Normalized } from './field.js';
