/**
 * The GET decoder, the inverse of `core/get-encoder.ts`: a query string of
 * shorthand names becomes a long-name record, or the list of every problem
 * in it. Tilde lists become order items again, slot by slot.
 */
import { ITEM_FIELDS, fieldsOf, shortName, type EventName, type FieldName } from '../core/fields.js';
import type { EventRecords } from '../core/model.js';
import { isRequired, isRequiredItemField } from './endpoints.js';
import { fieldKind, getValue } from './formats.js';
import type { Decoded, Problem } from './problems.js';

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parse(longName: string, text: string): Parsed {
  const result = getValue(fieldKind(longName)).safeParse(text);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues.map((issue) => issue.message).join('; ') };
}

interface List {
  longName: string;
  name: string;
  /** One per slot; `undefined` for an empty slot of an optional field. */
  values: unknown[];
}

function decodeList(longName: string, name: string, text: string, problems: Problem[]): List {
  const values = text.split('~').map((slot, index) => {
    if (slot === '') {
      if (isRequiredItemField(longName)) {
        problems.push({
          field: name,
          index,
          code: 'missing_field',
          message: `item ${index + 1} has no value, which is required`,
        });
      }
      return undefined;
    }
    const parsed = parse(longName, slot);
    if (parsed.ok) return parsed.value;
    problems.push({ field: name, index, code: 'invalid_value', message: `item ${index + 1}: ${parsed.message}` });
    return undefined;
  });
  return { longName, name, values };
}

/** Every list must have one slot per item: `prodid` (required) sets the count. */
function checkLengths(lists: List[], problems: Problem[]): number {
  const reference = lists.find((list) => list.longName === 'product_id') ?? lists[0];
  if (!reference) return 0;
  for (const list of lists) {
    if (list.values.length === reference.values.length) continue;
    problems.push({
      field: list.name,
      code: 'list_length_mismatch',
      message: `has ${list.values.length} slots, ${reference.name} has ${reference.values.length}: one slot per item, empty where an item lacks the field`,
    });
  }
  return reference.values.length;
}

function buildItems(lists: List[], count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, index) => {
    const item: Record<string, unknown> = {};
    for (const list of lists) {
      const value = list.values[index];
      if (value !== undefined) item[list.longName] = value;
    }
    return item;
  });
}

/** Decodes `/page_viewjs` or `/orderjs` parameters; `api_key` is checked elsewhere and ignored here. */
export function decodeQuery<E extends EventName>(event: E, params: URLSearchParams): Decoded<EventRecords[E]> {
  const problems: Problem[] = [];
  const scalars = fieldsOf(event, 'get');
  const itemFields: readonly FieldName[] = event === 'order' ? ITEM_FIELDS : [];
  const known = new Set(['api_key', ...scalars.map(shortName), ...itemFields.map(shortName)]);

  for (const name of new Set(params.keys())) {
    if (!known.has(name)) {
      problems.push({
        field: name,
        code: 'unknown_field',
        message: `is not a parameter of ${event === 'order' ? '/orderjs' : '/page_viewjs'}`,
      });
    } else if (params.getAll(name).length > 1) {
      problems.push({ field: name, code: 'duplicate_field', message: `is given ${params.getAll(name).length} times` });
    }
  }

  const record: Record<string, unknown> = {};
  for (const longName of scalars) {
    const name = shortName(longName);
    const text = params.get(name);
    if (text === null) {
      if (isRequired(event, longName)) problems.push({ field: name, code: 'missing_field', message: 'is required' });
      continue;
    }
    const parsed = parse(longName, text);
    if (parsed.ok) record[longName] = parsed.value;
    else problems.push({ field: name, code: 'invalid_value', message: parsed.message });
  }

  if (event === 'order') {
    const lists: List[] = [];
    for (const longName of itemFields) {
      const name = shortName(longName);
      const text = params.get(name);
      if (text !== null) lists.push(decodeList(longName, name, text, problems));
      else if (isRequiredItemField(longName))
        problems.push({ field: name, code: 'missing_field', message: 'is required (one slot per item)' });
    }
    record['items'] = buildItems(lists, checkLengths(lists, problems));
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: record as unknown as EventRecords[E] };
}
