/**
 * The GET encoder: a record becomes the vendor's shorthand query string,
 * written from the field table: the fields the event carries by GET, in the
 * table's order, under their short names, each value as its kind writes it
 * (prices with two decimals, booleans as `true`/`false`). Per-item order
 * fields become tilde-joined lists with one slot per item, so positions stay
 * aligned where an item lacks an optional field.
 */
import { InputError } from './errors.js';
import {
  GET_PATH,
  ITEM_FIELDS,
  LIST_SEPARATOR,
  MAX_GET_URL_LENGTH,
  fieldSpec,
  fieldsOf,
  shortName,
  type FieldKind,
  type FieldName,
} from './fields.js';
import type { EventName, EventRecords } from './model.js';
import { queryText } from './values.js';

export interface GetRequest {
  /** The full URL, ready for `sendBeacon` or `fetch`. */
  url: string;
}

export type GetEncoding = { ok: true; request: GetRequest } | { ok: false; error: InputError };

/** A field as the query writes it: its long name (the record's key), its `name=` prefix, its kind. */
interface QueryField {
  name: FieldName;
  prefix: string;
  kind: FieldKind;
}

const queryFields = (names: readonly FieldName[]): readonly QueryField[] =>
  names.map((name) => ({ name, prefix: `&${shortName(name)}=`, kind: fieldSpec(name).kind }));

/** What each event's query carries, in the table's order: derived once, written on every event. */
const QUERY_FIELDS = {
  page_view: queryFields(fieldsOf('page_view', 'get')),
  order: queryFields(fieldsOf('order', 'get')),
} as const satisfies Record<EventName, readonly QueryField[]>;
const ITEM_QUERY_FIELDS = queryFields(ITEM_FIELDS);

/** The whole GET URL, or a `too_large` error: never a truncated or split event. */
export function encodeGet<E extends EventName>(
  event: E,
  record: EventRecords[E],
  { apiKey, base }: { apiKey: string; base: string },
): GetEncoding {
  const values = record as unknown as Record<string, unknown>;
  let url = `${base}${GET_PATH[event]}?api_key=${encodeURIComponent(apiKey)}`;
  for (const { name, prefix, kind } of QUERY_FIELDS[event]) {
    const value = values[name];
    // Absent fields are omitted: never `undefined`, `null` or an empty value on the wire.
    if (value == null || value === '') continue;
    url += prefix + encodeURIComponent(queryText(kind, value));
  }
  const items = (values.items ?? []) as ReadonlyArray<Record<string, unknown>>;
  for (const { name, prefix, kind } of ITEM_QUERY_FIELDS) {
    if (!items.some((item) => item[name] != null)) continue;
    // Validation for GET (`core/validate.ts`) leaves no `~` in a list value: the lines' values join as they are.
    const list = items.map((item) => (item[name] == null ? '' : queryText(kind, item[name]))).join(LIST_SEPARATOR);
    url += prefix + encodeURIComponent(list);
  }
  if (url.length > MAX_GET_URL_LENGTH) {
    const message = `The ${event}'s GET URL is over ${MAX_GET_URL_LENGTH} characters: not sent (never truncated or split)`;
    return { ok: false, error: new InputError('too_large', message, { event }) };
  }
  return { ok: true, request: { url } };
}
