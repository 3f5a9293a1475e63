import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { toRecords, writeNdjson } from '../../src/server/index.js';
import type { InputError } from '../../src/server/index.js';
import type { OrderRecord, PageViewRecord } from '../../src/core/model.js';
import { runRecordsCli } from '../../src/server/records-cli.js';
import { inputFromVendor, vendorBody } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'symbiosys-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = { visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a', session_id: '1729694623545' };
const TS = 1729696661986;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/** One NDJSON record per line, typed as the event's record (the tests check the values). */
function ndjson<R>(text: string): R[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as R);
}

function text() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('toRecords', () => {
  it('turns the vendor example back into the vendor record', async () => {
    const [record] = await collect(toRecords([inputFromVendor('/orders')], { event: 'order' }));
    expect(record).toEqual(vendorBody('/orders'));
  });

  it('streams: pulls one input per record (an endless source works)', async () => {
    let pulled = 0;
    async function* endless() {
      for (let n = 0; ; n += 1) {
        await Promise.resolve(); // an asynchronous source, as a database cursor is
        pulled += 1;
        yield { ...ids, page_view_ts: TS, product_id: n };
      }
    }
    const out: unknown[] = [];
    for await (const record of toRecords(endless(), { event: 'page_view' })) {
      out.push(record);
      if (out.length === 3) break;
    }
    expect(pulled).toBe(3);
    expect(out.map((r) => (r as { product_id: string }).product_id)).toEqual(['0', '1', '2']);
  });

  it('a dump needs timestamps; errors name the input position and field, never the value', async () => {
    const errors: Array<[string, string | undefined, number]> = [];
    const onError = (error: InputError, index: number) => errors.push([error.code, error.field, index]);
    const records = await collect(
      toRecords(
        [
          { ...ids, order_id: 1, items: [{ product_id: 1, quantity: 1 }] },
          {
            ...ids,
            order_ts: TS,
            order_id: 2,
            items: [{ product_id: 1, quantity: 1 }],
            customer: { email: 'secret-not-an-email' },
          },
        ],
        { event: 'order', onError },
      ),
    );
    expect(records.map((r) => r.order_id)).toEqual(['2']);
    expect(errors).toEqual([
      ['invalid_field', 'order_ts', 0],
      ['invalid_pii', 'customer.email', 1],
    ]);
  });

  it('writeNdjson writes one JSON line per record and counts them', async () => {
    const out = text();
    const count = await writeNdjson(
      toRecords(
        [
          { ...ids, page_view_ts: TS },
          { ...ids, page_view_ts: TS + 1 },
        ],
        { event: 'page_view' },
      ),
      out.stream,
    );
    expect(count).toBe(2);
    expect(ndjson<PageViewRecord>(out.text()).map((record) => record.page_view_ts)).toEqual([TS, TS + 1]);
  });
});

describe('symbiosys-records CLI', () => {
  async function run(args: string[], stdinText = '') {
    const stdout = text();
    const stderr = text();
    const code = await runRecordsCli(args, {
      stdin: Readable.from([stdinText]),
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('CSV, one row per item, consecutive rows grouped by order_id; bad rows reported by line and field only', async () => {
    const csv = [
      'order_id,order_ts,visitor_id,session_id,customer.email,customer.phone,customer.country,product_id,brand,quantity,regular_unit_price',
      `238476923,${TS},${ids.visitor_id},${ids.session_id},John_Smith@gmail.com,(650)555-1212,US,170830,nike,1,10.00`,
      `238476923,${TS},${ids.visitor_id},${ids.session_id},John_Smith@gmail.com,(650)555-1212,US,238443,"reebok, inc",1,20.00`,
      `555,${TS},${ids.visitor_id},${ids.session_id},bad-email,,,1,x,two,1`,
      `556,2024-10-23T15:17:41.986Z,,${ids.session_id},jane@example.com,,,1,x,1,1`,
      `557,${TS},${ids.visitor_id}`,
    ].join('\n');
    const input = join(dir, 'orders.csv');
    const output = join(dir, 'records.ndjson');
    writeFileSync(input, csv);
    const { code, stderr } = await run(['--in', input, '--out', output]);
    const records = ndjson<OrderRecord>(readFileSync(output, 'utf8'));
    // Order 555's one line has no valid quantity: the line is dropped, and the order with it (issue 23).
    expect(records.map((r) => [r.order_id, r.items.length])).toEqual([['238476923', 2]]);
    const [first] = records;
    expect(first?.items[1]).toEqual({
      product_id: '238443',
      brand: 'reebok, inc',
      quantity: 1,
      regular_unit_price: 20,
    });
    expect(first?.hashed_email).toBe('62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
    expect(first?.hashed_phone_e164).toBe('1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8');
    expect(stderr).toMatch(/line 4: invalid_pii customer\.email/);
    expect(stderr).toMatch(/line 4: invalid_field items\.0\.quantity/);
    expect(stderr).toMatch(/line 4: invalid_field items: has no line to send: order not sent/);
    expect(stderr).toMatch(/line 5: invalid_field visitor_id/);
    expect(stderr).toMatch(/line 6: 3 cells where the header has 11/);
    expect(stderr).toMatch(/1 records written, 3 inputs rejected/);
    for (const raw of ['bad-email', 'jane@example.com', 'John_Smith', '555-1212']) expect(stderr).not.toContain(raw);
    expect(code).toBe(1);
  });

  it('NDJSON from stdin to stdout, page views; a bad JSON line is reported by number', async () => {
    const lines = [
      JSON.stringify({ ...ids, page_view_ts: TS, page_view_url: 'https://shop.example/a', user: { email: 'a@b.co' } }),
      '',
      '{not json',
      JSON.stringify({ ...ids, page_view_ts: TS + 5 }),
    ].join('\n');
    const { code, stdout, stderr } = await run(['--event', 'page_view'], lines);
    const records = ndjson<PageViewRecord>(stdout);
    expect(records.map((r) => r.page_view_ts)).toEqual([TS, TS + 5]);
    expect(records[0]?.page_view_url).toBe('https%3A%2F%2Fshop.example%2Fa');
    expect(records[0]?.hashed_email).toMatch(/^[0-9a-f]{64}$/);
    expect(stderr).toMatch(/line 3: not valid JSON/);
    expect(code).toBe(1);
  });

  it.each([
    [['--event', 'refund'], /--event must be/],
    [['--bogus'], /Unknown option/],
    [['--in', join(dir, 'missing.csv'), '--out', join(dir, 'x.ndjson')], /ENOENT/],
  ])('usage and I/O errors exit 2: %j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
