/**
 * File dumps to the GCS bucket Symbiosys provides, through Google's own
 * client (`@google-cloud/storage`, an optional peer dependency loaded only
 * when a `gs://` output is asked for, so no other use of the package pays
 * for it).
 *
 * The promises, and how they are kept:
 * - The object exists only when complete. A resumable upload creates the
 *   object when its last chunk arrives; a run that fails or is killed before
 *   that leaves an unfinished session, which is no object and expires.
 * - Never twice by accident: the upload carries a generation precondition,
 *   `ifGenerationMatch: 0` (the object must not exist) or, to overwrite, the
 *   generation found just before, so two runs of the same night cannot both
 *   write. Google's client also retries an upload only when it carries one.
 * - A failed chunk is retried: the client resumes from what the server says
 *   it holds, which it does only when it uploads in chunks (`chunkSize`).
 *
 * Credentials are found as Google's client finds them (Application Default
 * Credentials, `GOOGLE_APPLICATION_CREDENTIALS`), or `keyFile`;
 * `STORAGE_EMULATOR_HOST` points the client at a local server.
 */
import type { Writable } from 'node:stream';
import { newCounts, pipeNdjson } from './records.js';

/** Options of `uploadRecordsToGcs`: credentials, overwrite, chunk size. */
export interface GcsUploadOptions {
  /** Replace an existing object (still under a generation precondition: the one found before uploading). @default false */
  overwrite?: boolean;
  /** A service account key file (the one Symbiosys provides); otherwise Application Default Credentials. */
  keyFile?: string;
  /** Bytes per upload request: a failed request resends at most this much. A multiple of 256 KiB. @default 8 MiB */
  chunkSize?: number;
  /** Retries of a failed request, with Google's client's backoff. @default 3 */
  retries?: number;
}

export interface GcsObject {
  bucket: string;
  name: string;
}

/** What was written: the object, its generation, and the bytes and records in it. */
export interface GcsUploadResult extends GcsObject {
  url: string;
  generation: string;
  /** Bytes stored (compressed, for a `.gz` name). */
  bytes: number;
  records: number;
}

/** Why a `gs://` upload failed (`GcsUploadError.code`); in every case no object was written. */
export type GcsUploadErrorCode = 'invalid_url' | 'object_exists' | 'upload_failed' | 'storage_unavailable';

/** A `gs://` upload that did not happen; whatever the code, no object was written. */
export class GcsUploadError extends Error {
  override readonly name = 'GcsUploadError';
  constructor(
    readonly code: GcsUploadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MIB = 1024 * 1024;

/** `gs://bucket/path/name` as its bucket and object name; `undefined` for anything else. */
export function parseGsUrl(url: string): GcsObject | undefined {
  const match = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])\/(.+)$/.exec(url);
  if (!match?.[1] || !match[2] || match[2].endsWith('/')) return undefined;
  return { bucket: match[1], name: match[2] };
}

type StorageModule = typeof import('@google-cloud/storage');

async function loadStorage(): Promise<StorageModule> {
  try {
    return await import('@google-cloud/storage');
  } catch (error) {
    throw new GcsUploadError(
      'storage_unavailable',
      "a gs:// output needs Google's client: npm install @google-cloud/storage@7",
      { cause: error },
    );
  }
}

/** The HTTP status a failure of Google's client carries, if any. */
function statusOf(error: unknown): number | undefined {
  const failure = error as { code?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  for (const status of [failure?.code, failure?.status, failure?.response?.status]) {
    if (typeof status === 'number') return status;
  }
  return undefined;
}

/** Google's client's error as one of ours, with a message that says what happened to the object. */
export function uploadFailure(error: unknown, url: string): GcsUploadError {
  if (error instanceof GcsUploadError) return error;
  if (statusOf(error) === 412) {
    return new GcsUploadError(
      'object_exists',
      `${url} already exists (or changed during the run); --overwrite replaces it`,
      {
        cause: error,
      },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new GcsUploadError('upload_failed', `upload to ${url} failed, no object written: ${reason}`, { cause: error });
}

/** An upload in progress: write bytes to `stream`; it finishes once the object exists. */
export interface GcsUpload {
  stream: Writable;
  object: GcsObject;
  /** Bytes per upload request: what to buffer in front of `stream`, so records are made while a chunk is sent. */
  chunkSize: number;
  /** The object's generation, known once `stream` has finished. */
  generation(): string | undefined;
}

/** The generation an upload must match: 0 (no object yet), or with `overwrite` the one there now. */
async function expectedGeneration(file: import('@google-cloud/storage').File, overwrite: boolean): Promise<number> {
  if (!overwrite) return 0;
  try {
    const [metadata] = await file.getMetadata();
    return Number(metadata.generation ?? 0);
  } catch (error) {
    if (statusOf(error) === 404) return 0;
    throw error;
  }
}

/** Opens a resumable upload of the bytes written to its stream (already compressed, if they are to be). */
export async function openGcsUpload(url: string, options: GcsUploadOptions = {}): Promise<GcsUpload> {
  const object = parseGsUrl(url);
  if (!object) throw new GcsUploadError('invalid_url', `${url} is not a gs://BUCKET/NAME URL`);
  const { Storage } = await loadStorage();
  const storage = new Storage({
    ...(options.keyFile === undefined ? {} : { keyFilename: options.keyFile }),
    retryOptions: { autoRetry: true, maxRetries: options.retries ?? 3 },
  });
  const file = storage.bucket(object.bucket).file(object.name);
  try {
    const ifGenerationMatch = await expectedGeneration(file, options.overwrite ?? false);
    const chunkSize = options.chunkSize ?? 8 * MIB;
    const stream = file.createWriteStream({
      resumable: true,
      chunkSize,
      contentType: object.name.endsWith('.gz') ? 'application/gzip' : 'application/x-ndjson',
      preconditionOpts: { ifGenerationMatch },
      validation: 'crc32c',
    });
    // Google's client sets the file's metadata from the upload's last answer.
    const generation = () => (file.metadata.generation === undefined ? undefined : String(file.metadata.generation));
    return { stream, object, chunkSize, generation };
  } catch (error) {
    throw uploadFailure(error, url);
  }
}

/**
 * Streams records as NDJSON to a `gs://BUCKET/NAME` object (gzip-compressed
 * when the name ends in `.gz`) by a resumable upload. Resolves once the
 * object exists, complete; rejects with a `GcsUploadError` otherwise, and
 * then no object was written. Without `overwrite`, an existing object is
 * left alone (`object_exists`).
 *
 * @example
 * await uploadRecordsToGcs(toRecords(orders, { event: 'order' }), 'gs://bucket/orders-2026-12-07.ndjson.gz');
 */
export async function uploadRecordsToGcs(
  records: AsyncIterable<object> | Iterable<object>,
  url: string,
  options: GcsUploadOptions = {},
): Promise<GcsUploadResult> {
  const upload = await openGcsUpload(url, options);
  const counts = newCounts();
  try {
    await pipeNdjson(records, upload.stream, {
      gzip: upload.object.name.endsWith('.gz'),
      counts,
      buffer: upload.chunkSize,
    });
  } catch (error) {
    throw uploadFailure(error, url);
  }
  return {
    ...upload.object,
    url,
    generation: upload.generation() ?? '',
    bytes: counts.stored,
    records: counts.records,
  };
}
