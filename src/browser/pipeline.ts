/**
 * The browser's event pipeline: one tracked call in, one request out, in one
 * direction (ARCHITECTURE.md):
 *
 *   prepare (copy, validate, hash the customer's PII: `core/prepare.ts`)
 *   -> repeated page view? -> ids and attribution -> build the record
 *   -> encode as GET -> deliver (which claims an order's id first: sent before?)
 *
 * It runs only while consent is granted (the client holds calls back until
 * then) and never throws: every problem becomes a typed error in the result,
 * and in `onError`.
 */
import { InputError, type SymbiosysError } from '../core/errors.js';
import { MAX_GET_URL_LENGTH } from '../core/fields.js';
import { encodeGet } from '../core/get-encoder.js';
import type { Profile, ProfileFields } from '../core/model.js';
import type { Sha256Hex } from '../core/pii/hash.js';
import { NO_INPUT, plainInput } from '../core/plain-input.js';
import { prepareEvent, prepareProfile } from '../core/prepare.js';
import { buildRecord } from '../core/record.js';
import type { Attribution } from './attribution.js';
import { withoutUserData } from './consent.js';
import type { DebugView } from './debug.js';
import type { Delivery, DeliveryStatus } from './delivery.js';
import type { Identity } from './identity.js';
import type { OrderClaims } from './order-claims.js';
import type { PageViewGate } from './page-view-gate.js';
import { dropped, type DropReason, type TrackCall, type TrackResult } from './result.js';

/** What exists only while consent is granted: the ids and what this browser remembers. */
export interface BrowserState {
  identity: Identity;
  attribution: Attribution;
  orders: OrderClaims;
}

export interface PipelineOptions {
  apiKey: string;
  /** The Event API's base URL. */
  base: string;
  defaultCountry?: string | undefined;
  piiQueryParams?: readonly string[] | undefined;
  sha256: Sha256Hex;
  pageViews: PageViewGate;
  delivery: Delivery;
  /** The client's error channel. */
  report: (error: SymbiosysError) => void;
  /** The `debug: true` console view; absent when off. */
  debug?: DebugView | undefined;
  /** Consent to user data (`consent.ts`): when false, no PII is hashed and no `hashed_*` or `crm_id` is sent. */
  userData?: () => boolean;
}

/** Hashes a profile once (`identify`): every later event carries the result. Reports what it drops. */
export function hashProfile(
  given: Profile,
  options: Pick<PipelineOptions, 'defaultCountry' | 'sha256' | 'report'>,
): ProfileFields {
  const read = plainInput(given, undefined, 'user');
  const profile = prepareProfile(read.value ?? NO_INPUT, options, read.errors);
  read.errors.forEach(options.report);
  return profile;
}

export async function runPipeline(
  call: TrackCall,
  state: BrowserState,
  profile: ProfileFields,
  options: PipelineOptions,
): Promise<TrackResult> {
  const { event, at } = call;
  const userData = options.userData?.() ?? true;
  const prepared = prepareEvent(event, call.input, {
    caller: 'browser',
    sha256: options.sha256,
    defaultCountry: options.defaultCountry,
    userData,
  });
  const { fields } = prepared;
  const errors: SymbiosysError[] = prepared.errors;
  const fail = (reason: DropReason, error?: SymbiosysError): TrackResult => {
    if (error) errors.push(error);
    errors.forEach(options.report);
    return dropped(event, reason, errors);
  };
  if (!prepared.sendable) return fail('invalid');

  const pageUrl = typeof fields.page_view_url === 'string' ? fields.page_view_url : call.url;
  if (event === 'page_view' && !options.pageViews.admit({ ...fields, page_view_url: pageUrl }, at)) {
    return fail('repeated_page_view');
  }

  // A page URL no GET can carry is left out, unread (never scrubbed at length), and the event still goes.
  const locationTooLong = call.url.length > MAX_GET_URL_LENGTH;
  if (locationTooLong && fields.page_view_url === undefined) {
    const message = `page_view_url is over ${MAX_GET_URL_LENGTH} characters: left out`;
    errors.push(new InputError('too_large', message, { field: 'page_view_url', event }));
  }
  const ids = state.identity.idsForEvent(at);
  const built = buildRecord(event, prepared.record, {
    timestamp: at,
    visitorId: ids.visitorId,
    sessionId: ids.sessionId,
    profile,
    attribution: event === 'page_view' ? state.attribution.forPageView(call.url, ids) : undefined,
    pageUrl: locationTooLong ? undefined : call.url,
    piiQueryParams: options.piiQueryParams,
  });
  const record = userData ? built : withoutUserData(built);
  const encoded = encodeGet(event, record, { apiKey: options.apiKey, base: options.base });
  if (!encoded.ok) return fail('too_large', encoded.error);
  options.debug?.encoded(call, record, encoded.request.url);
  errors.forEach(options.report);

  const orderId = event === 'order' ? String(fields.order_id) : undefined;
  // Claimed by delivery, once the order is known to be sendable: a refused order can be fixed and tracked again.
  const { error, ...status }: DeliveryStatus & { error?: SymbiosysError } = await options.delivery.send({
    event,
    url: encoded.request.url,
    orderId,
    createdAt: at,
  });
  return { event, ...status, errors: error ? [...errors, error] : errors };
}
