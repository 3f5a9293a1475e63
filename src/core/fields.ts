/**
 * The field table: every field of the Event API once, in the vendor
 * document's order, with its GET shorthand, the kind of value it holds, who
 * supplies it, and where each event carries it (`docs/contract.md`).
 *
 * Everything else is derived from this one table: the validation of SDK
 * input (`validate.ts`), the GET encoder (`get-encoder.ts`, shorthand names,
 * tilde lists, two-decimal prices), the POST encoder (`post-encoder.ts`,
 * field order), the hashed PII fields (`pii/person.ts`), the public input and
 * record types (`model.ts`) and the local receiver's decoders. Adding a field
 * is one entry here.
 *
 * The order of the entries is the order of the POST bodies: the page view's
 * and the order's orders are both subsequences of it (the order interleaves
 * each customer hash with its `_user` twin, the page view has only the
 * `_user` ones).
 */

/** The two events of the API. */
export type EventName = 'page_view' | 'order';

/** What a field holds, which decides how it is checked and written (`values.ts`). */
export type FieldKind =
  /** Event time, integer ms since the epoch. */
  | 'timestamp'
  /** The visitor id: 45 lowercase hex characters (`ids.ts`). */
  | 'visitor_id'
  /** The session id: the session's start in ms since the epoch, as digits (`ids.ts`). */
  | 'session_id'
  /** An identifier: a non-empty string, or a non-negative integer sent as its digits. */
  | 'id'
  /** Free text. */
  | 'text'
  /** A page URL (percent-encoded once on the wire, as any query value; also inside the POST JSON). */
  | 'url'
  /** A SHA-256 of normalized PII: 64 lowercase hex characters. */
  | 'hash'
  /** `true` or `false`. */
  | 'boolean'
  /** A positive integer. */
  | 'quantity'
  /** A non-negative amount; two decimals in GET, a JSON number in POST. */
  | 'price'
  /** Short free text naming the platform (`web`, `app`). */
  | 'platform';

/**
 * Who supplies a field:
 * - `event`: the caller, in `track`'s input, in the browser and on the server;
 * - `context`: who, when and where from. The browser SDK sets these itself
 *   (clock, visitor and session cookies); a server caller passes them, since
 *   only the browser knows them;
 * - `person`: a hash of a person's PII, from the signed-in profile (`user`)
 *   or an order's `customer`; never given directly.
 */
export type FieldSource = 'event' | 'context' | 'person';

/** Where an event carries a field: the GET query string, the POST body, or both. */
export type Carriage = 'get' | 'post' | 'both';

/** Whose PII a `person` field hashes: the signed-in profile (`identify`, a server event's `user`) or an order's `customer`. */
export type PersonRole = 'user' | 'customer';

export interface FieldSpec {
  /** The GET shorthand; absent where the GET name is the long name. */
  readonly short?: string;
  readonly kind: FieldKind;
  readonly source: FieldSource;
  /** Where a page view carries it; absent: never. */
  readonly page_view?: Carriage;
  /** Where an order carries it at the order level; absent: never. */
  readonly order?: Carriage;
  /**
   * A field of each order item: a tilde list in GET (one slot per item), a
   * property of `items[]` in POST. `'required'`: every item must have it.
   */
  readonly item?: true | 'required';
  /** The event cannot be attributed without it: it is not sent at all. */
  readonly required?: true;
  /** For `person` fields: the person's field hashed into it. */
  readonly pii?: PiiField;
  /** For `person` fields: whose person, the profile's (`user`), the order customer's, or either (the customer's wins). */
  readonly role?: PersonRole | 'either';
}

/** The PII fields of a person (`Person` in `model.ts`) that become hashes. */
export type PiiField =
  'email' | 'phone' | 'phone_e164' | 'date_of_birth' | 'first_name' | 'last_name' | 'zip_code' | 'city' | 'state';

