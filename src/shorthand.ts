/**
 * The GET encoder: a long-name record becomes the vendor's shorthand query
 * string. Per-item order fields become tilde-joined lists with one slot per
 * item, so positions stay aligned even where an item lacks a field.
 *
 * It encodes the fields the record holds, in the record's order (parameter
 * order carries no meaning, `docs/contract.md`): the record is built from
 * validated input, the session and hashed PII, which hold only fields of
 * their event (never a POST-only `platform` or `user_agent`). The field lists
 * of `fields.ts` stay on the receiver's side, off the browser bundle.
 */
import { InputError } from './errors.js';
import { GET_PATH, MAX_GET_URL_LENGTH, getName } from './fields.js';
import type { EventName, EventRecords } from './model.js';

export interface GetRequest {
  /** The full URL, ready for `sendBeacon` or `fetch`. */
  url: string;
  /** Values that could not be carried (a `~` inside a list value); the rest was encoded. */
  errors: InputError[];
}

export type GetEncoding = { ok: true; request: GetRequest } | { ok: false; error: InputError };

/** A value as the query carries it: prices (the `*_unit_price` fields) with exactly two decimals (`10.00`). */
function format(field: string, value: unknown): string {
  return field.endsWith('_price') ? (value as number).toFixed(2) : String(value);
}

/** The whole GET URL, or a `too_large` error: never a truncated or split event. */
export function encodeGet<E extends EventName>(
  event: E,
  record: EventRecords[E],
  { apiKey, base }: { apiKey: string; base: string },
): GetEncoding {
  let query = `api_key=${encodeURIComponent(apiKey)}`;
  const add = (field: string, value: string) => (query += `&${getName(field)}=${encodeURIComponent(value)}`);
  const errors: InputError[] = [];
  for (const [field, value] of Object.entries(record)) {
    // Absent fields are omitted: never `undefined`, `null` or an empty value on the wire.
    if (value == null || value === '' || field === 'items') continue;
    add(field, format(field, value));
  }
  const items = ((record as { items?: object[] }).items ?? []) as Array<Record<string, unknown>>;
  // Each per-item field any item holds, in the order the items hold them.
  for (const field of new Set(items.flatMap((item) => Object.keys(item).filter((name) => item[name] !== undefined)))) {
    const slots = items.map((item, index) => {
      const value = item[field];
      const slot = value === undefined ? '' : format(field, value);
      if (!slot.includes('~')) return slot;
      const path = `items.${index}.${field}`;
      errors.push(
        new InputError('tilde_in_value', `${path} holds "~", the GET list separator: sent empty`, {
          field: path,
          event,
        }),
      );
      return '';
    });
    add(field, slots.join('~'));
  }
  const url = `${base}${GET_PATH[event]}?${query}`;
  if (url.length > MAX_GET_URL_LENGTH) {
    return {
      ok: false,
      error: new InputError('too_large', `The ${event}'s GET URL is over ${MAX_GET_URL_LENGTH} characters`, {
        event,
      }),
    };
  }
  return { ok: true, request: { url, errors } };
}
