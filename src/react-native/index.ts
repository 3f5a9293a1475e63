/**
 * `@acme/symbiosys/react-native`: the app route from the device, for React
 * Native and Expo. Runs on React Native's globals only (`fetch`,
 * `AbortController`, timers): no Node built-in, no DOM, no `TextEncoder`, no
 * `crypto.subtle`; its bundle compiles with Hermes. Everything public is
 * listed here by name.
 */
export { SymbiosysAppClient } from './client.js';
export type {
  AppClientOptions,
  AppCloseResult,
  AppEventName,
  AppInputs,
  AppOrderInput,
  AppPageViewInput,
  AppTrackResult,
} from './client.js';
export type { AsyncStorageLike } from './storage.js';
export { flushInBackground } from './app-state.js';
export type { AppStateLike } from './app-state.js';
export type { RetryOptions } from '../core/dispatch/post.js';
export { DeliveryError, DropError, InputError, SymbiosysError, isSymbiosysError } from '../core/errors.js';
export type { DeliveryErrorCode, DropErrorCode, ErrorCode, ErrorHandler, InputErrorCode } from '../core/errors.js';
export type { Environment, Region } from '../core/hosts.js';
export type { Id, OrderItem, Person, Profile } from '../core/model.js';
