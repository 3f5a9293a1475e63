/**
 * The local GCS stand-in against Google's own client (`@google-cloud/storage`
 * 7, pointed at it by `STORAGE_EMULATOR_HOST` as the client documents): if
 * the stand-in got the resumable protocol wrong, the real client would fail
 * here (it checks `308` ranges, resumes from status queries, and compares the
 * crc32c of what it sent with what the server says it stored).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { File } from '@google-cloud/storage';
import { Storage } from '@google-cloud/storage';
import { startFakeGcs } from './fake-gcs-server.mjs';
import type { FakeGcs } from './fake-gcs-server.mjs';

const KIB = 1024;
let gcs: FakeGcs;
let storage: Storage;

beforeAll(async () => {
  gcs = await startFakeGcs();
  process.env.STORAGE_EMULATOR_HOST = gcs.url;
  storage = new Storage({ retryOptions: { autoRetry: true, maxRetries: 2, retryDelayMultiplier: 1 } });
});
afterAll(async () => {
  delete process.env.STORAGE_EMULATOR_HOST;
  await gcs.stop();
});
beforeEach(() => {
  delete gcs.faults.chunk;
});

/** Uploads `data` through the client's resumable, chunked write stream. */
async function upload(file: File, data: Buffer, ifGenerationMatch: number): Promise<void> {
  const stream = file.createWriteStream({
    resumable: true,
    chunkSize: 256 * KIB,
    preconditionOpts: { ifGenerationMatch },
    validation: 'crc32c',
  });
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject).on('finish', resolve);
    // In pieces, as a producer writes.
    for (let at = 0; at < data.length; at += 100 * KIB) stream.write(data.subarray(at, at + 100 * KIB));
    stream.end();
  });
}

async function download(file: File): Promise<Buffer> {
  const [data] = await file.download();
  return data;
}

describe('Google’s client against the stand-in', () => {
  it('a chunked resumable upload: 308s with Range, the object made by the last chunk, crc32c checked, read back', async () => {
    const data = randomBytes(900 * KIB);
    const file = storage.bucket('fidelity').file('a/plain.bin');
    await upload(file, data, 0);
    expect((await download(file)).equals(data)).toBe(true);
    const [metadata] = await file.getMetadata();
    expect(Number(metadata.size)).toBe(data.length);
    expect(file.metadata.generation).toBe(metadata.generation);
    // 900 KiB in 256 KiB chunks: three full ones, then the rest.
    expect(gcs.sessions.get([...gcs.sessions.keys()].at(-1)!)?.chunks).toBe(4);
    expect(gcs.largestChunk).toBeLessThanOrEqual(256 * KIB);
  });

  it('generation preconditions: 0 refuses an existing object; the current generation replaces it; a stale one is refused', async () => {
    const file = storage.bucket('fidelity').file('b/object.bin');
    await upload(file, Buffer.from('first'), 0);
    const [first] = await file.getMetadata();
    await expect(upload(file, Buffer.from('second'), 0)).rejects.toMatchObject({ status: 412 });
    await upload(file, Buffer.from('second'), Number(first.generation));
    expect((await download(file)).toString()).toBe('second');
    await expect(upload(file, Buffer.from('third'), Number(first.generation))).rejects.toMatchObject({ status: 412 });
    expect((await download(file)).toString()).toBe('second');
  });

  it.each([
    ['dropped', false],
    ['kept, its reply lost', true],
  ])('a 503 on a chunk (%s): the client asks what is persisted, resumes, and the object is whole', async (_, keep) => {
    const data = randomBytes(700 * KIB);
    let failed = false;
    gcs.faults.chunk = ({ index }) => {
      if (index !== 2 || failed) return undefined;
      failed = true;
      return { status: 503, keep };
    };
    const queries = gcs.stats.statusQueries;
    const file = storage.bucket('fidelity').file(`c/${keep ? 'kept' : 'dropped'}.bin`);
    await upload(file, data, 0);
    expect(failed).toBe(true);
    expect(gcs.stats.statusQueries).toBeGreaterThan(queries);
    expect((await download(file)).equals(data)).toBe(true);
  });

  it('an upload never finished makes no object; chunk rules are enforced', async () => {
    const file = storage.bucket('fidelity').file('d/unfinished.bin');
    const stream = file.createWriteStream({
      resumable: true,
      chunkSize: 256 * KIB,
      preconditionOpts: { ifGenerationMatch: 0 },
    });
    stream.on('error', () => undefined);
    stream.write(randomBytes(600 * KIB));
    await new Promise((resolve) => setTimeout(resolve, 300));
    stream.destroy(new Error('the producer failed'));
    await expect(file.getMetadata()).rejects.toMatchObject({ code: 404 });

    // A non-final chunk that is not a multiple of 256 KiB is refused, as GCS refuses it.
    const start = await fetch(`${gcs.url}/upload/storage/v1/b/fidelity/o?uploadType=resumable&name=d/raw.bin`, {
      method: 'POST',
    });
    const session = start.headers.get('location')!;
    const odd = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': 'bytes 0-9/*' },
      body: 'x'.repeat(10),
    });
    expect(odd.status).toBe(400);
    const cancel = await fetch(session, { method: 'DELETE' });
    expect(cancel.status).toBe(499);
  });
});
