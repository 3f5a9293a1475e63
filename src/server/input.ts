/**
 * Server input to POST body: validates the server-only fields (ids, platform,
 * user agent, timestamp), reuses the browser's field rules for the rest
 * (`schema.ts`), hashes the raw-PII `user` and `customer` through `pii`, and
 * hands the record to the POST encoder. One bad field is dropped and
 * reported; only what the event cannot exist without loses the event.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type {
  HashedFields,
  Id,
  OrderItem,
  OrderRecord,
  PageViewInput,
  PageViewRecord,
  Person,
  Profile,
} from '../model.js';
import { hashPerson, scrubPageUrl } from '../pii/index.js';
import { validateId, validateOrder, validatePageView } from '../schema.js';
import { orderBody, pageViewBody } from './post-shape.js';
import type { PostEvent } from './post-shape.js';

/** Fields both server events carry. */
export interface ServerCommonInput {
  /** The browser's visitor id (`readIdsFromCookieHeader`). Required. */
  visitor_id: string;
  /** The session's start in epoch milliseconds, as the browser's session cookie holds it. Required. */
  session_id: Id;
  /** @default 'web' */
  platform?: string;
  /** The end user's browser or app user agent (not the server's own). */
  user_agent?: string;
  crm_id?: Id;
  /** The signed-in user's raw PII (or its hashes): the `*_user` fields and `hashed_email`. */
  user?: Profile;
}

/**
 * `track('page_view', …)` on the server: the browser's page-view fields (the
 * same model), the POST-only ones, plus `user`.
 */
export interface ServerPageViewInput extends ServerCommonInput, Omit<PageViewInput, 'page_view_url' | 'crm_id'> {
  /** Epoch milliseconds or a `Date`. @default now */
  page_view_ts?: number | Date;
  /** The page's plain URL (no default here: a server has no location); percent-encoded on the wire as the vendor's example shows. */
  page_view_url?: string;
}

/** `track('order', …)` on the server: the POST field names, plus `user` and `customer`. */
export interface ServerOrderInput extends ServerCommonInput {
  /** Epoch milliseconds or a `Date`. @default now */
  order_ts?: number | Date;
  order_id: Id;
  items: OrderItem[];
  /** The order's own customer (billing/contact): the hashed fields without `_user`. */
  customer?: Person;
}

export interface ServerInputs {
  page_view: ServerPageViewInput;
  order: ServerOrderInput;
}

export type ServerEventName = keyof ServerInputs;

export interface BuildOptions {
  /** ISO alpha-2, for national-format phone numbers without a `country`. */
  defaultCountry?: string;
  /** Epoch milliseconds used for an absent timestamp. */
  now: number;
  /** A missing or invalid timestamp loses the event instead of defaulting to now (file dumps of past events). */
  requireTimestamp?: boolean;
}

export type BuildResult = { ok: true; post: PostEvent; errors: InputError[] } | { ok: false; errors: InputError[] };

// Before ~1973 in milliseconds: almost surely a timestamp in seconds, a common mistake.
const MIN_TS_MS = 1e11;
const timestamp = z.union([
  z.number().int().gte(MIN_TS_MS).lte(Number.MAX_SAFE_INTEGER),
  z
    .date()
    .transform((date) => date.getTime())
    .pipe(z.number().gte(MIN_TS_MS)),
]);
const text = z.string().trim().min(1).max(2048);
const SERVER_FIELDS = {
  visitor_id: z.string().trim().min(1).max(256),
  session_id: z.union([z.string().trim().min(1).max(64), z.number().int().nonnegative().transform(String)]),
  platform: z.string().trim().min(1).max(64),
  user_agent: text,
} as const;

type ServerFieldName = keyof typeof SERVER_FIELDS;
const PERSON_KEYS = new Set(['user', 'customer']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, message: string, event: ServerEventName): InputError {
  return new InputError('invalid_field', message, { field, event });
}

/** Errors name whose field it was (`customer.phone`); `pii` already does, this keeps it so. */
function prefixed(errors: InputError[], prefix: string, event: ServerEventName): InputError[] {
  return errors.map((error) =>
    error.field?.startsWith(`${prefix}.`)
      ? error
      : new InputError(error.code, error.message, { field: error.field ? `${prefix}.${error.field}` : prefix, event }),
  );
}

function hashed(
  person: unknown,
  role: 'user' | 'customer',
  event: ServerEventName,
  options: BuildOptions,
  errors: InputError[],
): HashedFields {
  if (person === undefined || person === null) return {};
  if (!isObject(person)) {
    errors.push(invalid(role, `${role} must be an object of PII fields; ignored`, event));
    return {};
  }
  // `crm_id` rides on the profile but is an id, not PII: hashPerson ignores it.
  const result = hashPerson(person as Person, {
    role,
    now: new Date(options.now),
    event,
    ...(options.defaultCountry === undefined ? {} : { defaultCountry: options.defaultCountry }),
  });
  errors.push(...prefixed(result.errors, role, event));
  return result.fields;
}

