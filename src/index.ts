/**
 * `@acme/symbiosys`, the browser entry. Everything public is named here;
 * importing it touches no browser global, so it is safe in server-side
 * rendering. The POST endpoints live in `@acme/symbiosys/server`.
 */
export { SymbiosysClient } from './browser/client.js';
export type { ClientOptions, TrackOptions, TrackResult } from './browser/client.js';
export { init, track, identify, reset, setConsent, flush, getClient } from './browser/default-client.js';
export type { Consent, ConsentDecisions, ConsentInput, ConsentSource } from './browser/consent.js';
// The consent adapters: separate modules, so a bundle that imports neither carries neither.
export { tcfConsent } from './browser/consent-tcf.js';
export type { TcfConsentOptions } from './browser/consent-tcf.js';
export { googleConsentMode } from './browser/consent-google.js';
export type { GoogleConsentModeOptions } from './browser/consent-google.js';
export { SymbiosysError, InputError, DeliveryError, DropError, isSymbiosysError } from './core/errors.js';
export type {
  ErrorCode,
  InputErrorCode,
  DeliveryErrorCode,
  DropErrorCode,
  SetupErrorCode,
  ErrorHandler,
} from './core/errors.js';
export { HOSTS } from './core/hosts.js';
export type { Environment, Region } from './core/hosts.js';
export type { Transport } from './browser/transport.js';
export type { StorageMode } from './browser/storage.js';
export { DEFAULT_CLICK_IDS } from './browser/attribution.js';
export type {
  Id,
  DateOfBirth,
  Person,
  Profile,
  ProductFields,
  PageViewInput,
  OrderItem,
  OrderInput,
  EventName,
  EventInputs,
} from './core/model.js';
