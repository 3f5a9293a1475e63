/**
 * `symbiosys-records`: raw orders or page views (CSV or NDJSON) in, POST-shape
 * NDJSON records out, for file-dump integrations. Streams line by line in
 * constant memory. Problems go to stderr with the line and field, never a
 * value: the input is raw PII.
 *
 *   symbiosys-records --in orders.csv --out records.ndjson [--event order|page_view]
 *                     [--format csv|ndjson] [--default-country US]
 *
 * `-` (or no flag) is stdin / stdout. The format follows the input's extension
 * unless `--format` says. Exit code: 0 all written, 1 some inputs rejected,
 * 2 usage or I/O error. CSV: one row per order item, see `csv.ts`.
 *
 * This module only exports the runner: `bin/symbiosys-records.mjs`, the file
 * Node actually starts (directly, through `node_modules/.bin` or `npx`), calls
 * it. A "was I started as the program" test here cannot hold, because the
 * program is the bin wrapper, never this file.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { csvEvents, csvRows } from './csv.js';
import { toRecords, writeNdjson } from './records.js';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

const USAGE =
  'usage: symbiosys-records --in <file.csv|file.ndjson|-> --out <file.ndjson|-> [--event order|page_view] [--format csv|ndjson] [--default-country XX]\n';

interface Line {
  line: number;
  value: unknown;
}

async function* ndjsonEvents(
  lines: AsyncIterable<string>,
  problem: (line: number, message: string) => void,
): AsyncGenerator<Line> {
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch {
      problem(line, 'not valid JSON; line skipped');
    }
  }
}

/** Runs the CLI; resolves to the exit code. Exported for tests and for embedding. */
export async function runRecordsCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        in: { type: 'string', default: '-' },
        out: { type: 'string', default: '-' },
        event: { type: 'string', default: 'order' },
        format: { type: 'string' },
        'default-country': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const event = args.event;
  if (event !== 'order' && event !== 'page_view') {
    io.stderr.write(`--event must be order or page_view\n${USAGE}`);
    return 2;
  }
  const format = args.format ?? (args.in.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
  if (format !== 'csv' && format !== 'ndjson') {
    io.stderr.write(`--format must be csv or ndjson\n${USAGE}`);
    return 2;
  }

  const input = args.in === '-' ? io.stdin : createReadStream(args.in);
  const output = args.out === '-' ? io.stdout : createWriteStream(args.out);
  let rejected = 0;
  let fieldProblems = 0;
  const problem = (line: number, message: string) => {
    rejected += 1;
    io.stderr.write(`line ${line}: ${message}\n`);
  };
  const lines = createInterface({ input, crlfDelay: Infinity });
  const events: AsyncIterable<Line> =
    format === 'csv'
      ? csvEvents(csvRows(lines), event, ({ line, message, lost }) => {
          if (lost) problem(line, message);
          else {
            fieldProblems += 1;
            io.stderr.write(`line ${line}: ${message}\n`);
          }
        })
      : ndjsonEvents(lines, problem);

  // toRecords pulls one input at a time, so the last one pulled is the one an error is about.
  let current = 0;
  let pulled = 0;
  async function* values(): AsyncGenerator {
    for await (const { line, value } of events) {
      current = line;
      pulled += 1;
      yield value;
    }
  }
  const records = toRecords(values(), {
    event,
    ...(args['default-country'] === undefined ? {} : { defaultCountry: args['default-country'] }),
    onError: (error) => {
      fieldProblems += 1;
      io.stderr.write(`line ${current}: ${error.code} ${error.field ?? event}: ${error.message}\n`);
    },
  });
  let written: number;
  try {
    // A missing input file or an unwritable output surfaces as a stream 'error', not a throw.
    const streamFailed = new Promise<never>((_, reject) => {
      input.once('error', reject);
      output.once('error', reject);
    });
    written = await Promise.race([writeNdjson(records, output), streamFailed]);
    if (output !== io.stdout) {
      output.end();
      await finished(output);
    }
  } catch (error) {
    io.stderr.write(`symbiosys-records: ${(error as Error).message}\n`);
    return 2;
  }
  // An input that made no record was rejected (its reasons were printed above).
  rejected += pulled - written;
  io.stderr.write(
    `symbiosys-records: ${written} records written, ${rejected} inputs rejected, ${fieldProblems} problems reported\n`,
  );
  return rejected > 0 ? 1 : 0;
}
