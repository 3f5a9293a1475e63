/**
 * `@acme/symbiosys`, the browser entry. Everything public is named here;
 * importing it touches no browser global, so it is safe in server-side
 * rendering. The POST endpoints live in `@acme/symbiosys/server`.
 */
export { SymbiosysClient } from './client.js';
export type { ClientOptions, TrackOptions, TrackResult } from './client.js';
export { init, track, identify, setConsent, flush, getClient } from './default-client.js';
export type { Consent } from './consent.js';
export { SymbiosysError, InputError, DeliveryError, DropError, isSymbiosysError } from './errors.js';
export type { ErrorCode, InputErrorCode, DeliveryErrorCode, DropErrorCode, ErrorHandler } from './errors.js';
export { HOSTS } from './hosts.js';
export type { Environment, Region } from './hosts.js';
export type { Transport } from './transport.js';
export type { StorageMode } from './storage.js';
export { DEFAULT_CLICK_IDS } from './attribution.js';
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
} from './model.js';
