/**
 * The event model, in the vendor's long (POST) field names, so a reader can
 * hold our types beside the vendor document. The event fields are derived
 * from the field table (`fields.ts`), so a field added there appears here,
 * with its documentation; a person's PII is described here by hand.
 *
 * Input types are what callers pass (`track`, `identify`); record types are
 * what leaves the pipeline after validation, enrichment and hashing, ready
 * for an encoder: ids as strings, PII as hashes.
 */
import type { Carriage, EventName, FieldSource, FIELDS } from './fields.js';

export type { EventName } from './fields.js';

/** Ids (`crm_id`, `order_id`, `product_id`, …) accept strings or numbers. */
export type Id = string | number;

/** A calendar date of birth. Strings are `YYYY-MM-DD` or `YYYYMMDD`. */
export type DateOfBirth = string | Date | { year: number; month: number; day: number };

/**
 * A person's raw PII, as typed at checkout or sign-in. Every field also takes
 * an already-hashed 64-hex value. Nothing here ever leaves the SDK unhashed.
 */
export interface Person {
  /** An email address; normalized (trimmed, lowercased) and hashed into `hashed_email`. */
  email?: string;
  /** Any format; yields both `hashed_phone` and `hashed_phone_e164`. */
  phone?: string;
  /** A raw E.164 number (or its hash), for when `phone` was given pre-hashed. */
  phone_e164?: string;
  /** `YYYY-MM-DD`, `YYYYMMDD`, a `Date` or `{ year, month, day }`; hashed as `YYYYMMDD`. */
  date_of_birth?: DateOfBirth;
  /** Given name; lowercased, letters kept, then hashed. */
  first_name?: string;
  /** Family name; lowercased, letters kept, then hashed. */
  last_name?: string;
  /** Postal code; US ZIP codes to their first five digits, then hashed. */
  zip_code?: string;
  /** City name; lowercased, letters kept, then hashed. */
  city?: string;
  /** State or province, by name or code (`New York`, `NY` become `ny`), then hashed. */
  state?: string;
  /** ISO 3166 alpha-2; gives the calling code of a national-format phone. */
  country?: string;
}

/** The signed-in user, set by `identify`. */
export interface Profile extends Person {
  /** Your own customer id, sent as `crm_id` with every event. */
  crm_id?: Id;
}

type Fields = typeof FIELDS;
type Name = keyof Fields;

/** What each kind of field holds once validated: ids as strings, numbers as numbers. */
export interface WireValues {
  timestamp: number;
  visitor_id: string;
  session_id: string;
  id: string;
  text: string;
  url: string;
  hash: string;
  boolean: boolean;
  quantity: number;
  price: number;
  platform: string;
}

/** What a caller may pass for each kind of field: the wire's types, but ids also as numbers, times also as Dates. */
type InputValues = Omit<WireValues, 'timestamp' | 'session_id' | 'id'> & {
  timestamp: number | Date;
  session_id: Id;
  id: Id;
};

/** Names of the table whose entry matches `Spec`. */
type Where<Spec> = { [K in Name]: Fields[K] extends Spec ? K : never }[Name];

/**
 * The fields `event` carries at its top level by `transport` (the browser
 * sends by GET, a server by POST) that `sources` supply.
 */
export type EventFieldName<E extends EventName, S extends FieldSource, T extends 'get' | 'post'> = Where<
  { source: S } & Record<E, T | 'both'>
>;
/** Of those, the ones a caller must give (timestamps default to now). */
type RequiredFieldName<E extends EventName, S extends FieldSource, T extends 'get' | 'post'> = EventFieldName<E, S, T> &
  Where<{ required: true; kind: Exclude<keyof InputValues, 'timestamp'> }>;
/** The fields of an order item, and the ones every item must have. */
type ItemFieldName = Where<{ item: true | 'required' }>;
type RequiredItemFieldName = Where<{ item: 'required' }>;

/** Input fields: the `Picked` ones, optional but for the `Required` ones. */
export type InputOf<Picked extends Name, Required extends Name = never> = {
  -readonly [K in keyof Fields as K extends Exclude<Picked, Required> ? K : never]?: InputValues[Fields[K]['kind']];
} & {
  -readonly [K in keyof Fields as K extends Picked & Required ? K : never]: InputValues[Fields[K]['kind']];
};

/**
 * The input fields of an event: in the browser, the `event` fields GET
 * carries; on the server, the `event` and `context` fields POST carries.
 */
export type EventFieldsInput<
  E extends EventName,
  Caller extends 'browser' | 'server' = 'browser',
> = Caller extends 'server'
  ? InputOf<EventFieldName<E, 'event' | 'context', 'post'>, RequiredFieldName<E, 'event' | 'context', 'post'>>
  : InputOf<EventFieldName<E, 'event', 'get'>, RequiredFieldName<E, 'event', 'get'>>;

/** Validated fields: the `Picked` ones, optional but for those the wire requires. */
type RecordOf<Picked extends Name> = {
  -readonly [
    K in Name as K extends Exclude<Picked, Where<{ required: true }>> ? K : never
  ]?: WireValues[Fields[K]['kind']];
} & {
  -readonly [K in Name as K extends Picked & Where<{ required: true }> ? K : never]: WireValues[Fields[K]['kind']];
};

/** The product fields a page view may carry (an order carries them per item). */
export type ProductFields = InputOf<Exclude<ItemFieldName, 'quantity' | 'regular_unit_price' | 'discount_unit_price'>>;

/** `track('page_view', …)`: every field optional. */
export type PageViewInput = EventFieldsInput<'page_view'>;

/** One line of an order: `product_id` and `quantity` required. */
export type OrderItem = InputOf<ItemFieldName, RequiredItemFieldName>;

/** `track('order', …)`: `order_id` and `items` required. */
export type OrderInput = EventFieldsInput<'order'> & {
  /** The order's lines, at least one: a line without a valid `product_id` and `quantity` is dropped, reported. */
  items: OrderItem[];
  /** The order's own customer (billing/contact): the hashed fields without `_user`. */
  customer?: Person;
};

/** Each browser event's input, by event name: `track(event, input)` takes `EventInputs[event]`. */
export interface EventInputs {
  page_view: PageViewInput;
  order: OrderInput;
}

/** The hashed PII fields, each 64 lowercase hex characters. */
export type HashedFields = RecordOf<Where<{ source: 'person' }>>;

/** A signed-in profile as every event carries it: its hashed `*_user` fields, `hashed_email`, `crm_id`. */
export type ProfileFields = HashedFields & { crm_id?: string | undefined };

export type PageViewRecord = RecordOf<Where<Record<'page_view', Carriage>>>;
/** A line whose optional field was dropped keeps the rest (a line missing a required field is not sent). */
export type OrderItemRecord = Partial<RecordOf<ItemFieldName>>;
export type OrderRecord = RecordOf<Where<Record<'order', Carriage>>> & { items: OrderItemRecord[] };

export interface EventRecords {
  page_view: PageViewRecord;
  order: OrderRecord;
}

export type AnyRecord = PageViewRecord | OrderRecord;
