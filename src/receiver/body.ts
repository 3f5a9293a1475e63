/**
 * The POST decoder: a JSON body in the vendor's long names, checked by zod
 * against the field table. `POST /page_view` takes one object, `POST /orders`
 * an array of orders; a batch is accepted or refused as a whole. A body past
 * the bounds of `json-bounds.ts` is refused before it is parsed or validated.
 */
import { z } from 'zod';
import { ITEM_FIELDS, fieldsOf, type EventName } from '../core/fields.js';
import type { OrderRecord, PageViewRecord } from '../core/model.js';
import { REQUIRED_FIELDS, REQUIRED_ITEM_FIELDS } from './endpoints.js';
import { fieldKind, postValue } from './formats.js';
import { batchProblems, jsonTextProblem } from './json-bounds.js';
import { problemsFromZod } from './problems.js';
import type { Decoded } from './problems.js';

function shape(fields: readonly string[], required: readonly string[]): Record<string, z.ZodType> {
  return Object.fromEntries(
    fields.map((field) => {
      const value = postValue(fieldKind(field));
      return [field, required.includes(field) ? value : value.optional()];
    }),
  );
}

const objectError = { error: 'expected a JSON object' };

const itemSchema = z.strictObject(shape(ITEM_FIELDS, REQUIRED_ITEM_FIELDS), objectError);

const pageViewSchema = z.strictObject(shape(fieldsOf('page_view', 'post'), REQUIRED_FIELDS.page_view), objectError);

const orderSchema = z.strictObject(
  {
    ...shape(fieldsOf('order', 'post'), REQUIRED_FIELDS.order),
    items: z.array(itemSchema, { error: 'expected an array of items' }).min(1, 'expected at least one item'),
  },
  objectError,
);

const ordersSchema = z
  .array(orderSchema, { error: 'expected a JSON array of orders (a batch), even for one order' })
  .min(1, 'expected at least one order');

type Bodies = { page_view: PageViewRecord; order: OrderRecord[] };

/** The vendor example prints the request as `{ headers, body }`; sending that literally is a likely mistake. */
function isVendorWrapper(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'headers' in value && 'body' in value;
}

/** Decodes a POST body: the page view, or the batch of orders. */
export function decodeBody<E extends EventName>(event: E, text: string): Decoded<Bodies[E]> {
  const shapeProblem = jsonTextProblem(text);
  if (shapeProblem) return { ok: false, problems: [shapeProblem] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [{ field: 'body', code: 'invalid_json', message: `is not JSON: ${(error as Error).message}` }],
    };
  }
  if (isVendorWrapper(json)) {
    return {
      ok: false,
      problems: [
        {
          field: 'body',
          code: 'invalid_value',
          message:
            'is the vendor example\'s {"headers", "body"} wrapper: send only "body" as the JSON body, and api_key as an HTTP header',
        },
      ],
    };
  }
  const sizeProblems = event === 'order' ? batchProblems(json) : [];
  if (sizeProblems.length > 0) return { ok: false, problems: sizeProblems };
  const result = (event === 'order' ? ordersSchema : pageViewSchema).safeParse(json);
  if (!result.success) return { ok: false, problems: problemsFromZod(result.error, json) };
  return { ok: true, value: result.data as unknown as Bodies[E] };
}
