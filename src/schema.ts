/**
 * Input validation, field by field, by hand: `zod/mini` costs 5.3 KB gzip on
 * the browser path for these fifteen type checks (44% of the 12 KB budget),
 * so the browser uses these small checks and the Node side (receiver, server)
 * uses zod. Each field is checked alone so that one
 * bad value drops that field, with a typed error naming it, and the rest of
 * the event is still sent. Only a missing or invalid `order_id` (or `items`)
 * loses a whole order: it cannot be attributed without them.
 */
import { InputError } from './errors.js';
import type { EventName, OrderItemRecord, PageViewRecord, ProductRecord } from './model.js';

/** A field check: the reason it fails, or undefined when the value is fine. */
type Check = (value: unknown) => string | undefined;

const text: Check = (v) => (typeof v !== 'string' ? 'expected a string' : v.length === 0 || v.length > 2048 ? 'expected 1 to 2048 characters' : undefined);
const nonNegativeInteger = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const id: Check = (v) => (nonNegativeInteger(v) ? undefined : typeof v === 'string' ? text(v) : 'expected a string or a non-negative integer');
const price: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'expected a non-negative number');
const quantity: Check = (v) => (nonNegativeInteger(v) && (v as number) > 0 ? undefined : 'expected a positive integer');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'expected true or false');

const PRODUCT = { product_id: id, item_group_id: id, category_id: id, seller_id: id, brand: text };
const PAGE_VIEW = {
  ...PRODUCT,
  page_view_url: text,
  channel: text,
  channel_click_id: text,
  external_campaign_id: id,
  att_click_id: text,
  use_att_click_id: bool,
  crm_id: id,
};
const ITEM = { ...PRODUCT, quantity, regular_unit_price: price, discount_unit_price: price };

type Shape = Record<string, Check>;

/** Fields the SDK fills itself or takes elsewhere; not "unknown" when present. */
const ORDER_OWN_FIELDS = new Set(['order_id', 'items', 'customer', 'crm_id', 'page_view_url']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Texts are trimmed, so `' 170830 '` and `'170830'` are one product. */
function clean(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

function pickValid(
  input: Record<string, unknown>,
  shape: Shape,
  context: { event: EventName; prefix: string; known?: Set<string> },
  errors: InputError[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    const field = context.prefix + name;
    const schema = shape[name];
    if (!schema) {
      if (!context.known?.has(name)) {
        errors.push(new InputError('invalid_field', `${field} is not a field of ${context.event}; ignored`, { field, event: context.event }));
      }
      continue;
    }
    const cleaned = clean(value);
    const problem = schema(cleaned);
    if (problem) {
      errors.push(new InputError('invalid_field', `${field} is invalid (${problem}); dropped`, { field, event: context.event }));
      continue;
    }
    // Ids travel as strings; quantities and prices stay numbers for the encoders to format.
    out[name] = schema === id ? String(cleaned) : cleaned;
  }
  return out;
}

export interface Validated<T> {
  /** The fields that passed, ids as strings; `undefined` when the event cannot be sent at all. */
  value: T | undefined;
  errors: InputError[];
}

export type PageViewFields = Omit<PageViewRecord, 'page_view_ts' | 'visitor_id' | 'session_id'>;

export function validatePageView(input: unknown): Validated<PageViewFields> {
  const errors: InputError[] = [];
  if (input === undefined || input === null) return { value: {}, errors };
  if (!isObject(input)) {
    errors.push(new InputError('invalid_field', 'page_view takes an object of fields', { event: 'page_view' }));
    return { value: {}, errors };
  }
  const value = pickValid(input, PAGE_VIEW, { event: 'page_view', prefix: '' }, errors) as PageViewFields;
  return { value, errors };
}

export interface OrderFields {
  order_id: string;
  items: OrderItemRecord[];
  crm_id?: string;
  page_view_url?: string;
}

export function validateOrder(input: unknown): Validated<OrderFields> {
  const errors: InputError[] = [];
  const fail = (field: string, message: string): Validated<OrderFields> => {
    errors.push(new InputError('invalid_field', message, { field, event: 'order' }));
    return { value: undefined, errors };
  };
  if (!isObject(input)) return fail('order', 'order takes an object with order_id and items; not sent');
  const head = pickValid(
    input,
    { order_id: id, crm_id: id, page_view_url: text },
    { event: 'order', prefix: '', known: ORDER_OWN_FIELDS },
    errors,
  );
  if (head.order_id === undefined) {
    return errors.some((e) => e.field === 'order_id') ? { value: undefined, errors } : fail('order_id', 'order_id is required; order not sent');
  }
  if (!Array.isArray(input.items)) return fail('items', 'items must be an array of order items; order not sent');
  // An item keeps its slot even when some of its fields are dropped, so tilde lists stay aligned.
  const items = input.items.map((item, index) => {
    if (!isObject(item)) {
      errors.push(new InputError('invalid_field', `items.${index} is not an object; sent as an empty slot`, { field: `items.${index}`, event: 'order' }));
      return {} as OrderItemRecord;
    }
    const valid = pickValid(item, ITEM, { event: 'order', prefix: `items.${index}.` }, errors) as ProductRecord & Partial<OrderItemRecord>;
    if (valid.quantity === undefined && item.quantity === undefined) {
      errors.push(new InputError('invalid_field', `items.${index}.quantity is required`, { field: `items.${index}.quantity`, event: 'order' }));
    }
    return valid as OrderItemRecord;
  });
  return { value: { ...(head as Omit<OrderFields, 'items'>), items }, errors };
}

/** Validates a profile's or order's `crm_id` alone (the person's PII goes through `pii`). */
export function validateId(value: unknown, field: string, event?: EventName): { value?: string; error?: InputError } {
  if (value === undefined || value === null) return {};
  const cleaned = clean(value);
  if (!id(cleaned)) return { value: String(cleaned) };
  return { error: new InputError('invalid_field', `${field} must be a non-empty string or a non-negative integer; dropped`, event ? { field, event } : { field }) };
}