// One row per field, as a table: kept on one line each.
// prettier-ignore
export const FIELDS = {
  /** When the page was viewed, ms since the epoch. Set by the browser SDK; on the server, defaults to now. */
  page_view_ts: { short: 'ts', kind: 'timestamp', source: 'context', page_view: 'both', required: true },
  /** When the order was placed, ms since the epoch. Set by the browser SDK; on the server, defaults to now. */
  order_ts: { short: 'ts', kind: 'timestamp', source: 'context', order: 'both', required: true },
  /** `web` (the default) or `app`. POST only. */
  platform: { kind: 'platform', source: 'context', page_view: 'post', order: 'post' },
  /** The browser SDK's visitor id (its `_sym_vid` cookie). */
  visitor_id: { short: 'vid', kind: 'visitor_id', source: 'context', page_view: 'both', order: 'both', required: true },
  /** The browser SDK's session id (its `_sym_sid` cookie): the session's start in ms. */
  session_id: { short: 'sid', kind: 'session_id', source: 'context', page_view: 'both', order: 'both', required: true },
  /** Your own customer id (also taken from the profile given to `identify`). */
  crm_id: { short: 'crmid', kind: 'id', source: 'event', page_view: 'both', order: 'both' },
  /** The hashed fields: `_user` ones from the signed-in profile, the others from an order's `customer`. */
  hashed_email: { kind: 'hash', source: 'person', pii: 'email', role: 'either', page_view: 'both', order: 'both' },
  hashed_phone: { kind: 'hash', source: 'person', pii: 'phone', role: 'customer', order: 'both' },
  hashed_phone_user: { kind: 'hash', source: 'person', pii: 'phone', role: 'user', page_view: 'both', order: 'both' },
  hashed_phone_e164: { kind: 'hash', source: 'person', pii: 'phone_e164', role: 'customer', order: 'both' },
  hashed_phone_e164_user: { kind: 'hash', source: 'person', pii: 'phone_e164', role: 'user', page_view: 'both', order: 'both' },
  hashed_date_of_birth: { kind: 'hash', source: 'person', pii: 'date_of_birth', role: 'customer', order: 'both' },
  hashed_date_of_birth_user: { kind: 'hash', source: 'person', pii: 'date_of_birth', role: 'user', page_view: 'both', order: 'both' },
  hashed_first_name: { kind: 'hash', source: 'person', pii: 'first_name', role: 'customer', order: 'both' },
  hashed_first_name_user: { kind: 'hash', source: 'person', pii: 'first_name', role: 'user', page_view: 'both', order: 'both' },
  hashed_last_name: { kind: 'hash', source: 'person', pii: 'last_name', role: 'customer', order: 'both' },
  hashed_last_name_user: { kind: 'hash', source: 'person', pii: 'last_name', role: 'user', page_view: 'both', order: 'both' },
  hashed_zip_code: { kind: 'hash', source: 'person', pii: 'zip_code', role: 'customer', order: 'both' },
  hashed_zip_code_user: { kind: 'hash', source: 'person', pii: 'zip_code', role: 'user', page_view: 'both', order: 'both' },
  hashed_city: { kind: 'hash', source: 'person', pii: 'city', role: 'customer', order: 'both' },
  hashed_city_user: { kind: 'hash', source: 'person', pii: 'city', role: 'user', page_view: 'both', order: 'both' },
  hashed_state: { kind: 'hash', source: 'person', pii: 'state', role: 'customer', order: 'both' },
  hashed_state_user: { kind: 'hash', source: 'person', pii: 'state', role: 'user', page_view: 'both', order: 'both' },
  /** The end user's browser or app user agent (not your server's). POST only. */
  user_agent: { kind: 'text', source: 'context', page_view: 'post', order: 'post' },
  /** Whether the attribution click id (`att_click_id`) is to be used. */
  use_att_click_id: { short: 'uaclid', kind: 'boolean', source: 'event', page_view: 'both' },
  /** Attribution click id. */
  att_click_id: { short: 'aclid', kind: 'text', source: 'event', page_view: 'both' },
  /**
   * The page's URL. Default in the browser: the current location. Emails and
   * PII query parameters are stripped before it is sent. An order carries it
   * in GET only (`POST /orders` has no URL field).
   */
  page_view_url: { short: 'page_url', kind: 'url', source: 'event', page_view: 'both', order: 'get' },
  /** The ad channel (`google`, `facebook`, …). Default: captured from the landing page's click id. */
  channel: { short: 'ch', kind: 'text', source: 'event', page_view: 'both' },
  /** The ad platform's click id. Default: captured from the landing page's URL. */
  channel_click_id: { short: 'cclid', kind: 'text', source: 'event', page_view: 'both' },
  /** The ad campaign's id. Default: captured from the landing page's `utm_id`, `gad_campaignid` or `campaign_id`. */
  external_campaign_id: { short: 'ccmp_id', kind: 'id', source: 'event', page_view: 'both' },
  /** The product, as your catalogue names it. */
  product_id: { short: 'prodid', kind: 'id', source: 'event', page_view: 'both', item: 'required' },
  /** The product's group (the product without its size or colour). */
  item_group_id: { kind: 'id', source: 'event', page_view: 'both', item: true },
  /** The product's category. */
  category_id: { kind: 'id', source: 'event', page_view: 'both', item: true },
  /** The marketplace seller. */
  seller_id: { kind: 'id', source: 'event', page_view: 'both', item: true },
  /** The product's brand. */
  brand: { kind: 'text', source: 'event', page_view: 'both', item: true },
  /** Your order id. Required: an order without it is not sent. */
  order_id: { short: 'oid', kind: 'id', source: 'event', order: 'both', required: true },
  /** How many of the item were ordered: a positive integer. */
  quantity: { short: 'qty', kind: 'quantity', source: 'event', item: 'required' },
  /** The item's unit price before discount. */
  regular_unit_price: { short: 'regunitpr', kind: 'price', source: 'event', item: true },
  /** The item's unit price after discount. */
  discount_unit_price: { short: 'disunitpr', kind: 'price', source: 'event', item: true },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** The table's entries, in its order, each with its name. */
export const FIELD_LIST: ReadonlyArray<FieldSpec & { readonly name: FieldName }> = Object.entries(FIELDS).map(
  ([name, spec]) => ({ name: name as FieldName, ...(spec as FieldSpec) }),
);

/** True for a name of the table (own names only: `constructor` or `__proto__` are not fields). */
export function isFieldName(name: string): name is FieldName {
  return Object.prototype.hasOwnProperty.call(FIELDS, name);
}

export function fieldSpec(name: FieldName): FieldSpec {
  return FIELDS[name];
}

/** The GET name of a field. */
export function shortName(name: FieldName): string {
  return fieldSpec(name).short ?? name;
}

/** Whether `event` carries the field at its top level by `transport`. */
export function carries(spec: FieldSpec, event: EventName, transport: 'get' | 'post'): boolean {
  const carriage = spec[event];
  return carriage === 'both' || carriage === transport;
}

/** The top-level fields `event` carries by `transport`, in the table's order (items apart). */
export function fieldsOf(event: EventName, transport: 'get' | 'post'): readonly FieldName[] {
  return FIELD_LIST.filter((spec) => carries(spec, event, transport)).map((spec) => spec.name);
}

/** The fields of an order item, in the table's order. */
export const ITEM_FIELDS: readonly FieldName[] = FIELD_LIST.filter((spec) => spec.item).map((spec) => spec.name);

/** The paths of each event, by transport. */
export const GET_PATH = { page_view: '/page_viewjs', order: '/orderjs' } as const satisfies Record<EventName, string>;
export const POST_PATH = { page_view: '/page_view', order: '/orders' } as const satisfies Record<EventName, string>;

/** The separator of GET's per-item lists (`prodid=170830~238443`): no value it carries may hold one. */
export const LIST_SEPARATOR = '~';

/** Longer GET URLs are not sent (`docs/contract.md`): an order is never truncated or split. */
export const MAX_GET_URL_LENGTH = 8000;

/**
 * Event times the SDK sends and the receiver takes (`docs/contract.md`):
 * integer ms of exactly 13 digits, 2001-09-09 to 2286-11-20. Anything
 * smaller is almost surely seconds, or a digit short.
 */
export const TIMESTAMP_BOUNDS = { min: 1e12, max: 1e13 - 1 } as const;

/** The timestamp field of each event. */
export const TIMESTAMP_FIELD = { page_view: 'page_view_ts', order: 'order_ts' } as const satisfies Record<
  EventName,
  FieldName
>;
