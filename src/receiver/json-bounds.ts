/**
 * The bounds a JSON body must keep before it is parsed and validated, so the
 * work and the problems it can cause stay in proportion to real events: how
 * deep it nests and how many entries it has (read off the text in one pass,
 * without parsing or recursion), then how many orders a batch and items an
 * order hold. Each refusal is one problem, whatever the body's size.
 */
import { MAX_BATCH_ORDERS, MAX_JSON_DEPTH, MAX_JSON_ENTRIES, MAX_ORDER_ITEMS } from './limits.js';
import type { Problem } from './problems.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function overLimit(field: string, message: string): Problem {
  return { field, code: 'limit_exceeded', message };
}

/**
 * The problem with a JSON text's shape, if any: nesting deeper than
 * `MAX_JSON_DEPTH`, or more than `MAX_JSON_ENTRIES` array elements and object
 * members. Text that is not JSON passes, for the parser to name its fault.
 */
export function jsonTextProblem(text: string): Problem | undefined {
  let depth = 0;
  let entries = 0;
  let inString = false;
  // Just after `[` or `{`: the next token starts a first entry, unless it closes the container.
  let opened = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
      continue;
    }
    if (isJsonSpace(code)) continue;
    if (opened && code !== CLOSE_ARRAY && code !== CLOSE_OBJECT) entries++;
    opened = false;
    if (code === QUOTE) inString = true;
    else if (code === COMMA) entries++;
    else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      opened = true;
      if (++depth > MAX_JSON_DEPTH) {
        return overLimit(
          'body',
          `nests deeper than ${MAX_JSON_DEPTH} levels; a valid body has at most 4 (batch, order, items, item)`,
        );
      }
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) depth--;
    if (entries > MAX_JSON_ENTRIES) {
      return overLimit(
        'body',
        `has more than ${MAX_JSON_ENTRIES} entries (array elements and object members): send smaller batches`,
      );
    }
  }
  return undefined;
}

/** The problems with a parsed `POST /orders` body's size: too many orders, or an order with too many items. */
export function batchProblems(json: unknown): Problem[] {
  if (!Array.isArray(json)) return [];
  if (json.length > MAX_BATCH_ORDERS) {
    return [overLimit('body', `holds ${json.length} orders; a batch takes at most ${MAX_BATCH_ORDERS}`)];
  }
  return json.flatMap((order: unknown, index) => {
    const items = typeof order === 'object' && order !== null ? (order as { items?: unknown }).items : undefined;
    if (!Array.isArray(items) || items.length <= MAX_ORDER_ITEMS) return [];
    return [overLimit(`${index}.items`, `holds ${items.length} items; an order takes at most ${MAX_ORDER_ITEMS}`)];
  });
}
