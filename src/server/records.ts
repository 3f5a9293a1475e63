/**
 * File-dump integrations: the same validation, hashing and POST shapes as the
 * server client, as a stream. Raw events in, one POST-shape record out per
 * event (an order record is one element of a `POST /orders` array), in
 * constant memory however long the input.
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { InputError } from '../core/errors.js';
import { buildPostEvent } from './input.js';
import type { ServerEventName, ServerInputs } from './input.js';
import type { OrderBody, PageViewBody } from '../core/post-encoder.js';

/** What `toRecords` and `writeNdjson` make of their inputs: which event, and where problems go. */
export interface RecordsOptions<E extends ServerEventName = ServerEventName> {
  /** Every input of the stream is this event. */
  event: E;
  /** ISO alpha-2, for national-format phone numbers whose person has no `country`. */
  defaultCountry?: string;
  /**
   * A dump describes the past, so a missing timestamp loses the record
   * instead of defaulting to the time of the conversion.
   * @default true
   */
  requireTimestamp?: boolean;
  /** Epoch ms standing for "now" (a timestamp default, the date-of-birth year range). @default Date.now() */
  now?: number;
  /** Every dropped field or rejected input, with the input's 0-based position. Never carries a value; what it throws is ignored. */
  onError?: (error: InputError, index: number) => void;
}

export interface EventBodies {
  page_view: PageViewBody;
  order: OrderBody;
}

/**
 * Validates and hashes each raw event into its POST record. An input whose
 * required fields are missing yields nothing (and its errors); a bad optional
 * field is dropped from its record and reported.
 *
 * @example
 * for await (const record of toRecords(readOrders(), { event: 'order' })) upload(record);
 */
export async function* toRecords<E extends ServerEventName>(
  // Typed as the inputs a caller means to pass; each is checked, so anything may come.
  input: AsyncIterable<ServerInputs[E]> | Iterable<ServerInputs[E]> | AsyncIterable<unknown> | Iterable<unknown>,
  options: RecordsOptions<E>,
): AsyncGenerator<EventBodies[E], void, undefined> {
  const now = options.now ?? Date.now();
  let index = 0;
  for await (const raw of oneByOne(input)) {
    const built = buildPostEvent(options.event, raw, {
      now,
      requireTimestamp: options.requireTimestamp ?? true,
      ...(options.defaultCountry === undefined ? {} : { defaultCountry: options.defaultCountry }),
    });
    for (const error of built.errors) tell(options.onError, error, index);
    if (built.ok) yield built.post.body as EventBodies[E];
    index += 1;
  }
}

/**
 * The inputs one by one, as they are. `for await` over a plain iterable
 * awaits each value, which reads its `then`: a hostile input could throw
 * from there and end the stream, so a plain iterable's values are handed on
 * unawaited (an async source's values never are awaited).
 */
function oneByOne(input: AsyncIterable<unknown> | Iterable<unknown>): AsyncIterable<unknown> {
  if (Symbol.asyncIterator in input) return input;
  return {
    [Symbol.asyncIterator]: () => {
      const iterator = input[Symbol.iterator]();
      return {
        next: () => Promise.resolve(iterator.next()),
        return: (value?: unknown) => Promise.resolve(iterator.return?.(value) ?? { done: true as const, value }),
      };
    },
  };
}

/** Hands an error to the caller's handler; the handler's own exception must not end the stream. */
function tell(onError: RecordsOptions['onError'], error: InputError, index: number): void {
  try {
    onError?.(error, index);
  } catch {
    // The records go on: a failing log line is no reason to lose the rest of a dump.
  }
}

/**
 * Writes each record as one JSON line, waiting on the stream's backpressure.
 * Resolves to the number of lines written; does not end the stream.
 */
export async function writeNdjson(records: AsyncIterable<object> | Iterable<object>, out: Writable): Promise<number> {
  let count = 0;
  for await (const record of records) {
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
    count += 1;
  }
  return count;
}

/** What a dump wrote: records, their NDJSON bytes, and the bytes stored (compressed, if it was). */
export interface NdjsonCounts {
  records: number;
  bytes: number;
  stored: number;
}

export function newCounts(): NdjsonCounts {
  return { records: 0, bytes: 0, stored: 0 };
}

/** What a write carries: lines are gathered into blocks, since every write costs the streams below it. */
const BLOCK_CHARS = 64 * 1024;

async function* ndjsonBlocks(records: AsyncIterable<object> | Iterable<object>, counts: NdjsonCounts) {
  let block = '';
  const flush = () => {
    const bytes = Buffer.from(block);
    counts.bytes += bytes.length;
    block = '';
    return bytes;
  };
  for await (const record of records) {
    block += `${JSON.stringify(record)}\n`;
    counts.records += 1;
    if (block.length >= BLOCK_CHARS) yield flush();
  }
  if (block !== '') yield flush();
}

async function* stored(chunks: AsyncIterable<Buffer>, counts: NdjsonCounts) {
  for await (const chunk of chunks) {
    counts.stored += chunk.length;
    yield chunk;
  }
}

/**
 * Streams records as NDJSON (gzip-compressed with `gzip`) into `destination`
 * and ends it; resolves once it has finished (for an upload: once the
 * object exists), rejects on the first failure of either side, having
 * destroyed both. `end: false` leaves the destination open (stdout).
 * `buffer`: bytes held while the destination is busy. @default 16 KiB
 */
export async function pipeNdjson(
  records: AsyncIterable<object> | Iterable<object>,
  destination: Writable,
  options: { gzip: boolean; counts: NdjsonCounts; end?: boolean; buffer?: number },
): Promise<void> {
  const { counts } = options;
  const lines = Readable.from(ndjsonBlocks(records, counts));
  const count = (chunks: AsyncIterable<Buffer>) => stored(chunks, counts);
  // Records go on being made while the destination is busy (an upload sending a chunk), up to `buffer` bytes.
  const buffer = new PassThrough({ highWaterMark: options.buffer ?? 16 * 1024 });
  const end = { end: options.end ?? true };
  await (options.gzip
    ? pipeline(lines, createGzip(), count, buffer, destination, end)
    : pipeline(lines, count, buffer, destination, end));
}
