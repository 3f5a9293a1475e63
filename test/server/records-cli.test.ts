/**
 * `symbiosys-records` as a new user meets it (issue 23) and the inputs a
 * warehouse export pipes in (issue 20): usage and help, a shop export's
 * column names, a misspelt column, NDJSON and JSON arrays from stdin, a
 * gzip output, and a file output that appears only when complete.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../src/core/model.js';
import { EXIT, runRecordsCli } from '../../src/server/records-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'symbiosys-records-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VISITOR = '01929d42ae1a0016c0cebe6dd43a0508900160810056a';
const SID = '1729694623545';
const TS = 1729696661986;
const ORDER = { visitor_id: VISITOR, session_id: SID, order_ts: TS, items: [{ product_id: 'p1', quantity: 1 }] };

function collected() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

async function run(args: string[], stdin: Readable = Readable.from([])) {
  const stdout = collected();
  const stderr = collected();
  const code = await runRecordsCli(args, { stdin, stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A stdin that is a terminal, as `process.stdin` is when nothing is piped in. */
function terminal(): Readable {
  return Object.assign(new PassThrough(), { isTTY: true });
}

const ndjson = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as OrderRecord);

describe('usage', () => {
  it('no arguments and a terminal on stdin: the usage, at once, exit 2', async () => {
    const { code, stderr } = await run([], terminal());
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/no input\nusage: symbiosys-records --in /);
  });

  it('--help prints the usage with every option and exit status on stdout', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const option of ['--in', '--out', '--event', '--format', '--encoding', '--key-file', '--overwrite']) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toMatch(/3 upload failed, no object written/);
  });

  it.each([
    [['--format', 'xml'], /--format must be csv, ndjson or json/],
    [['--encoding', 'klingon'], /--encoding klingon is not an encoding/],
    [['--encoding', 'utf-16le'], /--encoding utf-16le is not an encoding/],
  ])('%j is a usage error', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(message);
  });
});

describe("a shop export's columns", () => {
  it('email, Phone, First Name, zip are the customer of an order; hashed as customer.*', async () => {
    const csv = [
      'order_id,order_ts,visitor_id,session_id,email,Phone,First Name,zip,country,product_id,quantity',
      `o1,${TS},${VISITOR},${SID},John_Smith@gmail.com,(650)555-1212,John,94105,US,p1,1`,
    ].join('\n');
    const { code, stdout, stderr } = await run(['--format', 'csv'], Readable.from([csv]));
    expect(stderr).not.toMatch(/not a column/);
    expect(code).toBe(0);
    const [record] = ndjson(stdout);
    expect(record?.hashed_email).toBe('62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
    expect(record?.hashed_phone_e164).toBe('1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8');
    expect(record?.hashed_first_name).toMatch(/^[0-9a-f]{64}$/);
    expect(record?.hashed_zip_code).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a misspelt column is reported with the closest known one', async () => {
    const csv = [`order_id,ordr_ts,visitor_id,session_id,product_id,quantity`, `o1,${TS},${VISITOR},${SID},p1,1`];
    const { stderr } = await run(['--format', 'csv'], Readable.from([csv.join('\n')]));
    expect(stderr).toMatch(
      /line 1: column 2 \("ordr_ts"\) is not a column of order records; ignored \(did you mean "order_ts"\?\)/,
    );
  });
});

describe('inputs and outputs', () => {
  it('NDJSON and a JSON array on stdin are told apart by their first character', async () => {
    const orders = [
      { ...ORDER, order_id: 'a' },
      { ...ORDER, order_id: 'b' },
    ];
    const fromLines = await run([], Readable.from([orders.map((order) => JSON.stringify(order)).join('\n')]));
    const fromArray = await run([], Readable.from([`  \n${JSON.stringify(orders, null, 2)}`]));
    expect(ndjson(fromLines.stdout).map((record) => record.order_id)).toEqual(['a', 'b']);
    expect(fromArray.stdout).toBe(fromLines.stdout);
    expect(fromArray.code).toBe(0);
  });

  it('a JSON array broken after its first element is refused, naming the element', async () => {
    const { code, stderr } = await run(
      ['--format', 'json'],
      Readable.from([`[${JSON.stringify(ORDER)}, {"order_id": `]),
    );
    expect(stderr).toMatch(/element 2: not a JSON array of objects from here on; input refused/);
    expect(code).toBe(EXIT.inputRefused);
  });

  it('a .gz output is gzip; a file appears only when complete, and a refused input leaves none', async () => {
    const input = join(dir, 'orders.ndjson');
    writeFileSync(input, `${JSON.stringify({ ...ORDER, order_id: 'z' })}\n`);
    const output = join(dir, 'records.ndjson.gz');
    const { code, stderr } = await run(['--in', input, '--out', output]);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /symbiosys-records: 1 records written, 0 inputs rejected, 0 problems reported \(.*records\.ndjson\.gz/,
    );
    expect(ndjson(gunzipSync(readFileSync(output)).toString())[0]?.order_id).toBe('z');

    writeFileSync(input, Buffer.from([...Buffer.from(`${JSON.stringify(ORDER)}\n{"x": "`), 0xe9, 0x22, 0x7d, 0x0a]));
    const refused = await run(['--in', input, '--out', join(dir, 'refused.ndjson')]);
    expect(refused.code).toBe(EXIT.inputRefused);
    expect(refused.stderr).toMatch(/line 2: not valid utf-8/);
    expect(refused.stderr).toMatch(/failed, nothing written to .*refused\.ndjson/);
    expect(existsSync(join(dir, 'refused.ndjson'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('on a terminal, progress on stderr (read, records, refused, MB/s), then the one summary line', async () => {
    const stdin = new PassThrough();
    const stderr = collected();
    const terminal = Object.assign(stderr.stream, { isTTY: true });
    const stdout = collected();
    const running = runRecordsCli(['--format', 'ndjson'], { stdin, stdout: stdout.stream, stderr: terminal });
    stdin.write(`${JSON.stringify({ ...ORDER, order_id: 'p1' })}\n{broken\n`);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    stdin.end(`${JSON.stringify({ ...ORDER, order_id: 'p2' })}\n`);
    expect(await running).toBe(EXIT.someRejected);
    const said = stderr.text();
    // Each progress line, and the line that replaces it, starts by erasing the terminal's line.
    const shown = said.split('\r\x1b[K');
    expect(shown.some((line) => /^1 read, 1 records, 1 refused, \d+\.\d MB\/s$/.test(line))).toBe(true);
    expect(shown.at(-1)).toMatch(/^symbiosys-records: 2 records written, 1 inputs rejected/);
  });
});
