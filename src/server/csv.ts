/**
 * CSV for the records CLI: rows (parsed by `csv-parse`, RFC 4180: quoted
 * cells may hold commas, `""` and line breaks) to raw events. An order is one
 * row per item; consecutive rows with the same `order_id` are one order
 * (exports list an order's lines together), which keeps memory constant.
 *
 * The first row is the header (`csv-columns.ts`; a byte order mark before it
 * is ignored). Empty cells are absent fields. Timestamps are epoch
 * milliseconds or ISO 8601.
 *
 * A row is bounded (`MAX_ROW_CHARS`): a stray quote would otherwise make the
 * rest of the file one cell, held in memory, and every order after it one
 * lost row. A file that is not CSV past some point (a quote that never
 * closes, a row over the bound) is refused whole with the line where that
 * row starts: its records are not to be trusted, let alone half-uploaded.
 */
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { CsvError as ParseError, parse } from 'csv-parse';
import type { Info, InfoRecord, Options } from 'csv-parse';
import { fieldSpec, isFieldName, ITEM_FIELDS } from '../core/fields.js';
import { csvHeader } from './csv-columns.js';
import type { RecordsEvent } from './csv-columns.js';

/** No row of an order or page-view export comes near this; a run-away quoted cell soon does. */
export const MAX_ROW_CHARS = 1 << 20;

/** The file is not CSV from `line` on (1-based): it is refused whole. */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export interface CsvRow {
  /** 1-based line where the row starts. */
  line: number;
  cells: string[];
}

/** Why csv-parse stopped, in words that quote nothing of the file (its own messages quote characters). */
function reasonOf(error: ParseError): string {
  if (error.code === 'CSV_MAX_RECORD_SIZE')
    return `a row longer than ${MAX_ROW_CHARS} characters (a quote that never closes?)`;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted cell never closes';
  return `not CSV (${error.code})`;
}

/** The rows of CSV text, each with its first line; fails with a `CsvFormatError`. */
export async function* csvRows(text: Readable): AsyncGenerator<CsvRow> {
  // Where the next row starts: after the last row's end, and the empty lines skipped since. Counted as
  // the parser goes (not as rows are read), so a failure is placed even with rows still unread.
  let endLine = 0;
  let emptyLines = 0;
  const startOf = (at: Pick<Info, 'empty_lines'>) => endLine + 1 + at.empty_lines - emptyLines;
  const options: Options<CsvRow, string[]> = {
    bom: true,
    max_record_size: MAX_ROW_CHARS,
    // A quote inside an unquoted cell (`5" screen`) is a character, not an error; rows of the wrong
    // length are reported one by one (csvEvents), not fatal.
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (cells: string[], at: InfoRecord) => {
      const row = { line: startOf(at), cells };
      endLine = at.lines;
      emptyLines = at.empty_lines;
      return row;
    },
  };
  // csv-parse's types tie `on_record`'s result type to the `columns` option, which this does not use.
  const parser = parse(options as unknown as Options);
  // The text's own failure (an encoding error) reaches the loop below through the parser.
  pipeline(text, parser, () => undefined);
  try {
    yield* parser as AsyncIterable<CsvRow>;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw new CsvFormatError(startOf(error as unknown as Info), reasonOf(error));
  }
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
export interface CsvProblem {
  line: number;
  message: string;
  lost: boolean;
}

const ITEM_COLUMNS = new Set<string>(ITEM_FIELDS);

/** An order row split into its item's fields and its order's. */
function splitOrderRow(object: Record<string, unknown>): { order: Record<string, unknown>; item: object } {
  const item: Record<string, unknown> = {};
  const order: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) (ITEM_COLUMNS.has(key) ? item : order)[key] = value;
  return { order, item };
}

/**
 * Rows to raw events: a page view per row; an order per run of consecutive
 * rows sharing an `order_id`, its order-level columns taken from the first.
 */
export async function* csvEvents(
  rows: AsyncIterable<CsvRow>,
  event: RecordsEvent,
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
    if (row.cells.length !== header.length) {
      const message = `${row.cells.length} cells where the header has ${header.length}; row skipped`;
      onProblem({ line: row.line, message, lost: true });
      continue;
    }
    const object = rowObject(header, row.cells);
    if (event === 'page_view') {
      yield { line: row.line, value: object };
      continue;
    }
    const { order, item } = splitOrderRow(object);
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
