import { InputError } from '../errors.js';
import { FIELD_LIST, type EventName, type FieldName, type PersonRole, type PiiField } from '../fields.js';
import type { HashedFields, Person } from '../model.js';
import { callingCodeOf } from './calling-codes.js';
import { hashDateOfBirth } from './date-of-birth.js';
import { normalizeEmail } from './email.js';
import { accept, hashText, prepareText, refuse, type FieldHash, type FieldRule } from './field.js';
import type { Sha256Hex } from './hash.js';
import { normalizeName } from './name.js';
import { parsePhone } from './phone.js';
import { normalizeState } from './state.js';
import { normalizeZipCode } from './zip-code.js';

export type { PersonRole } from '../fields.js';

export interface HashPersonOptions {
  /** Whose PII this is: the signed-in profile (the `*_user` fields) or an order's customer. */
  role: PersonRole;
  /** SHA-256 as 64 lowercase hex (each entry brings its own). */
  sha256: Sha256Hex;
  /** ISO 3166 alpha-2, for national-format phones when the person has no `country`. */
  defaultCountry?: string | undefined;
  /** "This year" for the date-of-birth range. Default: the current time. */
  now?: Date;
  /** Stamped on every error, for the error channel. */
  event?: EventName | undefined;
}

export interface HashedPerson {
  fields: HashedFields;
  /** One `invalid_pii` error per dropped field; never holds a value. */
  errors: InputError[];
}

/** The hashed field each person field fills, per role, as the field table says. */
const HASHED_FIELD = {
  user: hashedFieldsOf('user'),
  customer: hashedFieldsOf('customer'),
} as const satisfies Record<PersonRole, Partial<Record<PiiField, FieldName>>>;

function hashedFieldsOf(role: PersonRole): Partial<Record<PiiField, FieldName>> {
  const out: Partial<Record<PiiField, FieldName>> = {};
  for (const spec of FIELD_LIST) {
    if (spec.pii !== undefined && (spec.role === role || spec.role === 'either')) out[spec.pii] = spec.name;
  }
  return out;
}

const TEXT_RULES: ReadonlyArray<readonly [field: PiiField, rule: FieldRule]> = [
  ['email', normalizeEmail],
  ['first_name', normalizeName],
  ['last_name', normalizeName],
  ['city', normalizeName],
  ['state', normalizeState],
  ['zip_code', normalizeZipCode],
];

/**
 * Normalizes and hashes a person's PII into the wire's hashed fields, as the
 * field table maps them: role `user` fills the profile's (`hashed_<field>_user`),
 * role `customer` the order customer's (`hashed_<field>`); email fills
 * `hashed_email` for either (it has no `_user` twin). A field that is empty or
 * invalid is dropped and reported; the others are still returned.
 *
 * Phones: a raw `phone` fills both `hashed_phone` and `hashed_phone_e164`; a
 * pre-hashed `phone` fills only `hashed_phone`. An explicit `phone_e164` (raw
 * E.164 or its hash) wins over the E.164 form derived from `phone`, because
 * the caller gave it on purpose; if it is invalid, it is reported and the
 * derived one is used. `crm_id` and unknown keys are ignored. Never throws.
 */
export function hashPerson(person: unknown, options: HashPersonOptions): HashedPerson {
  const { role, event, sha256 } = options;
  const fields: Record<string, string> & HashedFields = {};
  const errors: InputError[] = [];
  const target = HASHED_FIELD[role];
  const fail = (name: string, reason: string) => {
    const field = name ? `${role}.${name}` : role;
    errors.push(new InputError('invalid_pii', `${field} ${reason}: dropped`, { field, event }));
  };
  const put = (name: PiiField, outcome: FieldHash) => {
    if (!outcome.ok) {
      fail(name, outcome.reason);
      return;
    }
    const field = target[name];
    if (field !== undefined) fields[field] = outcome.hash;
  };

  if (typeof person !== 'object' || person === null) {
    fail('', 'must be an object');
    return { fields, errors };
  }
  // A getter or proxy that throws must cost one field, not the event.
  const given = person as Record<keyof Person, unknown>;
  const read = (name: keyof Person): unknown => {
    try {
      const value = given[name];
      return value === null ? undefined : value;
    } catch {
      fail(name, 'could not be read');
      return undefined;
    }
  };

  for (const [name, rule] of TEXT_RULES) {
    const value = read(name);
    if (value !== undefined) put(name, hashText(value, rule, sha256));
  }
  const dateOfBirth = read('date_of_birth');
  if (dateOfBirth !== undefined) put('date_of_birth', hashDateOfBirth(dateOfBirth, sha256, options.now));

  const callingCode = countryCallingCode(read('country'), options.defaultCountry, fail);
  // A raw phone also yields the E.164 hash; a pre-hashed one yields only hashed_phone.
  let derived: FieldHash | undefined;
  const phone = read('phone');
  if (phone !== undefined) {
    put(
      'phone',
      hashText(
        phone,
        (text) => {
          const parsed = parsePhone(text, callingCode);
          if (!parsed.ok) return parsed;
          derived = parsed.international
            ? { ok: true, hash: sha256(`+${parsed.digits}`) }
            : refuse('needs a calling code: none written, no country known');
          return accept(parsed.digits);
        },
        sha256,
      ),
    );
  }
  const explicit = read('phone_e164');
  const e164 = explicit === undefined ? undefined : hashE164(explicit, sha256);
  if (e164) put('phone_e164', e164);
  // The derived form fills in unless a valid explicit one was given; that it
  // can not be derived is news only when no explicit one was given.
  if (derived && !e164?.ok && (derived.ok || !e164)) put('phone_e164', derived);

  return { fields, errors };
}

/** The calling code for national-format phones: the person's country, else the default. */
function countryCallingCode(
  country: unknown,
  defaultCountry: string | undefined,
  fail: (name: string, reason: string) => void,
): string | undefined {
  if (country !== undefined) {
    const code = callingCodeOf(prepareText(country) ?? '');
    if (code) return code;
    fail('country', 'is not an ISO 3166 alpha-2 code');
  }
  return typeof defaultCountry === 'string' ? callingCodeOf(defaultCountry.trim()) : undefined;
}

/** An explicit `phone_e164`: a hash, or a number written with its calling code (`+…` or `00…`). */
function hashE164(value: unknown, sha256: Sha256Hex): FieldHash {
  return hashText(
    value,
    (text) => {
      const parsed = parsePhone(text);
      if (!parsed.ok) return parsed;
      return parsed.international ? accept(`+${parsed.digits}`) : refuse('must start with + and a calling code');
    },
    sha256,
  );
}
