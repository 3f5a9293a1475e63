/**
 * Bytes to text for the records CLI, decoded strictly. A file in another
 * encoding than it is read as (a Latin-1 shop export read as UTF-8) would
 * otherwise hash "José" as "Jos\uFFFD": a wrong value in every record, no
 * error anywhere. So a byte sequence the encoding does not allow stops the
 * input with the line it is on, and `--encoding` names the file's real one.
 *
 * Only whole lines are decoded (the bytes after a chunk's last line break wait
 * for the next chunk): a line break is the same byte in every encoding the
 * CLI takes, so a bad line can be named without decoding state across chunks.
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

const LINE_FEED = 0x0a;
/** The most of an unfinished line held back: a file with no line break is not held whole. */
const MAX_HELD_BYTES = 1 << 20;

/** The input is not text in its encoding; `line` is 1-based. */
export class EncodingError extends Error {
  override readonly name = 'EncodingError';
  constructor(
    readonly line: number,
    readonly encoding: string,
  ) {
    super(`line ${line}: not valid ${encoding} text`);
  }
}

/**
 * The encodings a file may be read as: the WHATWG labels Node's `TextDecoder`
 * knows whose line break is the single byte 0x0A (UTF-16 is not one of them).
 * `undefined` for another: a usage error.
 */
export function textEncoding(label: string): string | undefined {
  let encoding: string;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
  return encoding.startsWith('utf-16') ? undefined : encoding;
}

/** A stream of strings from a stream of bytes, strictly decoded; fails with an `EncodingError`. */
export function decodeText(encoding: string): Transform {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  let rest: Buffer = Buffer.alloc(0);
  let linesBefore = 0;

  // One decoder for the whole input, so that a BOM is stripped once, at its start. The last call must not
  // stream: a file ending inside a multi-byte sequence is invalid, not something to wait for.
  const decode = (bytes: Buffer, last: boolean): string => {
    try {
      return decoder.decode(bytes, { stream: !last });
    } catch {
      throw new EncodingError(linesBefore + firstBadLine(bytes, encoding), encoding);
    }
  };

  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const bytes = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
      let end = bytes.lastIndexOf(LINE_FEED) + 1;
      if (end === 0 && bytes.length < MAX_HELD_BYTES) {
        rest = bytes;
        done();
        return;
      }
      // A line longer than that goes on in pieces (the decoder keeps a character split between two whole).
      if (end === 0) end = bytes.length;
      rest = bytes.subarray(end);
      try {
        const text = decode(bytes.subarray(0, end), false);
        linesBefore += countLines(bytes, end);
        done(null, text);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        const text = decode(rest, true);
        done(null, text === '' ? undefined : text);
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

function countLines(bytes: Buffer, end: number): number {
  let count = 0;
  for (let at = bytes.indexOf(LINE_FEED); at !== -1 && at < end; at = bytes.indexOf(LINE_FEED, at + 1)) count += 1;
  return count;
}

/** The 1-based line, within `bytes`, of the first one that does not decode. */
function firstBadLine(bytes: Buffer, encoding: string): number {
  const strict = new TextDecoder(encoding, { fatal: true });
  let line = 1;
  for (let start = 0; start < bytes.length; line += 1) {
    const next = bytes.indexOf(LINE_FEED, start);
    const end = next === -1 ? bytes.length : next + 1;
    try {
      strict.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end;
  }
  return line;
}
