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
import type { EventName, OrderItemRecord, PageViewRecord } from './model.js';

/** A field's test (on the trimmed value), and what it expects, for the error message. */
type Rule = readonly [test: (value: unknown) => boolean, expected: string];

const isText = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 2048;
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

const TEXT: Rule = [isText, 'a string of 1 to 2048 characters'];
/** Ids travel as strings; quantities and prices stay numbers for the encoders to format. */
const ID: Rule = [(v) => isCount(v) || isText(v), 'a non-empty string or an integer >= 0'];
const PRICE: Rule = [(v) => Number.isFinite(v) && (v as number) >= 0, 'a number >= 0'];

const PRODUCT = { product_id: ID, item_group_id: ID, category_id: ID, seller_id: ID, brand: TEXT };
const PAGE_VIEW = {
  ...PRODUCT,
  page_view_url: TEXT,
  channel: TEXT,
  channel_click_id: TEXT,
  external_campaign_id: ID,
  att_click_id: TEXT,
  use_att_click_id: [(v) => typeof v === 'boolean', 'true or false'] as Rule,
  crm_id: ID,
};
const ORDER = { order_id: ID, crm_id: ID, page_view_url: TEXT };
const ITEM = {
  ...PRODUCT,
  quantity: [(v) => isCount(v) && (v as number) > 0, 'a positive integer'] as Rule,
  regular_unit_price: PRICE,
  discount_unit_price: PRICE,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Records an `invalid_field` error; `problem` follows the field's name in the message. */
function invalid(errors: InputError[], field: string, event: EventName | undefined, problem: string): void {
  errors.push(new InputError('invalid_field', `${field} ${problem}`, { field, event }));
}

/** The value, trimmed (`' 170830 '` and `'170830'` are one product) and ids as strings, if `rule` holds; else an error. */
function check(rule: Rule, value: unknown, field: string, event: EventName | undefined, errors: InputError[]): unknown {
  const v = typeof value === 'string' ? value.trim() : value;
  if (rule[0](v)) return rule === ID ? String(v) : v;
  invalid(errors, field, event, `must be ${rule[1]}: dropped`);
  return undefined;
}

/**
 * The fields of `input` that `shape` knows and that pass; an error for each
 * other one, and for a `required` field that is absent. Absent (null) fields
 * are skipped.
 */
function pick<T>(
  input: Record<string, unknown>,
  shape: Record<string, Rule>,
  event: EventName,
  prefix: string,
  errors: InputError[],
  required?: string,
): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value == null) continue;
    const field = prefix + name;
    if (!Object.prototype.hasOwnProperty.call(shape, name)) {
      invalid(errors, field, event, `is not a field of ${event}; ignored`);
      continue;
    }
    const valid = check(shape[name]!, value, field, event, errors);
    if (valid !== undefined) out[name] = valid;
  }
  if (required && input[required] == null) invalid(errors, prefix + required, event, 'is required');
  return out as T;
}

export interface Validated<T> {
  /** The fields that passed, ids as strings; `undefined` when the event cannot be sent at all. */
  value: T | undefined;
  errors: InputError[];
}

export type PageViewFields = Omit<PageViewRecord, 'page_view_ts' | 'visitor_id' | 'session_id'>;

export function validatePageView(input: unknown): Validated<PageViewFields> {
  const errors: InputError[] = [];
  if (isObject(input)) return { value: pick<PageViewFields>(input, PAGE_VIEW, 'page_view', '', errors), errors };
  if (input != null)
    errors.push(new InputError('invalid_field', 'page_view input must be an object', { event: 'page_view' }));
  return { value: {}, errors };
}

export interface OrderFields {
  order_id: string;
  items: OrderItemRecord[];
  crm_id?: string;
  page_view_url?: string;
}

/** Without a valid `order_id` and an `items` array an order cannot be attributed: it is not sent. */
export function validateOrder(input: unknown): Validated<OrderFields> {
  const errors: InputError[] = [];
  const refused = { value: undefined, errors };
  if (!isObject(input)) {
    invalid(errors, 'order', 'order', 'must be an object: not sent');
    return refused;
  }
  // `items` is checked below and `customer` is the PII module's: neither is an unknown field.
  const head = pick<Omit<OrderFields, 'items'>>(
    { ...input, items: undefined, customer: undefined },
    ORDER,
    'order',
    '',
    errors,
    'order_id',
  );
  if (head.order_id === undefined) return refused;
  if (!Array.isArray(input.items)) {
    invalid(errors, 'items', 'order', 'must be an array: order not sent');
    return refused;
  }
  // An item keeps its slot even when some of its fields are dropped, so tilde lists stay aligned.
  const items = input.items.map((item, index) => {
    const field = `items.${index}`;
    if (isObject(item)) return pick<OrderItemRecord>(item, ITEM, 'order', `${field}.`, errors, 'quantity');
    invalid(errors, field, 'order', 'must be an object: sent empty');
    return {} as OrderItemRecord;
  });
  return { value: { ...head, items }, errors };
}

/** Validates a profile's or order's `crm_id` alone (the person's PII goes through `pii`). */
export function validateId(
  value: unknown,
  field: string,
  event?: EventName,
): { value?: string | undefined; error?: InputError | undefined } {
  if (value == null) return {};
  const errors: InputError[] = [];
  const id = check(ID, value, field, event, errors) as string | undefined;
  return { value: id, error: errors[0] };
}
