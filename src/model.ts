/**
 * The event model, in the vendor's long (POST) field names, so a reader can
 * hold our types beside the vendor document. Input types are what users pass
 * to `track`/`identify`; record types are what leaves the pipeline after
 * validation, enrichment and hashing, ready for an encoder.
 */

/** Ids (`crm_id`, `order_id`, `product_id`, …) accept strings or numbers. */
export type Id = string | number;

/** A calendar date of birth. Strings are `YYYY-MM-DD` or `YYYYMMDD`. */
export type DateOfBirth = string | Date | { year: number; month: number; day: number };

/**
 * A person's raw PII, as typed at checkout or sign-in. Every field also takes
 * an already-hashed 64-hex value. Nothing here ever leaves the SDK unhashed.
 */
export interface Person {
  email?: string;
  /** Any format; yields both `hashed_phone` and `hashed_phone_e164`. */
  phone?: string;
  /** A raw E.164 number (or its hash), for when `phone` was given pre-hashed. */
  phone_e164?: string;
  date_of_birth?: DateOfBirth;
  first_name?: string;
  last_name?: string;
  zip_code?: string;
  city?: string;
  state?: string;
  /** ISO 3166 alpha-2; gives the calling code of a national-format phone. */
  country?: string;
}

/** The signed-in user, set by `identify`. */
export interface Profile extends Person {
  crm_id?: Id;
}

export interface ProductFields {
  product_id?: Id;
  item_group_id?: Id;
  category_id?: Id;
  seller_id?: Id;
  brand?: string;
}

export interface PageViewInput extends ProductFields {
  /** Default: the current location (PII scrubbed). */
  page_view_url?: string;
  /** Default: captured from the landing URL's click id. */
  channel?: string;
  channel_click_id?: string;
  external_campaign_id?: Id;
  att_click_id?: string;
  use_att_click_id?: boolean;
  crm_id?: Id;
}

export interface OrderItem extends ProductFields {
  product_id: Id;
  /** A positive integer. */
  quantity: number;
  regular_unit_price?: number;
  discount_unit_price?: number;
}

export interface OrderInput {
  order_id: Id;
  items: OrderItem[];
  /** The order's own customer (billing/contact): the hashed fields without `_user`. */
  customer?: Person;
  crm_id?: Id;
  /** Default: the current location (PII scrubbed). Sent by GET only. */
  page_view_url?: string;
}

export type EventName = 'page_view' | 'order';

export interface EventInputs {
  page_view: PageViewInput;
  order: OrderInput;
}

/** The hashed PII fields of `docs/contract.md`, each 64 lowercase hex characters. */
export interface HashedFields {
  hashed_email?: string;
  hashed_phone?: string;
  hashed_phone_user?: string;
  hashed_phone_e164?: string;
  hashed_phone_e164_user?: string;
  hashed_date_of_birth?: string;
  hashed_date_of_birth_user?: string;
  hashed_first_name?: string;
  hashed_first_name_user?: string;
  hashed_last_name?: string;
  hashed_last_name_user?: string;
  hashed_zip_code?: string;
  hashed_zip_code_user?: string;
  hashed_city?: string;
  hashed_city_user?: string;
  hashed_state?: string;
  hashed_state_user?: string;
}

export interface ProductRecord {
  product_id?: string;
  item_group_id?: string;
  category_id?: string;
  seller_id?: string;
  brand?: string;
}

interface CommonRecord extends HashedFields {
  visitor_id: string;
  session_id: string;
  crm_id?: string;
  /** POST only. */
  platform?: string;
  /** POST only. */
  user_agent?: string;
}

export interface PageViewRecord extends CommonRecord, ProductRecord {
  page_view_ts: number;
  use_att_click_id?: boolean;
  att_click_id?: string;
  page_view_url?: string;
  channel?: string;
  channel_click_id?: string;
  external_campaign_id?: string;
}

export interface OrderItemRecord extends ProductRecord {
  quantity: number;
  regular_unit_price?: number;
  discount_unit_price?: number;
}

export interface OrderRecord extends CommonRecord {
  order_ts: number;
  order_id: string;
  items: OrderItemRecord[];
  /** GET (`/orderjs`) only; `POST /orders` has no URL field. */
  page_view_url?: string;
}

export interface EventRecords {
  page_view: PageViewRecord;
  order: OrderRecord;
}

export type AnyRecord = PageViewRecord | OrderRecord;
