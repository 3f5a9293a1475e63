/**
 * Where the records CLI writes: stdout, a local file, or a `gs://` object.
 * A file and an object appear only once complete: a file is written beside
 * its name and renamed into place at the end (a rename within a directory is
 * atomic), an object is created by its upload's last chunk (`gcs.ts`). A run
 * that fails leaves neither. A name ending in `.gz` is gzip-compressed.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { openGcsUpload } from './gcs.js';
import type { GcsUploadOptions } from './gcs.js';
import { pipeNdjson } from './records.js';
import type { NdjsonCounts } from './records.js';

export interface RecordsOutput {
  /** What to call it in messages: the path or URL as given. */
  name: string;
  /** `false` for stdout, which cannot be taken back: a failure after some records leaves them written. */
  atomic: boolean;
  /** Streams the records in; resolves once the output is complete and in place. On failure, nothing is left. */
  write(records: AsyncIterable<object>, counts: NdjsonCounts): Promise<void>;
}

function stdoutOutput(stdout: Writable): RecordsOutput {
  return {
    name: 'stdout',
    atomic: false,
    write: (records, counts) => pipeNdjson(records, stdout, { gzip: false, counts, end: false }),
  };
}

function fileOutput(path: string): RecordsOutput {
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  return {
    name: path,
    atomic: true,
    async write(records, counts) {
      try {
        await pipeNdjson(records, createWriteStream(partial), { gzip: path.endsWith('.gz'), counts });
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
  };
}

function gcsOutput(url: string, options: GcsUploadOptions): RecordsOutput {
  return {
    name: url,
    atomic: true,
    async write(records, counts) {
      const upload = await openGcsUpload(url, options);
      await pipeNdjson(records, upload.stream, {
        gzip: upload.object.name.endsWith('.gz'),
        counts,
        buffer: upload.chunkSize,
      });
    },
  };
}

/** The output `target` names: `-` for stdout, `gs://BUCKET/NAME`, or a file path. */
export function recordsOutput(target: string, stdout: Writable, options: GcsUploadOptions): RecordsOutput {
  if (target === '-') return stdoutOutput(stdout);
  if (target.startsWith('gs://')) return gcsOutput(target, options);
  return fileOutput(target);
}
