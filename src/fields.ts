/**
 * The field table of `docs/contract.md`: which long (POST) fields each event
 * carries, in the vendor document's order, and their GET shorthand. The GET
 * encoder, the POST encoder and the local receiver all read this one table.
 */

/** Long name to GET name, for the fields whose names differ; the rest are the same. */
export const GET_NAME = {
  page_view_ts: 'ts',
  order_ts: 'ts',
  visitor_id: 'vid',
  session_id: 'sid',
  crm_id: 'crmid',
  use_att_click_id: 'uaclid',
  att_click_id: 'aclid',
  page_view_url: 'page_url',
  channel: 'ch',
  channel_click_id: 'cclid',
  external_campaign_id: 'ccmp_id',
  product_id: 'prodid',
  order_id: 'oid',
  quantity: 'qty',
  regular_unit_price: 'regunitpr',
  discount_unit_price: 'disunitpr',
} as const satisfies Record<string, string>;

export function getName(longName: string): string {
  return (GET_NAME as Record<string, string>)[longName] ?? longName;
}

/** The profile's hashed fields, sent with every event. */
export const USER_HASHED_FIELDS = [
  'hashed_phone_user',
  'hashed_phone_e164_user',
  'hashed_date_of_birth_user',
  'hashed_first_name_user',
  'hashed_last_name_user',
  'hashed_zip_code_user',
  'hashed_city_user',
  'hashed_state_user',
] as const;

/** The order customer's hashed fields (no `_user`); orders only. */
export const CUSTOMER_HASHED_FIELDS = [
  'hashed_phone',
  'hashed_phone_e164',
  'hashed_date_of_birth',
  'hashed_first_name',
  'hashed_last_name',
  'hashed_zip_code',
  'hashed_city',
  'hashed_state',
] as const;

// The lists below are written out, never spread from one another: bundlers keep
// an array built with a spread (it may run an iterator), so the browser bundle,
// which needs none of them, would carry them all.

export const PRODUCT_FIELDS = ['product_id', 'item_group_id', 'category_id', 'seller_id', 'brand'] as const;

/** Per-item fields of an order: one tilde-joined GET parameter each. */
export const ITEM_FIELDS = [
  'product_id',
  'item_group_id',
  'category_id',
  'seller_id',
  'brand',
  'quantity',
  'regular_unit_price',
  'discount_unit_price',
] as const;
export const PRICE_FIELDS = ['regular_unit_price', 'discount_unit_price'] as const;

/** `GET /page_viewjs` scalar fields, in the document's order. */
export const PAGE_VIEW_GET_FIELDS = [
  'page_view_ts',
  'visitor_id',
  'session_id',
  'crm_id',
  'hashed_email',
  'hashed_phone_user',
  'hashed_phone_e164_user',
  'hashed_date_of_birth_user',
  'hashed_first_name_user',
  'hashed_last_name_user',
  'hashed_zip_code_user',
  'hashed_city_user',
  'hashed_state_user',
  'use_att_click_id',
  'att_click_id',
  'page_view_url',
  'channel',
  'channel_click_id',
  'external_campaign_id',
  'product_id',
  'item_group_id',
  'category_id',
  'seller_id',
  'brand',
] as const;

/** `GET /orderjs` scalar fields, in the document's order (items follow, tilde-joined). */
export const ORDER_GET_FIELDS = [
  'order_ts',
  'visitor_id',
  'session_id',
  'crm_id',
  'hashed_email',
  'hashed_phone',
  'hashed_phone_user',
  'hashed_phone_e164',
  'hashed_phone_e164_user',
  'hashed_date_of_birth',
  'hashed_date_of_birth_user',
  'hashed_first_name',
  'hashed_first_name_user',
  'hashed_last_name',
  'hashed_last_name_user',
  'hashed_zip_code',
  'hashed_zip_code_user',
  'hashed_city',
  'hashed_city_user',
  'hashed_state',
  'hashed_state_user',
  'page_view_url',
  'order_id',
] as const;

/** Fields that only the POST endpoints carry. */
export const POST_ONLY_FIELDS = ['platform', 'user_agent'] as const;

export const GET_PATH = { page_view: '/page_viewjs', order: '/orderjs' } as const;
export const POST_PATH = { page_view: '/page_view', order: '/orders' } as const;

/** Longer GET URLs are not sent (`docs/contract.md`): an order is never truncated or split. */
export const MAX_GET_URL_LENGTH = 8000;
