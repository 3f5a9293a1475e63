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
 */
import { ITEM_FIELDS, fieldSpec, isFieldName } from '../core/fields.js';

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
  for await (const line of lines) {
    lineNumber += 1;
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

/** A row as an object: `customer.email` becomes `{ customer: { email } }`; empty cells are left out. */
export function rowObject(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  header.forEach((column, index) => {
    const text = cells[index];
    if (text === undefined || text === '') return;
    const dot = column.indexOf('.');
    if (dot > 0 && (column.startsWith('customer.') || column.startsWith('user.'))) {
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

export type CsvProblem = { line: number; message: string };

/**
 * Rows to raw events: a page view per row; an order per run of consecutive
 * rows sharing an `order_id`, its order-level columns taken from the first.
 */
export async function* csvEvents(
  rows: AsyncIterable<CsvRow & { unterminated?: true }>,
  event: 'page_view' | 'order',
  onProblem: (problem: CsvProblem) => void,
): AsyncGenerator<CsvEvent> {
  let header: string[] | undefined;
  let open: CsvEvent | undefined;
  let openId: string | undefined;
  for await (const row of rows) {
    if (!header) {
      header = row.cells.map((cell) => cell.trim());
      continue;
    }
    if (row.unterminated) {
      onProblem({ line: row.line, message: 'a quoted cell never closes; row skipped' });
      continue;
    }
    if (row.cells.length !== header.length) {
      onProblem({
        line: row.line,
        message: `${row.cells.length} cells where the header has ${header.length}; row skipped`,
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
