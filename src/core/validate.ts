/**
 * Validation of SDK input, the browser's and the server's alike, derived from
 * the field table: which fields an event takes, their value rules, which are
 * required. Each field is checked alone, so one bad value drops that field,
 * with a typed error naming it, and the rest of the event is still sent. Only
 * a required field (an order's `order_id`, a server event's ids) or an order
 * without a line to send loses the whole event: it cannot be attributed. An
 * order line missing a required field (`product_id`, `quantity`), or whose
 * required field breaks its rule, is dropped whole, reported: the API refuses
 * an order with an empty required slot.
 *
 * Why not zod here: this is the SDK's own input, checked field by field with
 * a drop-and-report outcome per field, in the browser bundle, on every call;
 * the table already says everything a schema would. zod checks the wire where
 * a whole document is accepted or refused: the local receiver and file-dump
 * records.
 */
import { InputError } from './errors.js';
import {
  FIELD_LIST,
  ITEM_FIELDS,
  LIST_SEPARATOR,
  carries,
  fieldSpec,
  isFieldName,
  type EventName,
  type FieldKind,
  type FieldName,
  type FieldSource,
} from './fields.js';
import type { OrderItemRecord } from './model.js';
import { NO_INPUT, isObject } from './plain-input.js';
import { VALUE_RULES, acceptValue } from './values.js';

/** Who calls: the browser SDK sends by GET and supplies the context itself; a server sends by POST and passes it. */
export type Caller = 'browser' | 'server';

const CALLERS = {
  browser: { transport: 'get', sources: ['event'] },
  server: { transport: 'post', sources: ['event', 'context'] },
} as const satisfies Record<Caller, { transport: 'get' | 'post'; sources: readonly FieldSource[] }>;

/** Keys that are not fields but hold structure: checked elsewhere (items below, persons by `pii`). */
const STRUCTURE = {
  browser: { page_view: [], order: ['items', 'customer'] },
  server: { page_view: ['user'], order: ['items', 'customer', 'user'] },
} as const satisfies Record<Caller, Record<EventName, readonly string[]>>;

export interface ValidateOptions {
  /** A missing timestamp loses the event instead of defaulting to now (file dumps of past events). */
  requireTimestamp?: boolean | undefined;
}

/** Validated fields by long name, as wire values (ids as strings). */
export type ValidFields = Partial<Record<FieldName, string | number | boolean>>;

export interface ValidatedEvent {
  /** The fields that passed. */
  fields: ValidFields;
  /** An order's lines that can be sent (each may have lost an optional field); at least one when sendable. */
  items: OrderItemRecord[] | undefined;
  errors: InputError[];
  /** False when the event cannot be sent at all (a required field is missing or invalid). */
  sendable: boolean;
}

/** One field's value against its rule; an `invalid_field` error (naming `path`, never the value) when it fails. */
export function validateField(
  name: FieldName,
  value: unknown,
  path: string,
  event: EventName | undefined,
  errors: InputError[],
): string | number | boolean | undefined {
  const valid = acceptValue(fieldSpec(name).kind, value);
  if (valid === undefined) errors.push(breaksRule(name, path, event));
  return valid;
}

function breaksRule(name: FieldName, path: string, event: EventName | undefined): InputError {
  return invalid(path, event, `must be ${VALUE_RULES[fieldSpec(name).kind].expected}: dropped`);
}

function invalid(path: string, event: EventName | undefined, problem: string): InputError {
  return new InputError('invalid_field', `${path} ${problem}`, { field: path, event });
}

/** Why a key the event does not take was ignored, in the words of the table. */
function whyIgnored(name: string, event: EventName, caller: Caller): string {
  if (!isFieldName(name)) return `is not a field of ${event}; ignored`;
  const spec = fieldSpec(name);
  if (spec.source === 'person') return `is computed from a person's PII (hashed by the SDK); ignored`;
  if (spec.source === 'context' && caller === 'browser') return 'is set by the SDK itself; ignored';
  return `is not sent with a ${event} by ${CALLERS[caller].transport.toUpperCase()}; ignored`;
}

/** What one caller takes for one event: each top-level field with its kind, and the ones it requires. */
interface TakenFields {
  taken: ReadonlyMap<string, FieldKind>;
  required: readonly FieldName[];
}

/** The table's answers per caller, event and timestamp rule: derived on first use, then read on every call. */
const takenCache = new Map<string, TakenFields>();

function takenFields(event: EventName, caller: Caller, requireTimestamp: boolean): TakenFields {
  const key = `${caller} ${event} ${String(requireTimestamp)}`;
  let answer = takenCache.get(key);
  if (!answer) {
    const { transport, sources } = CALLERS[caller];
    const taken = FIELD_LIST.filter(
      (spec) => (sources as readonly FieldSource[]).includes(spec.source) && carries(spec, event, transport),
    );
    const required = taken.filter((spec) => spec.required && (spec.kind !== 'timestamp' || requireTimestamp));
    answer = { taken: new Map(taken.map((spec) => [spec.name, spec.kind])), required: required.map((s) => s.name) };
    takenCache.set(key, answer);
  }
  return answer;
}

