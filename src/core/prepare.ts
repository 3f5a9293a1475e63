/**
 * An event's input made ready for `buildRecord`, the same way in the browser
 * and on the server: the input copied once into plain data (`plainInput`),
 * validated from the field table as the caller takes it, the signed-in
 * user's and the order customer's PII hashed, a `crm_id` checked and written
 * as text. What each platform adds is only its own: the ids and time around
 * the event (the browser's storage, the server's input) and its encoder (GET
 * or POST).
 */
import type { InputError } from './errors.js';
import type { EventName } from './fields.js';
import type { HashedFields, ProfileFields } from './model.js';
import { hashPerson } from './pii/person.js';
import type { Sha256Hex } from './pii/hash.js';
import { NO_INPUT, isObject, plainInput } from './plain-input.js';
import type { RecordInput } from './record.js';
import { validateEvent, validateField, type Caller, type ValidFields } from './validate.js';

export interface PrepareOptions {
  /** Who calls: the browser (GET fields; its profile comes from `identify`) or a server (POST fields and `user`). */
  caller: Caller;
  /** SHA-256 as 64 lowercase hex: each platform brings its own. */
  sha256: Sha256Hex;
  /** ISO alpha-2, for national-format phone numbers whose person has no `country`. */
  defaultCountry?: string | undefined;
  /** "Now" for the date-of-birth range. @default the current time */
  now?: Date | undefined;
  /** A missing timestamp loses the event instead of defaulting to now (file dumps of past events). */
  requireTimestamp?: boolean | undefined;
  /** Consent to user data: when false, no PII is hashed (the `user` and the order's customer are left unread). @default true */
  userData?: boolean | undefined;
}

export interface PreparedEvent {
  /** The event's own fields, items and customer hashes, for `buildRecord`. */
  record: RecordInput;
  /** The validated top-level fields (`record.fields`), ids among them as text. */
  fields: ValidFields;
  /** A server event's `user`, hashed; absent in the browser, whose profile comes from `identify`. */
  profile: ProfileFields | undefined;
  /** Every field dropped, in input order: unreadable, invalid, then the persons'. */
  errors: InputError[];
  /** False when the event cannot be sent (a required field is missing or invalid, or no order line is left). */
  sendable: boolean;
}

/** A person's PII hashed for `role`, the hashes' errors appended to `errors`. */
function hashedPerson(
  person: unknown,
  role: 'user' | 'customer',
  options: Omit<PrepareOptions, 'caller' | 'requireTimestamp'>,
  errors: InputError[],
  event: EventName | undefined,
): HashedFields {
  const hashed = hashPerson(person, {
    role,
    sha256: options.sha256,
    defaultCountry: options.defaultCountry,
    ...(options.now && { now: options.now }),
    event,
  });
  errors.push(...hashed.errors);
  return hashed.fields;
}

/**
 * A person's PII as the `*_user` hashes and its `crm_id` (the signed-in
 * profile: `identify`, a server event's `user`). `profile` is plain data
 * already (`plainInput`); its errors are appended to `errors`.
 */
export function prepareProfile(
  profile: unknown,
  options: Omit<PrepareOptions, 'caller' | 'requireTimestamp'>,
  errors: InputError[],
  event?: EventName,
): ProfileFields {
  const hashed = hashedPerson(profile, 'user', options, errors, event);
  const crmId = isObject(profile) ? profile.crm_id : undefined;
  const crm = crmId == null ? undefined : validateField('crm_id', crmId, 'user.crm_id', event, errors);
  return { ...hashed, crm_id: crm === undefined ? undefined : String(crm) };
}

/** Copies, validates and hashes one event's input. Never throws, whatever the input's getters do. */
export function prepareEvent(event: EventName, raw: unknown, options: PrepareOptions): PreparedEvent {
  const { value: input, errors } = plainInput(raw, event);
  const valid = validateEvent(event, input, options.caller, { requireTimestamp: options.requireTimestamp });
  errors.push(...valid.errors);
  const given = isObject(input) ? input : NO_INPUT;
  const userData = options.userData ?? true;
  const profile =
    userData && options.caller === 'server' && given.user != null
      ? prepareProfile(given.user, options, errors, event)
      : undefined;
  const customer =
    userData && event === 'order' && given.customer != null
      ? hashedPerson(given.customer, 'customer', options, errors, event)
      : undefined;
  return {
    record: { fields: valid.fields, items: valid.items, customer },
    fields: valid.fields,
    profile,
    errors,
    sendable: valid.sendable,
  };
}
