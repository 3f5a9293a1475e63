/**
 * A server event, from input to POST body, through the same core as the
 * browser: validation from the field table (`core/validate.ts`, here with the
 * context fields a server passes: ids, time, platform, user agent), the
 * raw-PII `user` and `customer` hashed by `core/pii`, one record by the one
 * precedence rule (`core/record.ts`), written by the POST encoder. One bad
 * field is dropped and reported; only what the event cannot exist without
 * loses the event.
 */
import type { InputError } from '../core/errors.js';
import type { EventName } from '../core/fields.js';
import type { EventFieldsInput, HashedFields, OrderItem, Person, Profile } from '../core/model.js';
import { hashPerson } from '../core/pii/index.js';
import { plainInput } from '../core/plain-input.js';
import { postBody, type PostEvent } from '../core/post-encoder.js';
import { buildRecord } from '../core/record.js';
import { validateEvent, validateField } from '../core/validate.js';
import { sha256Hex } from './hash.js';

/** What both server events take besides their fields. */
interface ServerPersons {
  /** The signed-in user's raw PII (or its hashes): the `*_user` fields and `hashed_email`; its `crm_id` too. */
  user?: Profile;
}

/**
 * `track('page_view', …)` on the server: the browser's page-view fields, plus
 * the context only the browser knows (`visitor_id`, `session_id`, both
 * required; from `readIdsFromCookieHeader`), `platform`, `user_agent`,
 * `page_view_ts` (epoch ms or a `Date`; default now), and `user`.
 */
export type ServerPageViewInput = EventFieldsInput<'page_view', 'server'> & ServerPersons;

/** `track('order', …)` on the server: the POST order's fields, plus `user` and `customer`. */
export type ServerOrderInput = EventFieldsInput<'order', 'server'> &
  ServerPersons & {
    items: OrderItem[];
    /** The order's own customer (billing/contact): the hashed fields without `_user`. */
    customer?: Person;
  };

export interface ServerInputs {
  page_view: ServerPageViewInput;
  order: ServerOrderInput;
}

export type ServerEventName = keyof ServerInputs;

export interface BuildOptions {
  /** ISO alpha-2, for national-format phone numbers without a `country`. */
  defaultCountry?: string | undefined;
  /** Epoch milliseconds used for an absent timestamp, and as "now" for the date-of-birth range. */
  now: number;
  /** A missing or invalid timestamp loses the event instead of defaulting to now (file dumps of past events). */
  requireTimestamp?: boolean;
}

export type BuildResult = { ok: true; post: PostEvent; errors: InputError[] } | { ok: false; errors: InputError[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A person's hashed fields; its errors named by whose field it was (`customer.phone`). */
function hashed(
  person: unknown,
  role: 'user' | 'customer',
  event: EventName,
  options: BuildOptions,
  errors: InputError[],
): HashedFields | undefined {
  if (person == null) return undefined;
  const result = hashPerson(person, {
    role,
    sha256: sha256Hex,
    now: new Date(options.now),
    event,
    defaultCountry: options.defaultCountry,
  });
  errors.push(...result.errors);
  return result.fields;
}

/** Validates and hashes one server event into its POST body. Never throws, whatever the input's getters do. */
export function buildPostEvent(event: EventName, raw: unknown, options: BuildOptions): BuildResult {
  const { value: input, errors } = plainInput(raw, event);
  const valid = validateEvent(event, input, 'server', { requireTimestamp: options.requireTimestamp });
  errors.push(...valid.errors);
  const given = isObject(input) ? input : {};
  const user = hashed(given.user, 'user', event, options, errors);
  const userCrmId =
    isObject(given.user) && given.user.crm_id != null
      ? validateField('crm_id', given.user.crm_id, 'user.crm_id', event, errors)
      : undefined;
  const customer = event === 'order' ? hashed(given.customer, 'customer', event, options, errors) : undefined;
  if (!valid.sendable) return { ok: false, errors };

  const fields = { fields: valid.fields, items: valid.items, customer };
  const context = {
    timestamp: options.now,
    // Validated as required: the event is not sendable without them.
    visitorId: String(valid.fields.visitor_id),
    sessionId: String(valid.fields.session_id),
    profile: { ...user, crm_id: userCrmId === undefined ? undefined : String(userCrmId) },
  };
  const post: PostEvent =
    event === 'order'
      ? { event, body: postBody('order', buildRecord('order', fields, context)) }
      : { event, body: postBody('page_view', buildRecord('page_view', fields, context)) };
  return { ok: true, post, errors };
}
