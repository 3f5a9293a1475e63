/**
 * `symbiosys-records`: raw orders or page views (CSV, NDJSON or a JSON
 * array) in, POST-shape NDJSON records out (a file, stdout, or a `gs://`
 * object), for file-dump integrations. Streams in constant memory. Problems
 * go to stderr with the line and field, never a value: the input is raw PII.
 *
 * This module only exports the runner: `bin/symbiosys-records.mjs`, the file
 * Node actually starts (directly, through `node_modules/.bin` or `npx`), calls
 * it. A "was I started as the program" test here cannot hold, because the
 * program is the bin wrapper, never this file.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { GcsUploadError, uploadFailure } from './gcs.js';
import { formatOfPath, InputRefused, rawInputs } from './record-inputs.js';
import type { InputFormat } from './record-inputs.js';
import { toRecords } from './records.js';
import { recordsOutput } from './records-output.js';
import type { RecordsOutput } from './records-output.js';
import { RunReport } from './records-report.js';
import { decodeText, textEncoding } from './text-input.js';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** The exit statuses, one meaning each: a scheduler can tell "retry the upload" from "fix the file". */
export const EXIT = {
  /** Complete: every input written. */
  complete: 0,
  /** Complete: the inputs reported on stderr were left out, every other one written. */
  someRejected: 1,
  /** Nothing done: a usage error (a bad gs:// URL, Google's client not installed), or a local file that cannot be read or written. */
  usage: 2,
  /** The upload failed: no object was written (run it again). */
  uploadFailed: 3,
  /** The object already exists: nothing written (`--overwrite` replaces it). */
  objectExists: 4,
  /** The input was refused whole (not CSV or JSON past a line, or not in its encoding): nothing written. */
  inputRefused: 5,
} as const;

const USAGE = `usage: symbiosys-records --in <file.csv|file.ndjson|file.json|-> --out <file.ndjson[.gz]|gs://BUCKET/NAME.ndjson[.gz]|->
       [--event order|page_view] [--format csv|ndjson|json] [--encoding utf-8|latin1|…]
       [--default-country XX] [--key-file service-key.json] [--overwrite]

  --in           input file, or - for stdin (default); the format follows the extension or the content
  --out          output: a file, gs://BUCKET/NAME (a resumable upload), or - for stdout (default);
                 a name ending in .gz is gzip-compressed; a file or object appears only when complete
  --event        order (default; CSV: one row per item) or page_view
  --encoding     the input's text encoding (default utf-8; an Excel or older shop export may be latin1)
  --key-file     a Google service account key for gs:// (default: Application Default Credentials)
  --overwrite    replace an existing gs:// object (never replaced otherwise)

exit status: 0 complete; 1 complete, some inputs rejected (reported); 2 usage or local I/O error;
             3 upload failed, no object written; 4 the object exists; 5 input refused whole, nothing written
`;

const OPTIONS = {
  in: { type: 'string', default: '-' },
  out: { type: 'string', default: '-' },
  event: { type: 'string', default: 'order' },
  format: { type: 'string' },
  encoding: { type: 'string', default: 'utf-8' },
  'default-country': { type: 'string' },
  'key-file': { type: 'string' },
  overwrite: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Run {
  input: string;
  output: string;
  event: 'order' | 'page_view';
  format: InputFormat | undefined;
  encoding: string;
  defaultCountry: string | undefined;
  keyFile: string | undefined;
  overwrite: boolean;
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`symbiosys-records: ${message}\n${USAGE}`);
  return EXIT.usage;
}

/** The run the arguments ask for, or the exit status of a run that stops here (help, usage). */
function parseRun(argv: readonly string[], io: CliIo): Run | number {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true }).values;
  } catch (error) {
    return usageError(io, (error as Error).message);
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.complete;
  }
  // Reading a terminal would wait, silently, for rows nobody is going to type.
  if (values.in === '-' && (io.stdin as { isTTY?: boolean }).isTTY === true) return usageError(io, 'no input');
  const { event, format } = values;
  if (event !== 'order' && event !== 'page_view') return usageError(io, '--event must be order or page_view');
  if (format !== undefined && format !== 'csv' && format !== 'ndjson' && format !== 'json') {
    return usageError(io, '--format must be csv, ndjson or json');
  }
  const encoding = textEncoding(values.encoding);
  if (encoding === undefined) return usageError(io, `--encoding ${values.encoding} is not an encoding this reads`);
  return {
    input: values.in,
    output: values.out,
    event,
    format: format ?? formatOfPath(values.in),
    encoding,
    defaultCountry: values['default-country'],
    keyFile: values['key-file'],
    overwrite: values.overwrite,
  };
}

/** The exit status and message for a run that failed, by which side failed. */
function failure(error: unknown, run: Run, output: RecordsOutput, inputFailed: boolean): [number, string] {
  if (error instanceof InputRefused) {
    const hint = run.encoding === 'utf-8' && /not valid utf-8/.test(error.message) ? ' (--encoding latin1?)' : '';
    return [EXIT.inputRefused, `${run.input}: ${error.message}${hint}; input refused`];
  }
  const message = (error as Error).message;
  if (inputFailed || !output.name.startsWith('gs://')) return [EXIT.usage, message];
  const upload = error instanceof GcsUploadError ? error : uploadFailure(error, output.name);
  if (upload.code === 'object_exists') return [EXIT.objectExists, upload.message];
  // A bad URL or a missing client is the command's setup, not a failed upload: running it again will not help.
  return [upload.code === 'upload_failed' ? EXIT.uploadFailed : EXIT.usage, upload.message];
}

/** Runs the CLI; resolves to the exit status (`EXIT`). Exported for tests and for embedding. */
export async function runRecordsCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseRun(argv, io);
  if (typeof parsed === 'number') return parsed;
  const run = parsed;
  const report = new RunReport(io.stderr);
  const bytes = run.input === '-' ? io.stdin : createReadStream(run.input);
  const text = pipeline(bytes, decodeText(run.encoding), () => undefined);
  let inputFailed = false;
  // toRecords pulls one input at a time, so the last one pulled is the one an error is about.
  let where = '';
  async function* inputs() {
    try {
      for await (const input of rawInputs(text, { format: run.format, event: run.event }, (problem) =>
        report.inputProblem(problem),
      )) {
        where = input.where;
        report.inputs += 1;
        yield input.value;
      }
    } catch (error) {
      inputFailed = true;
      throw error;
    }
  }
  const records = toRecords(inputs(), {
    event: run.event,
    ...(run.defaultCountry === undefined ? {} : { defaultCountry: run.defaultCountry }),
    onError: (error) => report.fieldProblem(where, error, run.event),
  });
  const gcsOptions = { overwrite: run.overwrite, ...(run.keyFile === undefined ? {} : { keyFile: run.keyFile }) };
  const output = recordsOutput(run.output, io.stdout, gcsOptions);
  try {
    await output.write(records, report.counts);
  } catch (error) {
    const [status, message] = failure(error, run, output, inputFailed);
    report.failed(output.name, message, output.atomic);
    return status;
  }
  report.finished(output.name);
  return report.rejected > 0 ? EXIT.someRejected : EXIT.complete;
}