/** The kind of each field an order item takes. */
const ITEM_KINDS: ReadonlyMap<string, FieldKind> = new Map(ITEM_FIELDS.map((name) => [name, fieldSpec(name).kind]));
/** The item fields every item must have. */
const REQUIRED_ITEM_FIELDS = ITEM_FIELDS.filter((name) => fieldSpec(name).item === 'required');

/**
 * Validates one event's input as `caller` takes it. Absent (`null` or
 * `undefined`) fields are skipped. Never throws for input it can read.
 */
export function validateEvent(
  event: EventName,
  input: unknown,
  caller: Caller,
  options: ValidateOptions = {},
): ValidatedEvent {
  const errors: InputError[] = [];
  const fields: ValidFields = {};
  const { taken, required } = takenFields(event, caller, options.requireTimestamp === true);
  if (input != null && !isObject(input)) {
    errors.push(invalid(event, event, `input must be an object${required.length > 0 ? `: ${event} not sent` : ''}`));
    return { fields, items: event === 'order' ? [] : undefined, errors, sendable: required.length === 0 };
  }
  const given = input ?? NO_INPUT;
  const structure: readonly string[] = STRUCTURE[caller][event];
  let sendable = true;
  for (const name of Object.keys(given)) {
    const value = given[name];
    if (value == null || structure.includes(name)) continue;
    const kind = taken.get(name);
    if (kind === undefined) {
      errors.push(invalid(name, event, whyIgnored(name, event, caller)));
      continue;
    }
    const valid = acceptValue(kind, value);
    if (valid !== undefined) fields[name as FieldName] = valid;
    else errors.push(breaksRule(name as FieldName, name, event));
  }
  for (const name of required) {
    if (fields[name] !== undefined) continue;
    sendable = false;
    if (given[name] == null) errors.push(invalid(name, event, `is required: ${event} not sent`));
  }
  if (event !== 'order') return { fields, items: undefined, errors, sendable };

  if (!Array.isArray(given.items)) {
    errors.push(invalid('items', event, 'must be an array: order not sent'));
    return { fields, items: undefined, errors, sendable: false };
  }
  const items: OrderItemRecord[] = [];
  given.items.forEach((item: unknown, index) => {
    const line = validateItem(item, index, CALLERS[caller].transport === 'get', errors);
    if (line) items.push(line);
  });
  if (items.length === 0) {
    errors.push(invalid('items', event, 'has no line to send: order not sent'));
    sendable = false;
  }
  return { fields, items, errors, sendable };
}

/**
 * One order line: an optional field that breaks its rule is dropped from the
 * line; a line whose required field (`product_id`, `quantity`) is missing or
 * breaks its rule is dropped whole (`undefined`), as the API refuses an order
 * with an empty required slot. Each problem is one error, naming the input's
 * own index.
 */
function validateItem(item: unknown, index: number, get: boolean, errors: InputError[]): OrderItemRecord | undefined {
  const record: Record<string, string | number | boolean> = {};
  const path = `items.${index}`;
  if (!isObject(item)) {
    errors.push(invalid(path, 'order', 'must be an object: line dropped'));
    return undefined;
  }
  let whole = true;
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value == null) continue;
    const kind = ITEM_KINDS.get(name);
    if (kind === undefined) {
      errors.push(invalid(`${path}.${name}`, 'order', 'is not a field of an order item; ignored'));
      continue;
    }
    // A field's path is spelled out only for its error: items are the bulk of an order's fields.
    const valid = acceptValue(kind, value);
    // A GET list joins the lines' values with `~`: a value holding one cannot be carried, never split.
    const tilde = get && typeof valid === 'string' && valid.includes(LIST_SEPARATOR);
    if (valid !== undefined && !tilde) {
      record[name] = valid;
      continue;
    }
    const required = REQUIRED_ITEM_FIELDS.includes(name as FieldName);
    whole &&= !required;
    const outcome = required ? 'line dropped' : 'dropped';
    const field = `${path}.${name}`;
    errors.push(
      tilde
        ? new InputError('tilde_in_value', `${field} holds "~", the GET list separator: ${outcome}`, {
            field,
            event: 'order',
          })
        : invalid(field, 'order', `must be ${VALUE_RULES[kind].expected}: ${outcome}`),
    );
  }
  for (const name of REQUIRED_ITEM_FIELDS) {
    if (item[name] != null) continue;
    whole = false;
    errors.push(invalid(`${path}.${name}`, 'order', 'is required: line dropped'));
  }
  return whole ? record : undefined;
}
