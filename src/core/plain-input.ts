/**
 * The caller's input, copied into plain data before anything else reads it.
 * A getter, a Proxy trap or a revoked Proxy runs here, once, and nowhere
 * else: what throws costs its own field (an error naming it, never the
 * exception, whose text may hold anything), and the rest is still read. The
 * copies inherit nothing (their prototype is `NOTHING`, below), so a
 * `__proto__` key stays a key (validation reports it as no field) and no
 * `toString`, nor anything added to `Object.prototype`, shows through.
 */
import { InputError } from './errors.js';
import type { EventName } from './fields.js';

/**
 * The copies' prototype: empty, with no prototype of its own, so a copy
 * inherits nothing (module-private and never written to). Not
 * `Object.create(null)` per copy: V8 keeps those as hash tables (dictionary
 * mode), slower to fill and to read, and every event's fields are read
 * several times after this copy.
 */
const NOTHING = Object.create(null) as object;

/** Deepest nesting an event has: input -> items -> item -> value, or input -> customer -> date_of_birth -> year. */
const MAX_DEPTH = 4;

/**
 * No input: what code reads in place of an absent object. It inherits
 * nothing, so a field read from it is absent even when a page polluted
 * `Object.prototype` (a `{}` would answer with the prototype's values).
 */
export const NO_INPUT: Readonly<Record<string, unknown>> = Object.freeze(
  Object.create(null) as Record<string, unknown>,
);

/** An object with keys to read: not `null`, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface PlainInput {
  value: unknown;
  /** One per value that could not be read. */
  errors: InputError[];
}

/**
 * Copies an event's `input`, or a profile (`identify`) with `prefix` `user`,
 * so errors name fields as validation does (`items.1.brand`, `user.email`).
 * Never throws.
 */
export function plainInput(input: unknown, event: EventName | undefined, prefix = ''): PlainInput {
  const errors: InputError[] = [];
  // A value is named by its parent's path and its key (`items.1` and `brand`), joined only for an error or
  // an object to copy: no string is built per field of every event.
  const pathOf = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);
  const unreadable = (parent: string, key: string) => {
    const field = pathOf(parent, key) || event || 'input';
    // A person and its fields are PII (a user's crm_id is not): the code hashPerson gives them.
    const code = /^(customer|user)(\.(?!crm_id$)|$)/.test(field) ? 'invalid_pii' : 'invalid_field';
    errors.push(new InputError(code, `${field} could not be read: dropped`, { field, event }));
  };
  const copy = (value: unknown, parent: string, name: string, depth: number): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    try {
      // Across realms (iframes) `instanceof Date` fails; the internal tag does not.
      if (Object.prototype.toString.call(value) === '[object Date]') {
        return new Date(Date.prototype.getTime.call(value));
      }
      const items: unknown[] | undefined = Array.isArray(value) ? [] : undefined;
      const fields = Object.create(NOTHING) as Record<string, unknown>;
      if (depth >= MAX_DEPTH) return items ?? fields;
      const path = pathOf(parent, name);
      // Own keys: a sparse array yields its elements, not its length.
      for (const key of Object.keys(value)) {
        if (items && !/^\d+$/.test(key)) continue;
        let read: unknown;
        try {
          read = (value as Record<string, unknown>)[key];
        } catch {
          unreadable(path, key);
        }
        // An item keeps its slot, so later items keep the index the caller knows them by.
        if (items) items.push(copy(read, path, key, depth + 1));
        else if (read !== undefined) fields[key] = copy(read, path, key, depth + 1);
      }
      return items ?? fields;
    } catch {
      unreadable(parent, name);
      return undefined;
    }
  };
  return { value: copy(input, '', prefix, 0), errors };
}
