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

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** The vendor's POST example carries URLs percent-encoded inside the JSON (`https%3A%2F%2F…`): encoded once here. */
function postValue(name: FieldName, value: unknown): unknown {
  return fieldSpec(name).kind === 'url' ? encodeURIComponent(value as string) : value;
}

function copyFields(source: object, fields: readonly FieldName[]): Record<string, unknown> {
  const from = source as Record<string, unknown>;
  const to: Record<string, unknown> = {};
  for (const name of fields) {
    const value = from[name];
    if (isPresent(value)) to[name] = postValue(name, value);
  }
  return to;
}

/** The POST body of a record; absent fields are omitted, never `null` or `''`. */
export function postBody<E extends EventName>(
  event: E,
  record: EventRecords[E],
): E extends 'order' ? OrderBody : PageViewBody {
  const withPlatform = { ...record, platform: record.platform ?? DEFAULT_PLATFORM };
  const body = copyFields(withPlatform, fieldsOf(event, 'post'));
  if (event === 'order') {
    body.items = (record as OrderRecord).items.map((item) => copyFields(item, ITEM_FIELDS));
  }
  return body as E extends 'order' ? OrderBody : PageViewBody;
}
