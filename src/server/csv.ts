/**
 * CSV for the records CLI: RFC 4180 rows from lines (quoted cells may hold
 * commas, `""` and line breaks), and rows to raw events. An order is one row
 * per item; consecutive rows with the same `order_id` are one order (exports
 * list an order's lines together), which keeps memory constant.
 *
 * Columns: the POST long names (`order_id`, `order_ts`, `visitor_id`,
 * `session_id`, `platform`, `user_agent`, `crm_id`, …), the item fields
 * (`product_id`, `item_group_id`, `category_id`, `seller_id`, `brand`,
 * `quantity`, `regular_unit_price`, `discount_unit_price`) and the raw PII as
 * `customer.<field>` and `user.<field>` (`customer.email`, `user.phone`, …).
 * Empty cells are absent fields. Timestamps are epoch milliseconds or ISO 8601.
 * The first row is the header (a byte order mark before it is ignored): a
 * column it names that is none of these, or repeats one, is reported once
 * and ignored; a first row that names no column at all is data, not a
 * header, and the file is skipped without printing any of it.
 */
import { FIELD_LIST, ITEM_FIELDS, carries, fieldSpec, isFieldName } from '../core/fields.js';

export interface CsvRow {
  /** 1-based line where the row starts. */
  line: number;
  cells: string[];
}

/** Splits lines into rows; a row whose quotes never close ends the input as one (reported) row. */
export async function* csvRows(lines: AsyncIterable<string>): AsyncGenerator<CsvRow & { unterminated?: true }> {
  let lineNumber = 0;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let start = 0;
  for await (let line of lines) {
    lineNumber += 1;
    // A byte order mark (Excel writes one) is no part of the first cell: `"order_id"` stays a quoted cell.
    if (lineNumber === 1) line = line.replace(/^\uFEFF/, '');
    if (!quoted) {
      start = lineNumber;
      if (line.trim() === '') continue;
    } else {
      cell += '\n';
    }
    for (let i = 0; i < line.length; i += 1) {
      const char = line.charAt(i);
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (char === '"') quoted = false;
        else cell += char;
      } else if (char === '"' && cell === '') quoted = true;
      else if (char === ',') {
        cells.push(cell);
        cell = '';
      } else if (char !== '\r' || i !== line.length - 1) cell += char;
    }
    if (quoted) continue;
    cells.push(cell);
    yield { line: start, cells };
    cells = [];
    cell = '';
  }
  if (quoted) yield { line: start, cells: [...cells, cell], unterminated: true };
}

const ITEM_COLUMNS = new Set<string>(ITEM_FIELDS);

/** What a person column may name after `customer.` or `user.`: the PII fields, the country, a user's crm_id. */
const PERSON_KEYS = [...new Set(FIELD_LIST.flatMap((spec) => (spec.pii ? [spec.pii] : []))), 'country'];

/** The columns a file of `event`s may have, from the field table. */
function columnsOf(event: 'page_view' | 'order'): ReadonlySet<string> {
  const fields = FIELD_LIST.filter((spec) => spec.source !== 'person' && carries(spec, event, 'post'));
  return new Set([
    ...fields.map((spec) => spec.name),
    ...(event === 'order' ? [...ITEM_FIELDS, ...PERSON_KEYS.map((key) => `customer.${key}`)] : []),
    ...[...PERSON_KEYS, 'crm_id'].map((key) => `user.${key}`),
  ]);
}
const COLUMNS = { page_view: columnsOf('page_view'), order: columnsOf('order') };

/** A header cell as a problem may quote it: a name-like one only, so a data row mistaken for a header never is. */
function quoted(cell: string): string {
  return /^[\w.-]{1,64}$/.test(cell) ? ` (${JSON.stringify(cell)})` : '';
}

/**
 * The header's columns, one slot per cell: the column's name, or `undefined`
 * for a cell that names no column of `event` records (or repeats one),
 * reported once here rather than on every row. `undefined` when the row
 * names no column at all: it is no header (data, most likely: raw PII).
 */