/**
 * The page URL as the browser SDK would send it: emails and PII query
 * parameters removed. A URL given already percent-encoded (as the vendor's
 * POST example shows it) is decoded first, so its PII is found too.
 */
function privatePageUrl(url: string): string {
  let plain = url;
  if (/^[a-z][a-z0-9+.-]*%3A/i.test(url)) {
    try {
      plain = decodeURIComponent(url);
    } catch {
      // A malformed escape: scrub it as written.
    }
  }
  return scrubPageUrl(plain);
}

/**
 * Validates and hashes one server event into its POST body. Never throws.
 * `hashed_email` is the order customer's, else the signed-in user's.
 */
export function buildPostEvent<E extends ServerEventName>(
  event: E,
  input: unknown,
  options: BuildOptions,
): BuildResult {
  const errors: InputError[] = [];
  if (!isObject(input))
    return { ok: false, errors: [invalid(event, `${event} takes an object of fields; not sent`, event)] };

  const common: Partial<Record<ServerFieldName, string>> = {};
  const rest: Record<string, unknown> = {};
  const tsField = event === 'order' ? 'order_ts' : 'page_view_ts';
  let ts: number | undefined;
  for (const [name, value] of Object.entries(input)) {
    if (name in SERVER_FIELDS) {
      if (value === undefined || value === null) continue;
      const parsed = SERVER_FIELDS[name as ServerFieldName].safeParse(value);
      if (parsed.success) common[name as ServerFieldName] = parsed.data;
      else
        errors.push(
          invalid(name, `${name} is invalid (${parsed.error.issues[0]?.message ?? 'wrong type'}); dropped`, event),
        );
    } else if (name === tsField) {
      if (value === undefined || value === null) continue;
      const parsed = timestamp.safeParse(value);
      if (parsed.success) ts = parsed.data;
      else errors.push(invalid(name, `${name} must be epoch milliseconds (an integer) or a Date; dropped`, event));
    } else if (!PERSON_KEYS.has(name)) {
      rest[name] = value;
    }
  }

  for (const required of ['visitor_id', 'session_id'] as const) {
    if (common[required] === undefined && !errors.some((error) => error.field === required)) {
      errors.push(invalid(required, `${required} is required; ${event} not sent`, event));
    }
  }
  if (ts === undefined && options.requireTimestamp && !errors.some((error) => error.field === tsField)) {
    errors.push(invalid(tsField, `${tsField} is required here; ${event} not sent`, event));
  }
  const cannotSend =
    common.visitor_id === undefined ||
    common.session_id === undefined ||
    (ts === undefined && options.requireTimestamp);

  const userFields = hashed(input.user, 'user', event, options, errors);
  const userCrmId = isObject(input.user) ? validateId(input.user.crm_id, 'user.crm_id', event) : {};
  if (userCrmId.error) errors.push(userCrmId.error);

  if (event === 'page_view') {
    if (input.customer !== undefined) {
      errors.push(invalid('customer', 'a page view carries no order customer (use user); ignored', event));
    }
    const fields = validatePageView(rest);
    errors.push(...fields.errors);
    if (cannotSend) return { ok: false, errors };
    if (fields.value?.page_view_url !== undefined)
      fields.value.page_view_url = privatePageUrl(fields.value.page_view_url);
    const record: PageViewRecord = {
      ...(userCrmId.value === undefined ? {} : { crm_id: userCrmId.value }),
      ...fields.value,
      ...userFields,
      ...common,
      visitor_id: common.visitor_id!,
      session_id: common.session_id!,
      page_view_ts: ts ?? options.now,
    };
    return { ok: true, post: { event: 'page_view', body: pageViewBody(record) }, errors };
  }

  if (rest.page_view_url !== undefined) {
    errors.push(invalid('page_view_url', 'POST /orders has no page URL field; ignored', event));
    delete rest.page_view_url;
  }
  const customerFields = hashed(input.customer, 'customer', event, options, errors);
  const fields = validateOrder(rest);
  errors.push(...fields.errors);
  if (cannotSend || fields.value === undefined) return { ok: false, errors };
  const email = customerFields.hashed_email ?? userFields.hashed_email;
  const record: OrderRecord = {
    ...(userCrmId.value === undefined ? {} : { crm_id: userCrmId.value }),
    ...fields.value,
    ...userFields,
    ...customerFields,
    ...(email === undefined ? {} : { hashed_email: email }),
    ...common,
    visitor_id: common.visitor_id!,
    session_id: common.session_id!,
    order_ts: ts ?? options.now,
  };
  return { ok: true, post: { event: 'order', body: orderBody(record) }, errors };
}
