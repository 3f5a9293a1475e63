/**
 * File dumps as a careless integrator or an attacker writes them, through
 * `symbiosys-records` and `toRecords`: a column named after an Object
 * prototype key or clashing with a nested one, a file without a header, a
 * BOM before a quoted header, a price of 1e21, an `onError` that throws.
 * Each costs what it must (a column, a row, a field), never the whole file,
 * and no raw value of the file ever reaches stderr.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runRecordsCli } from '../../src/server/records-cli.js';
import { toRecords } from '../../src/server/index.js';
import { VISITOR_ID } from './receiver-bodies.js';
import { removeRecordsChildren, startRecordsChild } from '../server/records-child.js';

const TS = 1729696661986;
const SID = '1729694623545';
const HEADER = 'order_id,order_ts,visitor_id,session_id,product_id,quantity,regular_unit_price,customer.email';
const row = (orderId: string, price = '10.00', email = 'jane@example.com') =>
  `${orderId},${TS},${VISITOR_ID},${SID},p1,1,${price},${email}`;

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return () => chunks.join('');
}

/** The CLI over CSV text on stdin; the records written and what stderr said. */
async function records(
  csv: string,
): Promise<{ code: number; records: Array<Record<string, unknown>>; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const code = await runRecordsCli(['--format', 'csv'], { stdin: Readable.from([csv]), stdout, stderr });
  const lines = out().trimEnd();
  return {
    code,
    records: lines === '' ? [] : lines.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>),
    stderr: err(),
  };
}

/** The CLI over files; what it said and its status. */
async function runFile(args: string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.resume();
  const err = collect(stderr);
  const code = await runRecordsCli(args, { stdin: Readable.from([]), stdout, stderr });
  return { code, stderr: err() };
}

describe('columns', () => {
  it.each([
    'constructor',
    'toString',
    'hasOwnProperty',
    '__proto__',
    'valueOf',
    'customer.__proto__',
    'user.constructor',
  ])('a %j column is reported once and ignored; every row is written', async (column) => {
    const {
      code,
      records: written,
      stderr,
    } = await records([`${HEADER},${column}`, `${row('o1')},x`, `${row('o2')},y`].join('\n'));
    expect(written.map((record) => record.order_id)).toEqual(['o1', 'o2']);
    expect(stderr.match(/not a column/g)).toHaveLength(1);
    expect(stderr).toMatch(/line 1: column 9 .*not a column/);
    expect(code).toBe(0);
  });

  it('a bare `customer` column beside `customer.email` (it stopped the whole file at 0 records)', async () => {
    const {
      code,
      records: written,
      stderr,
    } = await records([`${HEADER},customer`, `${row('o1')},x`, `${row('o2')},y`].join('\n'));
    expect(written).toHaveLength(2);
    expect(written[0]!.hashed_email).toMatch(/^[0-9a-f]{64}$/);
    expect(stderr).toMatch(/line 1: column 9 \("customer"\) is not a column/);
    expect(code).toBe(0);
  });

  it('a column given twice: the second is reported and ignored', async () => {
    const { records: written, stderr } = await records([`${HEADER},order_id`, `${row('o1')},o9`].join('\n'));
    expect(written.map((record) => record.order_id)).toEqual(['o1']);
    expect(stderr).toMatch(/line 1: column 9 \("order_id"\) repeats column 1; ignored/);
  });
});

describe('the header', () => {
  it('a file without one: nothing is taken for a header, and no value of it is printed', async () => {
    const {
      code,
      records: written,
      stderr,
    } = await records([row('o1', '10.00', 'jane@example.com'), row('o2', '10.00', 'bob@example.com')].join('\n'));
    expect(written).toEqual([]);
    expect(stderr).toMatch(/line 1: no header/);
    for (const raw of ['jane', 'bob', 'example', VISITOR_ID, 'o1']) expect(stderr).not.toContain(raw);
    expect(code).toBe(1);
  });

  it('a BOM before a quoted header (Excel writes both)', async () => {
    const quoted = HEADER.split(',')
      .map((column) => `"${column}"`)
      .join(',');
    const { code, records: written, stderr } = await records(`\uFEFF${quoted}\r\n${row('o1')}\r\n${row('o2')}\r\n`);
    expect(stderr).not.toMatch(/line [1-9]: /);
    expect(written.map((record) => record.order_id)).toEqual(['o1', 'o2']);
    expect(code).toBe(0);
  });
});

describe('values', () => {
  it.each(['1e21', '1e+21', '1e300', 'Infinity', '-1', 'NaN'])(
    'a price of %s: that price is dropped and reported, the order is written without it',
    async (price) => {
      const { records: written, stderr } = await records([HEADER, row('o1', price)].join('\n'));
      expect(written).toHaveLength(1);
      expect((written[0]!.items as Array<Record<string, unknown>>)[0]).not.toHaveProperty('regular_unit_price');
      expect(stderr).toMatch(/line 2: invalid_field items\.0\.regular_unit_price/);
      expect(JSON.stringify(written)).not.toMatch(/e\+|Infinity|NaN/);
    },
  );
});

