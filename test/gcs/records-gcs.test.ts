/**
 * `symbiosys-records --out gs://…` and `uploadRecordsToGcs` against a GCS
 * API server on 127.0.0.1 (the stand-in whose protocol
 * `fake-gcs-server.test.ts` checks with Google's client), through Google's
 * client as the package uses it: the object read back equals the local
 * output, refused rows, never twice without `--overwrite`, a failed chunk
 * retried, a server failing every chunk, a process killed mid-upload.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GcsUploadError, toRecords, uploadRecordsToGcs } from '@acme/symbiosys/server';
import { EXIT, runRecordsCli } from '../../src/server/records-cli.js';
import { removeRecordsChildren, startRecordsChild } from '../server/records-child.js';
import { startFakeGcs } from './fake-gcs-server.mjs';
import type { FakeGcs } from './fake-gcs-server.mjs';

const VISITOR = '01929d42ae1a0016c0cebe6dd43a0508900160810056a';
const SID = '1729694623545';
const TS = 1729696661986;
const HEADER = 'order_id,order_ts,visitor_id,session_id,email,product_id,quantity,regular_unit_price';
const row = (n: number, price = '10.00') =>
  `o${n},${TS + n},${VISITOR},${SID},buyer${n}@example.com,p${n % 7},1,${price}`;

const dir = mkdtempSync(join(tmpdir(), 'symbiosys-records-gcs-'));
let gcs: FakeGcs;

beforeAll(async () => {
  gcs = await startFakeGcs();
  process.env.STORAGE_EMULATOR_HOST = gcs.url;
});
afterAll(async () => {
  delete process.env.STORAGE_EMULATOR_HOST;
  await gcs.stop();
  rmSync(dir, { recursive: true, force: true });
  removeRecordsChildren();
});
beforeEach(() => {
  delete gcs.faults.chunk;
});

function csvFile(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, [HEADER, ...rows].join('\n'));
  return path;
}

async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.resume();
  let said = '';
  stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
  const code = await runRecordsCli(args, { stdin: Readable.from([]), stdout, stderr });
  return { code, stderr: said };
}

const stored = (bucket: string, name: string) => gcs.objects.get(`${bucket}/${name}`);

describe('symbiosys-records --out gs://', () => {
  it('the object read back equals the local output, plain and gzip; one summary line', async () => {
    const input = csvFile(
      'orders.csv',
      Array.from({ length: 200 }, (_, n) => row(n)),
    );
    const local = join(dir, 'orders.ndjson');
    expect((await cli(['--in', input, '--out', local])).code).toBe(0);
    const plain = await cli(['--in', input, '--out', 'gs://dumps/nightly/orders.ndjson']);
    const gzipped = await cli(['--in', input, '--out', 'gs://dumps/nightly/orders.ndjson.gz']);
    expect([plain.code, gzipped.code]).toEqual([0, 0]);
    const expected = readFileSync(local);
    expect(stored('dumps', 'nightly/orders.ndjson')?.data.equals(expected)).toBe(true);
    expect(gunzipSync(stored('dumps', 'nightly/orders.ndjson.gz')!.data).equals(expected)).toBe(true);
    expect(stored('dumps', 'nightly/orders.ndjson.gz')?.metadata.contentType).toBe('application/gzip');
    expect(plain.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^symbiosys-records: 200 records written, 0 inputs rejected, 0 problems reported \(gs:\/\/dumps\/nightly\/orders\.ndjson,/,
      ),
    ]);
  });

  it('a refused row is reported by line and field, counted, and left out of the object; exit 1', async () => {
    const input = csvFile('refused.csv', [row(1), `o2,${TS},not-a-visitor,${SID},x@example.com,p1,1,1`, row(3)]);
    const { code, stderr } = await cli(['--in', input, '--out', 'gs://dumps/refused.ndjson']);
    expect(code).toBe(EXIT.someRejected);
    expect(stderr).toMatch(/line 3: invalid_field visitor_id/);
    expect(stderr).toMatch(/2 records written, 1 inputs rejected/);
    expect(stderr).not.toMatch(/not-a-visitor|example\.com/);
    const lines = stored('dumps', 'refused.ndjson')!.data.toString().trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { order_id: string }).order_id)).toEqual(['o1', 'o3']);
  });

  it('a second run is refused (exit 4, object unchanged); --overwrite replaces it under a new generation', async () => {
    const first = csvFile('night-1.csv', [row(1)]);
    const second = csvFile('night-2.csv', [row(2), row(3)]);
    const url = 'gs://dumps/2026-12-07.ndjson';
    expect((await cli(['--in', first, '--out', url])).code).toBe(0);
    const before = stored('dumps', '2026-12-07.ndjson')!;
    const again = await cli(['--in', second, '--out', url]);
    expect(again.code).toBe(EXIT.objectExists);
    expect(again.stderr).toMatch(/gs:\/\/dumps\/2026-12-07\.ndjson already exists .*--overwrite replaces it/);
    expect(again.stderr).toMatch(/failed, nothing written to gs:\/\/dumps\/2026-12-07\.ndjson/);
    expect(stored('dumps', '2026-12-07.ndjson')).toBe(before);

    const replaced = await cli(['--in', second, '--out', url, '--overwrite']);
    expect(replaced.code).toBe(0);
    const after = stored('dumps', '2026-12-07.ndjson')!;
    expect(after.metadata.generation).not.toBe(before.metadata.generation);
    expect(after.data.toString().trimEnd().split('\n')).toHaveLength(2);
  });

  it('a 503 on a chunk is retried to completion', async () => {
    let failures = 0;
    gcs.faults.chunk = ({ index }) => (index === 1 && failures++ === 0 ? { status: 503 } : undefined);
    const input = csvFile(
      'retried.csv',
      Array.from({ length: 50 }, (_, n) => row(n)),
    );
    const { code } = await cli(['--in', input, '--out', 'gs://dumps/retried.ndjson']);
    expect(code).toBe(0);
    expect(failures).toBeGreaterThan(0);
    expect(stored('dumps', 'retried.ndjson')?.data.toString().trimEnd().split('\n')).toHaveLength(50);
  });

  it('a server failing every chunk: no object, a clear error, exit 3', { timeout: 60_000 }, async () => {
    gcs.faults.chunk = () => ({ status: 503 });
    const input = csvFile('failing.csv', [row(1), row(2)]);
    const { code, stderr } = await cli(['--in', input, '--out', 'gs://dumps/failing.ndjson']);
    expect(code).toBe(EXIT.uploadFailed);
    expect(stderr).toMatch(/upload to gs:\/\/dumps\/failing\.ndjson failed, no object written: Retry limit exceeded/);
    expect(stderr).toMatch(/failed, nothing written to gs:\/\/dumps\/failing\.ndjson/);
    expect(stored('dumps', 'failing.ndjson')).toBeUndefined();
  });

  it('a process killed mid-upload leaves no object', { timeout: 60_000 }, async () => {
    const { child, done } = await startRecordsChild(['--format', 'ndjson', '--out', 'gs://dumps/killed.ndjson'], {
      STORAGE_EMULATOR_HOST: gcs.url,
    });
    const order = (n: number) =>
      JSON.stringify({
        order_id: `k${n}`,
        order_ts: TS,
        visitor_id: VISITOR,
        session_id: SID,
        items: [{ product_id: 'p', quantity: 1 }],
      });
    child.stdin!.on('error', () => undefined); // the pipe breaks when the child is killed
    // More than one 8 MiB chunk of records, written as fast as the child reads, stdin left open.
    const lines = Array.from({ length: 60_000 }, (_, n) => order(n)).join('\n');
    child.stdin!.write(`${lines}\n`);
    const session = async () => {
      for (;;) {
        const open = [...gcs.sessions.values()].find((candidate) => candidate.name === 'killed.ndjson');
        if (open && open.size > 0) return open;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const upload = await session();
    child.kill('SIGKILL');
    const { signal } = await done;
    expect(signal).toBe('SIGKILL');
    expect(upload.state).toBe('open');
    expect(upload.size).toBeGreaterThan(0);
    expect(stored('dumps', 'killed.ndjson')).toBeUndefined();
  });
});

describe('uploadRecordsToGcs', () => {
  const orders = (count: number) =>
    Array.from({ length: count }, (_, n) => ({
      order_id: `u${n}`,
      order_ts: TS,
      visitor_id: VISITOR,
      session_id: SID,
      customer: { email: `buyer${n}@example.com` },
      items: [{ product_id: 'p', quantity: 1 }],
    }));

  it('streams records in 256 KiB chunks, a failed middle chunk resent; resolves with the object', async () => {
    let failed = false;
    gcs.faults.chunk = ({ index }) => (index === 2 && !failed ? ((failed = true), { status: 503 }) : undefined);
    const result = await uploadRecordsToGcs(
      toRecords(orders(3000), { event: 'order' }),
      'gs://dumps/lib/orders.ndjson',
      {
        chunkSize: 256 * 1024,
      },
    );
    const object = stored('dumps', 'lib/orders.ndjson')!;
    expect(failed).toBe(true);
    expect(result).toMatchObject({
      bucket: 'dumps',
      name: 'lib/orders.ndjson',
      records: 3000,
      generation: object.metadata.generation,
    });
    expect(result.bytes).toBe(object.data.length);
    expect(object.data.toString().trimEnd().split('\n')).toHaveLength(3000);
    expect(object.data.length).toBeGreaterThan(3 * 256 * 1024);
  });

  it('rejects with a typed error and leaves no object when the records fail mid-way, or the object exists', async () => {
    async function* failing() {
      for (const order of orders(10)) yield await Promise.resolve(order);
      throw new Error('the database cursor broke');
    }
    const broken = uploadRecordsToGcs(toRecords(failing(), { event: 'order' }), 'gs://dumps/lib/broken.ndjson');
    await expect(broken).rejects.toMatchObject({ name: 'GcsUploadError', code: 'upload_failed' });
    expect(stored('dumps', 'lib/broken.ndjson')).toBeUndefined();

    await uploadRecordsToGcs([{ a: 1 }], 'gs://dumps/lib/once.ndjson');
    const twice = uploadRecordsToGcs([{ a: 2 }], 'gs://dumps/lib/once.ndjson');
    await expect(twice).rejects.toBeInstanceOf(GcsUploadError);
    await expect(twice).rejects.toMatchObject({ code: 'object_exists' });
    await expect(uploadRecordsToGcs([], 'https://example.com/x')).rejects.toMatchObject({ code: 'invalid_url' });
  });
});
