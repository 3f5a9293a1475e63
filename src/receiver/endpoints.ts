/**
 * Which fields each receiver endpoint takes, and which it requires. The
 * vendor document marks nothing as required; we require what no event can be
 * attributed without: its time, visitor and session, and for an order its id
 * and at least one item with a product id and a quantity.
 */
import { ORDER_GET_FIELDS, PAGE_VIEW_GET_FIELDS, POST_ONLY_FIELDS } from '../fields.js';
import type { EventName } from '../model.js';

export const REQUIRED_FIELDS = {
  page_view: ['page_view_ts', 'visitor_id', 'session_id'],
  order: ['order_ts', 'visitor_id', 'session_id', 'order_id', 'items'],
} as const satisfies Record<EventName, readonly string[]>;

/** Per item; in GET these are the `prodid` and `qty` lists, each slot filled. */
export const REQUIRED_ITEM_FIELDS = ['product_id', 'quantity'] as const;

/** Scalar fields of the POST bodies (order items apart); `POST /orders` has no URL field. */
export const POST_FIELDS = {
  page_view: [...PAGE_VIEW_GET_FIELDS, ...POST_ONLY_FIELDS],
  order: [...ORDER_GET_FIELDS.filter((field) => field !== 'page_view_url'), ...POST_ONLY_FIELDS],
} as const satisfies Record<EventName, readonly string[]>;

export function isRequired(event: EventName, field: string): boolean {
  return (REQUIRED_FIELDS[event] as readonly string[]).includes(field);
}

export function isRequiredItemField(field: string): boolean {
  return (REQUIRED_ITEM_FIELDS as readonly string[]).includes(field);
}
