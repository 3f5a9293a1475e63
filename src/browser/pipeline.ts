/**
 * The browser's event pipeline: one tracked call in, one request out, in one
 * direction (ARCHITECTURE.md):
 *
 *   validate -> repeated page view? -> hash the customer's PII
 *   -> ids and attribution -> build the record -> encode as GET
 *   -> deliver (which claims an order's id first: sent before?)
 *
 * It runs only while consent is granted (the client holds calls back until
 * then) and never throws: every problem becomes a typed error in the result,
 * and in `onError`.
 */
import { InputError, type SymbiosysError } from '../core/errors.js';
import { MAX_GET_URL_LENGTH, type EventName } from '../core/fields.js';
import { encodeGet } from '../core/get-encoder.js';
import type { HashedFields, Profile } from '../core/model.js';
import { hashPerson, type Sha256Hex } from '../core/pii/index.js';
import { plainInput } from '../core/plain-input.js';
import { buildRecord } from '../core/record.js';
import { validateEvent, validateField } from '../core/validate.js';
import type { Attribution } from './attribution.js';
import type { DebugView } from './debug.js';
import type { Delivery, DeliveryStatus } from './delivery.js';
import type { Identity } from './identity.js';
import type { OrderClaims } from './order-claims.js';
import type { PageViewGate } from './page-view-gate.js';

export type TrackResult = (
  | { status: 'sent'; transport: 'fetch' | 'beacon'; confirmed: boolean }
  | { status: 'queued'; reason: 'consent_pending' | 'not_initialized' | 'offline' | 'retrying' }
  | {
      status: 'dropped';
      reason:
        | 'invalid'
        | 'duplicate'
        | 'repeated_page_view'
        | 'consent_denied'
        | 'forbidden'
        | 'rejected'
        | 'too_large'
        | 'queue_full'
        | 'unsupported_environment';
    }
) & {
  event: EventName;
  /** Everything that went wrong, fields dropped included. Empty when all went well. */
  errors: SymbiosysError[];
};

export type DropReason = Extract<TrackResult, { status: 'dropped' }>['reason'];

export const dropped = (event: EventName, reason: DropReason, errors: SymbiosysError[]): TrackResult => ({
  event,
  status: 'dropped',
  reason,
  errors,
});

/** A tracked event as it was called: when, on which page, with what input. */
export interface TrackCall {
  event: EventName;
  input: unknown;
  /** Event time, ms since the epoch. */
  at: number;
  /** The page's URL at the time of the call. */
  url: string;
}

/** What exists only while consent is granted: the ids and what this browser remembers. */
export interface BrowserState {
  identity: Identity;
  attribution: Attribution;
  orders: OrderClaims;
}

/** The signed-in profile as every event carries it: its hashed `*_user` fields, `hashed_email`, `crm_id`. */
export type ProfileFields = HashedFields & { crm_id?: string | undefined };

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
}

/** Hashes a profile once (`identify`): every later event carries the result. Reports what it drops. */
export function hashProfile(
  given: Profile,
  options: Pick<PipelineOptions, 'defaultCountry' | 'sha256' | 'report'>,
): ProfileFields {
  const read = plainInput(given, undefined, 'user');
  read.errors.forEach(options.report);
  const profile = (read.value ?? {}) as Profile;
  const { fields, errors } = hashPerson(profile, {
    role: 'user',
    sha256: options.sha256,
    defaultCountry: options.defaultCountry,
  });
  const crmErrors: InputError[] = [];
  const crm =
    profile.crm_id == null ? undefined : validateField('crm_id', profile.crm_id, 'user.crm_id', undefined, crmErrors);
  [...errors, ...crmErrors].forEach(options.report);
  return { ...fields, crm_id: crm === undefined ? undefined : String(crm) };
}

export async function runPipeline(
  call: TrackCall,
  state: BrowserState,
  profile: ProfileFields,
  options: PipelineOptions,
): Promise<TrackResult> {
  const { event, at } = call;
  const { value: input, errors: unreadable } = plainInput(call.input, event);
  const valid = validateEvent(event, input, 'browser');
  const errors: SymbiosysError[] = [...unreadable, ...valid.errors];
  const fail = (reason: DropReason, error?: SymbiosysError): TrackResult => {
    if (error) errors.push(error);
    errors.forEach(options.report);
    return dropped(event, reason, errors);
  };
  if (!valid.sendable) return fail('invalid');

  const pageUrl = typeof valid.fields.page_view_url === 'string' ? valid.fields.page_view_url : call.url;
  if (event === 'page_view' && !options.pageViews.admit({ ...valid.fields, page_view_url: pageUrl }, at)) {
    return fail('repeated_page_view');
  }

  // An order's customer becomes its own hashed fields (whose email wins over the profile's).
  const customerInput = event === 'order' ? (input as { customer?: unknown }).customer : undefined;
  let customer: HashedFields | undefined;
  if (customerInput != null) {
    const hashed = hashPerson(customerInput, {
      role: 'customer',
      sha256: options.sha256,
      defaultCountry: options.defaultCountry,
      event,
    });
    errors.push(...hashed.errors);
    customer = hashed.fields;
  }

  // A page URL no GET can carry is left out, unread (never scrubbed at length), and the event still goes.
  const locationTooLong = call.url.length > MAX_GET_URL_LENGTH;
  if (locationTooLong && valid.fields.page_view_url === undefined) {
    const message = `page_view_url is over ${MAX_GET_URL_LENGTH} characters: left out`;
    errors.push(new InputError('too_large', message, { field: 'page_view_url', event }));
  }
  const ids = state.identity.idsForEvent(at);
  const record = buildRecord(
    event,
    { fields: valid.fields, items: valid.items, customer },
    {
      timestamp: at,
      visitorId: ids.visitorId,
      sessionId: ids.sessionId,
      profile,
      attribution: event === 'page_view' ? state.attribution.forPageView(call.url, ids) : undefined,
      pageUrl: locationTooLong ? undefined : call.url,
      piiQueryParams: options.piiQueryParams,
    },
  );
  const encoded = encodeGet(event, record, { apiKey: options.apiKey, base: options.base });
  if (!encoded.ok) return fail('too_large', encoded.error);
  options.debug?.encoded(call, record, encoded.request.url);
  errors.push(...encoded.request.errors);
  errors.forEach(options.report);

  const orderId = event === 'order' ? String(valid.fields.order_id) : undefined;
  // Claimed by delivery, once the order is known to be sendable: a refused order can be fixed and tracked again.
  const { error, ...status }: DeliveryStatus & { error?: SymbiosysError } = await options.delivery.send({
    event,
    url: encoded.request.url,
    orderId,
    createdAt: at,
  });
  return { event, ...status, errors: error ? [...errors, error] : errors };
}
