/**
 * The POST encoder: a long-name record becomes the vendor's JSON body, with
 * fields in the vendor document's order. `POST /page_view` takes one object;
 * `POST /orders` takes an array of the order objects built here.
 */
import { CUSTOMER_HASHED_FIELDS, ITEM_FIELDS, PRODUCT_FIELDS, USER_HASHED_FIELDS } from '../fields.js';
import type { OrderItemRecord, OrderRecord, PageViewRecord } from '../model.js';

/** The platform sent when the input names none. */
export const DEFAULT_PLATFORM = 'web';

/** `POST /page_view` body fields, in the document's order. */
export const PAGE_VIEW_POST_FIELDS = [
  'page_view_ts',
  'platform',
  'visitor_id',
  'session_id',
  'crm_id',
  'hashed_email',
  ...USER_HASHED_FIELDS,
  'user_agent',
  'use_att_click_id',
  'att_click_id',
  'page_view_url',
  'channel',
  'channel_click_id',
  'external_campaign_id',
  ...PRODUCT_FIELDS,
] as const;

// The document interleaves each customer field with its `_user` twin.
const INTERLEAVED_HASHED_FIELDS = CUSTOMER_HASHED_FIELDS.flatMap((field, index) => [field, USER_HASHED_FIELDS[index]!]);

/** One `POST /orders` array element's scalar fields, in the document's order; `items` follows. */
export const ORDER_POST_FIELDS = [
  'order_ts',
  'platform',
  'visitor_id',
  'session_id',
  'crm_id',
  'hashed_email',
  ...INTERLEAVED_HASHED_FIELDS,
  'user_agent',
  'order_id',
] as const;

type PageViewField = (typeof PAGE_VIEW_POST_FIELDS)[number];
type OrderField = (typeof ORDER_POST_FIELDS)[number];

/** The `POST /page_view` body. */
export type PageViewBody = Pick<PageViewRecord, Exclude<PageViewField, 'platform'>> & { platform: string };

/** One item of a `POST /orders` order. */
export type OrderItemBody = OrderItemRecord;

/** One element of the `POST /orders` body array. No URL: the POST order has none. */
export type OrderBody = Pick<OrderRecord, Exclude<OrderField, 'platform'>> & {
  platform: string;
  items: OrderItemBody[];
};

/** A POST body with its event, as queued, delivered or reported undelivered. */
export type PostEvent = { event: 'page_view'; body: PageViewBody } | { event: 'order'; body: OrderBody };

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function copyFields<T>(source: object, fields: readonly string[]): T {
  const from = source as Record<string, unknown>;
  const to: Record<string, unknown> = {};
  for (const field of fields) {
    const value = from[field];
    if (isPresent(value)) to[field] = value;
  }
  return to as T;
}

/**
 * The document's POST example carries `page_view_url` percent-encoded inside
 * the JSON (`https%3A%2F%2F…`), so it is encoded once here. A value that is
 * already encoded (its scheme followed by `%3A`, as in `https%3A%2F%2F…`) is
 * passed through rather than encoded twice.
 */
export function encodePageViewUrl(url: string): string {
  if (/^[a-z][a-z0-9+.-]*%3A/i.test(url)) return url;
  return encodeURIComponent(url);
}

/** The `POST /page_view` body for a record; absent fields are omitted, never `null` or `''`. */
export function pageViewBody(record: PageViewRecord): PageViewBody {
  const body = copyFields<PageViewBody>(
    { ...record, platform: record.platform ?? DEFAULT_PLATFORM },
    PAGE_VIEW_POST_FIELDS,
  );
  if (body.page_view_url !== undefined) body.page_view_url = encodePageViewUrl(body.page_view_url);
  return body;
}

/** One `POST /orders` element for a record: no `page_view_url` (the POST order has none). */
export function orderBody(record: OrderRecord): OrderBody {
  const body = copyFields<OrderBody>({ ...record, platform: record.platform ?? DEFAULT_PLATFORM }, ORDER_POST_FIELDS);
  body.items = record.items.map((item) => copyFields<OrderItemBody>(item, ITEM_FIELDS));
  return body;
}
