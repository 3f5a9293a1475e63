/**
 * A server event, from input to POST body, through the same core as the
 * browser: `prepareEvent` (`core/prepare.ts`: the input copied, validated as
 * a server takes it, with the context fields a server passes, and the raw-PII
 * `user` and `customer` hashed), one record by the one precedence rule
 * (`core/record.ts`), written by the POST encoder. What the server adds is
 * its own: the ids and time it was given, and node:crypto's SHA-256. One bad
 * field is dropped and reported; only what the event cannot exist without
 * loses the event.
 */
import type { InputError } from '../core/errors.js';
import type { EventName } from '../core/fields.js';
import type { EventFieldsInput, OrderItem, Person, Profile } from '../core/model.js';
import { postBody, type PostEvent } from '../core/post-encoder.js';
import { prepareEvent } from '../core/prepare.js';
import { buildRecord } from '../core/record.js';
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
    /** The order's lines, at least one: a line without a valid `product_id` and `quantity` is dropped, reported. */
    items: OrderItem[];
    /** The order's own customer (billing/contact): the hashed fields without `_user`. */
    customer?: Person;
  };

/** Each server event's input, by event name: `track(event, input)` takes `ServerInputs[event]`. */
export interface ServerInputs {
  page_view: ServerPageViewInput;
  order: ServerOrderInput;
}

/** The server client's events: `'page_view'` (`POST /page_view`) and `'order'` (`POST /orders`, batched). */
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

/** Validates and hashes one server event into its POST body. Never throws, whatever the input's getters do. */
export function buildPostEvent(event: EventName, raw: unknown, options: BuildOptions): BuildResult {
  const prepared = prepareEvent(event, raw, {
    caller: 'server',
    sha256: sha256Hex,
    defaultCountry: options.defaultCountry,
    now: new Date(options.now),
    requireTimestamp: options.requireTimestamp,
  });
  const { fields, errors } = prepared;
  if (!prepared.sendable) return { ok: false, errors };
  const context = {
    timestamp: options.now,
    // Validated as required: the event is not sendable without them.
    visitorId: String(fields.visitor_id),
    sessionId: String(fields.session_id),
    profile: prepared.profile,
  };
  const post: PostEvent =
    event === 'order'
      ? { event, body: postBody('order', buildRecord('order', prepared.record, context)) }
      : { event, body: postBody('page_view', buildRecord('page_view', prepared.record, context)) };
  return { ok: true, post, errors };
}
