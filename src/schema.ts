/**
 * Input validation, field by field, with `zod/mini` (full zod would cost
 * ~27 KB gzip on the browser path). Each field is checked alone so that one
 * bad value drops that field, with a typed error naming it, and the rest of
 * the event is still sent. Only a missing or invalid `order_id` (or `items`)
 * loses a whole order: it cannot be attributed without them.
 */
import * as z from 'zod/mini';
import { InputError } from './errors.js';
import type { EventName, OrderItemRecord, PageViewRecord, ProductRecord } from './model.js';

const text = z.string().check(z.minLength(1), z.maxLength(2048));
const id = z.union([text, z.number().check(z.int(), z.nonnegative())]);
const price = z.number().check(z.gte(0));
const quantity = z.int().check(z.positive());

const PRODUCT = { product_id: id, item_group_id: id, category_id: id, seller_id: id, brand: text };
const PAGE_VIEW = {
  ...PRODUCT,
  page_view_url: text,
  channel: text,
  channel_click_id: text,
  external_campaign_id: id,
  att_click_id: text,
  use_att_click_id: z.boolean(),
  crm_id: id,
};
const ITEM = { ...PRODUCT, quantity, regular_unit_price: price, discount_unit_price: price };

type Shape = Record<string, z.ZodMiniType>;

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
    const result = schema.safeParse(cleaned);
    if (!result.success) {
      const issue = result.error.issues[0];
      errors.push(
        new InputError('invalid_field', `${field} is invalid (${issue?.message ?? 'wrong type'}); dropped`, {
          field,
          event: context.event,
        }),
      );
      continue;
    }
    out[name] = typeof result.data === 'number' && name !== 'quantity' && !name.endsWith('_price') ? String(result.data) : result.data;
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
  const result = id.safeParse(clean(value));
  if (result.success) return { value: String(result.data) };
  return { error: new InputError('invalid_field', `${field} must be a non-empty string or a non-negative integer; dropped`, event ? { field, event } : { field }) };
}