describe('toRecords', () => {
  it('an onError that throws changes nothing: every record is still yielded', async () => {
    // An order needs a line to be sent at all (issue 23).
    const LINE = [{ product_id: 'p1', quantity: 1 }];
    const inputs = [
      {
        visitor_id: VISITOR_ID,
        session_id: SID,
        order_ts: TS,
        order_id: 'o1',
        items: LINE,
        customer: { email: 'bad' },
      },
      { visitor_id: VISITOR_ID, session_id: SID, order_ts: TS, order_id: 'o2', items: LINE },
      { order_id: 'o3' },
      { visitor_id: VISITOR_ID, session_id: SID, order_ts: TS, order_id: 'o4', items: LINE },
    ];
    const out: unknown[] = [];
    let calls = 0;
    const onError = () => {
      calls += 1;
      throw new Error('the handler broke');
    };
    for await (const record of toRecords(inputs, { event: 'order', onError })) out.push(record);
    expect(out.map((record) => (record as { order_id: string }).order_id)).toEqual(['o1', 'o2', 'o4']);
    expect(calls).toBeGreaterThan(1);
  });
});

describe('a file that is not what it says (issue 24)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'symbiosys-records-adversarial-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    removeRecordsChildren();
  });

  it('one stray quote on line 3 of a 10 MB CSV: the file is refused naming line 3, nothing written, memory bounded', async () => {
    const input = join(dir, 'stray-quote.csv');
    const rows: string[] = [HEADER, row('o1'), `"${row('o2')}`];
    let size = rows.join('\n').length;
    for (let n = 3; size < 10 * 1024 * 1024; n += 1) {
      const next = row(`o${n}`, '10.00', `buyer${n}@example.com`);
      rows.push(next);
      size += next.length + 1;
    }
    writeFileSync(input, rows.join('\n'));
    const output = join(dir, 'stray-quote.ndjson');
    const { done } = await startRecordsChild(['--in', input, '--out', output]);
    const { code, stderr, peakMb } = await done;
    expect(stderr).toMatch(/line 3: a row longer than \d+ characters \(a quote that never closes\?\); input refused/);
    expect(code).toBe(5);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
    expect(stderr).not.toMatch(/example\.com|buyer/);
    // Before the bound, the run-away cell held the rest of the file: 390 MB at 10 MB.
    expect(peakMb).toBeLessThan(150);
  });

  it('a quote that never closes at the end of a file is refused too, naming its line', async () => {
    const { code, records: written, stderr } = await records([HEADER, row('o1'), `"o2,${TS}`].join('\n'));
    expect(stderr).toMatch(/line 3: a quoted cell never closes; input refused/);
    expect(code).toBe(5);
    // stdout cannot be taken back, but the summary says the output is incomplete.
    expect(written.length).toBeLessThanOrEqual(1);
    expect(stderr).toMatch(/failed, stdout is incomplete/);
  });

  it('a Latin-1 file is refused with the line of its first non-UTF-8 byte; --encoding latin1 reads it', async () => {
    const input = join(dir, 'latin1.csv');
    const csv = [`${HEADER},customer.first_name`, `${row('o1')},Ana`, `${row('o2')},José`].join('\n');
    writeFileSync(input, Buffer.from(csv, 'latin1'));
    const refused = await runFile(['--in', input, '--out', join(dir, 'latin1.ndjson')]);
    expect(refused.stderr).toMatch(/line 3: not valid utf-8 text \(--encoding latin1\?\); input refused/);
    expect(refused.code).toBe(5);
    expect(existsSync(join(dir, 'latin1.ndjson'))).toBe(false);

    const read = await runFile(['--in', input, '--out', join(dir, 'latin1.ndjson'), '--encoding', 'latin1']);
    expect(read.code).toBe(0);
    const written = readFileSync(join(dir, 'latin1.ndjson'), 'utf8').trimEnd().split('\n');
    const jose = JSON.parse(written[1]!) as { hashed_first_name: string };
    expect(jose.hashed_first_name).toBe(createHash('sha256').update('josé').digest('hex'));
  });
});

describe('raw values never printed as names (issue 24)', () => {
  it('a first row mixing a column with data: the data cells are named by position only', async () => {
    const { stderr } = await records(['order_id,jane.roe@example.com,6505551212', 'o1,x,y'].join('\n'));
    expect(stderr).toMatch(/line 1: column 2 is not a column/);
    expect(stderr).toMatch(/line 1: column 3 is not a column/);
    expect(stderr).not.toMatch(/jane|6505551212/);
  });

  it('an NDJSON key that is an email is not printed; a misspelt field name is', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const err = collect(stderr);
    stdout.resume();
    const order = { visitor_id: VISITOR_ID, session_id: SID, order_ts: TS, order_id: 'o1', items: [] };
    const lines = [
      { ...order, 'jane.roe@example.com': 1 },
      { ...order, ordr_id: 2 },
    ].map((value) => JSON.stringify(value));
    await runRecordsCli(['--format', 'ndjson'], { stdin: Readable.from([lines.join('\n')]), stdout, stderr });
    expect(err()).not.toMatch(/jane/);
    expect(err()).toMatch(/line 1: invalid_field a key that is no field name \(not printed\)/);
    expect(err()).toMatch(/line 2: invalid_field ordr_id/);
  });
});
