/**
 * `@acme/symbiosys/server`: the Node entry. Sends the vendor's POST shapes
 * with the `api_key` header, batches orders, retries what may be retried.
 * Everything public is listed here by name.
 */
export { SymbiosysServerClient } from './client.js';
export type {
  BatchOptions,
  CloseOptions,
  CloseResult,
  ServerClientOptions,
  ServerErrorHandler,
  ServerTrackResult,
} from './client.js';
export type { RetryOptions } from '../core/dispatch/post.js';
export type { ServerEventName, ServerInputs, ServerOrderInput, ServerPageViewInput } from './input.js';
export type { OrderBody, OrderItemBody, PageViewBody, PostEvent } from '../core/post-encoder.js';
export { readIdsFromCookieHeader } from './cookies.js';
export type { CookieIds } from './cookies.js';
export { toRecords, writeNdjson } from './records.js';
export type { RecordsOptions } from './records.js';
export { GcsUploadError, uploadRecordsToGcs } from './gcs.js';
export type { GcsUploadErrorCode, GcsUploadOptions, GcsUploadResult } from './gcs.js';
export { DeliveryError, DropError, InputError, SymbiosysError, isSymbiosysError } from '../core/errors.js';
export type { DeliveryErrorCode, DropErrorCode, ErrorCode, InputErrorCode, SetupErrorCode } from '../core/errors.js';
export type { Environment, Region } from '../core/hosts.js';
export type { Id, OrderItem, Person, Profile } from '../core/model.js';
