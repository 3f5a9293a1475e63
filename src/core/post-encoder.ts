/**
 * The POST encoder: a record becomes the vendor's JSON body, written from the
 * field table: the fields the event carries by POST, in the table's order
 * (the vendor document's), then an order's `items`. `POST /page_view` takes
 * one object; `POST /orders` takes an array of the order objects built here.
 */
import { ITEM_FIELDS, fieldSpec, fieldsOf, type FieldName } from './fields.js';
import type { EventName, EventRecords, OrderItemRecord, OrderRecord, PageViewRecord } from './model.js';

/** The platform sent when the input names none. */
export const DEFAULT_PLATFORM = 'web';

/** The `POST /page_view` body. */
export type PageViewBody = Omit<PageViewRecord, 'platform'> & { platform: string };

/** One item of a `POST /orders` order. */
export type OrderItemBody = OrderItemRecord;

/** One element of the `POST /orders` body array. No URL: the POST order has none. */
export type OrderBody = Omit<OrderRecord, 'platform' | 'page_view_url'> & { platform: string; items: OrderItemBody[] };

/** A POST body with its event, as queued, delivered or reported undelivered. */
export type PostEvent = { event: 'page_view'; body: PageViewBody } | { event: 'order'; body: OrderBody };

/** A field as the POST body writes it: its name, whether its value is a URL to percent-encode, its default. */
interface PostField {
  name: FieldName;
  isUrl: boolean;
  fallback: unknown;
}

const postFields = (names: readonly FieldName[]): readonly PostField[] =>
  names.map((name) => ({
    name,
    isUrl: fieldSpec(name).kind === 'url',
    fallback: name === 'platform' ? DEFAULT_PLATFORM : undefined,
  }));

/** What each body carries, in the table's order: derived once, written on every event. */
const BODY_FIELDS = {
  page_view: postFields(fieldsOf('page_view', 'post')),
  order: postFields(fieldsOf('order', 'post')),
} as const satisfies Record<EventName, readonly PostField[]>;
const ITEM_BODY_FIELDS = postFields(ITEM_FIELDS);

/**
 * The present fields of `source`, in `fields`' order. The vendor's POST
 * example carries URLs percent-encoded inside the JSON (`https%3A%2F%2F…`):
 * encoded once here.
 */
function copyFields(source: object, fields: readonly PostField[]): Record<string, unknown> {
  const from = source as Record<string, unknown>;
  const to: Record<string, unknown> = {};
  for (const { name, isUrl, fallback } of fields) {
    const value = from[name] ?? fallback;
    if (value === undefined || value === null || value === '') continue;
    to[name] = isUrl ? encodeURIComponent(value as string) : value;
  }
  return to;
}

/** The POST body of a record; absent fields are omitted, never `null` or `''`. */
export function postBody<E extends EventName>(
  event: E,
  record: EventRecords[E],
): E extends 'order' ? OrderBody : PageViewBody {
  const body = copyFields(record, BODY_FIELDS[event]);
  if (event === 'order') {
    body.items = (record as OrderRecord).items.map((item) => copyFields(item, ITEM_BODY_FIELDS));
  }
  return body as E extends 'order' ? OrderBody : PageViewBody;
}
