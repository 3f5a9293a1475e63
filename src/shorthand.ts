/**
 * The GET encoder: a long-name record becomes the vendor's shorthand query
 * string. Per-item order fields become tilde-joined lists with one slot per
 * item, so positions stay aligned even where an item lacks a field.
 */
import { InputError } from './errors.js';
import {
  GET_PATH,
  ITEM_FIELDS,
  MAX_GET_URL_LENGTH,
  ORDER_GET_FIELDS,
  PAGE_VIEW_GET_FIELDS,
  PRICE_FIELDS,
  getName,
} from './fields.js';
import type { EventName, EventRecords, OrderItemRecord } from './model.js';

export interface GetRequest {
  /** The full URL, ready for `sendBeacon` or `fetch`. */
  url: string;
  /** Values that could not be carried (a `~` inside a list value); the rest was encoded. */
  errors: InputError[];
}

export type GetEncoding = { ok: true; request: GetRequest } | { ok: false; error: InputError };

/** Prices travel with exactly two decimals (`10.00`). */
export function formatPrice(value: number): string {
  return value.toFixed(2);
}

function formatScalar(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function itemSlot(item: OrderItemRecord, field: (typeof ITEM_FIELDS)[number]): string {
  const value = item[field];
  if (value === undefined) return '';
  return (PRICE_FIELDS as readonly string[]).includes(field) ? formatPrice(value as number) : String(value);
}

/** Builds `[name, value]` pairs in the document's order. Absent fields are omitted. */
export function getParams<E extends EventName>(
  event: E,
  record: EventRecords[E],
  apiKey: string,
): { params: Array<[string, string]>; errors: InputError[] } {
  const params: Array<[string, string]> = [['api_key', apiKey]];
  const errors: InputError[] = [];
  const fields = event === 'order' ? ORDER_GET_FIELDS : PAGE_VIEW_GET_FIELDS;
  const values = record as unknown as Record<string, unknown>;
  for (const field of fields) {
    const value = formatScalar(values[field]);
    if (value !== undefined) params.push([getName(field), value]);
  }
  if (event === 'order') {
    const items = (record as EventRecords['order']).items;
    for (const field of ITEM_FIELDS) {
      if (!items.some((item) => item[field] !== undefined)) continue;
      const slots = items.map((item, index) => {
        const slot = itemSlot(item, field);
        if (!slot.includes('~')) return slot;
        errors.push(
          new InputError('tilde_in_value', `items.${index}.${field} contains "~", which a GET list cannot carry; sent empty`, {
            field: `items.${index}.${field}`,
            event,
          }),
        );
        return '';
      });
      params.push([getName(field), slots.join('~')]);
    }
  }
  return { params, errors };
}

export function encodeQuery(params: Array<[string, string]>): string {
  return params.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
}

/** The whole GET URL, or a `too_large` error: never a truncated or split event. */
export function encodeGet<E extends EventName>(
  event: E,
  record: EventRecords[E],
  { apiKey, base }: { apiKey: string; base: string },
): GetEncoding {
  const { params, errors } = getParams(event, record, apiKey);
  const url = `${base}${GET_PATH[event]}?${encodeQuery(params)}`;
  if (url.length > MAX_GET_URL_LENGTH) {
    return {
      ok: false,
      error: new InputError(
        'too_large',
        `The ${event} is ${url.length} characters as a GET URL, over the ${MAX_GET_URL_LENGTH} limit; not sent rather than truncated`,
        { event },
      ),
    };
  }
  return { ok: true, request: { url, errors } };
}
