/**
 * What the records CLI reads: raw events from CSV (`csv.ts`), NDJSON (one
 * JSON object a line) or one JSON array (streamed by `stream-json`, element
 * by element), in constant memory. Each comes with where it is in the file
 * (`line 3`, `element 3`), the only way a problem may name it: the values
 * are raw PII. A file that cannot be read past some point is refused whole
 * (`InputRefused`): its records are not to be trusted, nor half-written.
 */
import { pipeline, Readable, Transform } from 'node:stream';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { csvEvents, csvRows, CsvFormatError, MAX_ROW_CHARS } from './csv.js';
import type { RecordsEvent } from './csv-columns.js';
import { EncodingError } from './text-input.js';

export type InputFormat = 'csv' | 'ndjson' | 'json';

export interface RawInput {
  /** `line 3` or `element 3`: where the input starts. */
  where: string;
  value: unknown;
}

/** `lost`: the problem cost an input (it is left out); otherwise a column was ignored. */
export interface InputProblem {
  where: string;
  message: string;
  lost: boolean;
}

/** The whole file is refused: it is not in its format or encoding from `where` on. */
export class InputRefused extends Error {
  override readonly name = 'InputRefused';
}

/** The format a path's extension says, or `undefined` (stdin, another extension: the content says). */
export function formatOfPath(path: string): InputFormat | undefined {
  const extension = /\.(csv|ndjson|jsonl|json)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === 'jsonl') return 'ndjson';
  return extension as InputFormat | undefined;
}

/** Reads up to the first character that is not white space: `[` is a JSON array, `{` NDJSON, anything else CSV. */
async function sniffed(text: Readable): Promise<{ format: InputFormat; text: Readable }> {
  const chunks = text[Symbol.asyncIterator]() as AsyncIterator<string>;
  const seen: string[] = [];
  let first: string | undefined;
  while (first === undefined) {
    const next = await chunks.next();
    if (next.done === true) break;
    seen.push(next.value);
    first = /\S/.exec(next.value)?.[0];
  }
  const format = first === '[' ? 'json' : first === '{' ? 'ndjson' : 'csv';
  async function* whole() {
    yield* seen;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
  }
  return { format, text: Readable.from(whole(), { objectMode: true }) };
}

/** Lines without their `\n` or `\r\n`; a line longer than a row may be is cut to nothing (and reported as such). */
async function* textLines(text: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of text) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
    // A line with no end in sight would be held whole: keep a mark of it instead ('\0' is no JSON).
    if (rest.length > MAX_ROW_CHARS) rest = '\0';
  }
  if (rest !== '') yield rest;
}

async function* ndjsonInputs(text: Readable, onProblem: (problem: InputProblem) => void): AsyncGenerator<RawInput> {
  let line = 0;
  for await (const content of textLines(text)) {
    line += 1;
    if (content.trim() === '') continue;
    try {
      yield { where: `line ${line}`, value: JSON.parse(content) as unknown };
    } catch {
      const why = content.startsWith('\0') ? `longer than ${MAX_ROW_CHARS} characters` : 'not valid JSON';
      onProblem({ where: `line ${line}`, message: `${why}; line skipped`, lost: true });
    }
  }
}

async function* jsonArrayInputs(text: Readable): AsyncGenerator<RawInput> {
  // Counted as the parser gives them (not as they are read), so a failure is placed even with some unread.
  let parsed = 0;
  const counter = new Transform({
    objectMode: true,
    transform(element: { value: unknown }, _encoding, done) {
      parsed += 1;
      done(null, { where: `element ${parsed}`, value: element.value });
    },
  });
  pipeline(text, StreamArray.withParser(), counter, () => undefined);
  try {
    yield* counter as AsyncIterable<RawInput>;
  } catch (error) {
    if (error instanceof EncodingError) throw error;
    // stream-json's messages may quote the text: say only where.
    throw new InputRefused(`element ${parsed + 1}: not a JSON array of objects from here on`);
  }
}

async function* csvInputs(
  text: Readable,
  event: RecordsEvent,
  onProblem: (problem: InputProblem) => void,
): AsyncGenerator<RawInput> {
  const events = csvEvents(csvRows(text), event, ({ line, message, lost }) =>
    onProblem({ where: `line ${line}`, message, lost }),
  );
  for await (const { line, value } of events) yield { where: `line ${line}`, value };
}

/**
 * The raw inputs of decoded text, in `format` (or, without one, the format
 * its first character says). Throws `InputRefused` for a file refused whole.
 */
export async function* rawInputs(
  decoded: Readable,
  options: { format: InputFormat | undefined; event: RecordsEvent },
  onProblem: (problem: InputProblem) => void,
): AsyncGenerator<RawInput> {
  try {
    const { format, text } = options.format ? { format: options.format, text: decoded } : await sniffed(decoded);
    if (format === 'csv') yield* csvInputs(text, options.event, onProblem);
    else if (format === 'ndjson') yield* ndjsonInputs(text, onProblem);
    else yield* jsonArrayInputs(text);
  } catch (error) {
    if (error instanceof EncodingError || error instanceof CsvFormatError) throw new InputRefused(error.message);
    throw error;
  }
}