export function csvHeader(
  cells: readonly string[],
  event: 'page_view' | 'order',
  problem: (message: string) => void,
): Array<string | undefined> | undefined {
  const names = cells.map((cell) => cell.trim());
  if (!names.some((name) => COLUMNS[event].has(name))) return undefined;
  const seen = new Map<string, number>();
  return names.map((name, index) => {
    const first = seen.get(name);
    if (!COLUMNS[event].has(name)) {
      problem(`column ${index + 1}${quoted(name)} is not a column of ${event} records; ignored`);
      return undefined;
    }
    if (first !== undefined) {
      problem(`column ${index + 1}${quoted(name)} repeats column ${first + 1}; ignored`);
      return undefined;
    }
    seen.set(name, index);
    return name;
  });
}

/**
 * A cell as its field's kind expects it (numbers, timestamps, booleans, from
 * the field table); text that does not convert stays text, so validation
 * names the field.
 */
function cellValue(column: string, text: string): unknown {
  const kind = isFieldName(column) ? fieldSpec(column).kind : 'text';
  if (kind === 'quantity' || kind === 'price') {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  if (kind === 'timestamp') {
    if (/^\d+$/.test(text.trim())) return Number(text);
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? text : date;
  }
  if (kind === 'boolean') {
    const lower = text.trim().toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : text;
  }
  return text;
}

/**
 * A row as an object: `customer.email` becomes `{ customer: { email } }`;
 * empty cells and the header's ignored columns are left out.
 */
export function rowObject(
  header: ReadonlyArray<string | undefined>,
  cells: readonly string[],
): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  header.forEach((column, index) => {
    const text = cells[index];
    if (column === undefined || text === undefined || text === '') return;
    const dot = column.indexOf('.');
    if (dot > 0) {
      const owner = column.slice(0, dot);
      const nested = (object[owner] ??= {}) as Record<string, unknown>;
      nested[column.slice(dot + 1)] = text;
    } else {
      object[column] = cellValue(column, text);
    }
  });
  return object;
}

export interface CsvEvent {
  /** Line of the event's first row. */
  line: number;
  value: Record<string, unknown>;
}

/** `lost`: the problem cost input (a row, or the whole file); otherwise only a column was ignored. */
export type CsvProblem = { line: number; message: string; lost: boolean };

/**
 * Rows to raw events: a page view per row; an order per run of consecutive
 * rows sharing an `order_id`, its order-level columns taken from the first.
 */
export async function* csvEvents(
  rows: AsyncIterable<CsvRow & { unterminated?: true }>,
  event: 'page_view' | 'order',
  onProblem: (problem: CsvProblem) => void,
): AsyncGenerator<CsvEvent> {
  let header: Array<string | undefined> | undefined;
  let open: CsvEvent | undefined;
  let openId: string | undefined;
  for await (const row of rows) {
    if (!header) {
      header = csvHeader(row.cells, event, (message) => onProblem({ line: row.line, message, lost: false }));
      if (!header) {
        onProblem({ line: row.line, message: 'no header (it names none of the columns); file skipped', lost: true });
        return;
      }
      continue;
    }
    if (row.unterminated) {
      onProblem({ line: row.line, message: 'a quoted cell never closes; row skipped', lost: true });
      continue;
    }
    if (row.cells.length !== header.length) {
      onProblem({
        line: row.line,
        message: `${row.cells.length} cells where the header has ${header.length}; row skipped`,
        lost: true,
      });
      continue;
    }
    const object = rowObject(header, row.cells);
    if (event === 'page_view') {
      yield { line: row.line, value: object };
      continue;
    }
    const item: Record<string, unknown> = {};
    const order: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) (ITEM_COLUMNS.has(key) ? item : order)[key] = value;
    const id = typeof order.order_id === 'string' ? order.order_id : undefined;
    if (open && id !== undefined && id === openId) {
      (open.value.items as unknown[]).push(item);
      continue;
    }
    if (open) yield open;
    open = { line: row.line, value: { ...order, items: [item] } };
    openId = id;
  }
  if (open) yield open;
}
