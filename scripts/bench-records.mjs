#!/usr/bin/env node
// `npm run bench:records`: `symbiosys-records` (the built command) turning
// generated CSV orders into records, uploaded to a GCS API server on
// 127.0.0.1 (test/gcs/fake-gcs-server.mjs, resumable, 8 MiB chunks) beside
// the same rows written to a local file (the floor: the same command, no
// network). Rows per second and the command's peak RSS, at two sizes: peak
// RSS must not grow with the row count (the command streams). Each run is a
// process of its own, fed on stdin by this one.
//
//   npm run bench:records [-- --orders 1000000 --small 200000]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliFlag, ensureBuilt, ROOT } from './rig.mjs';
import { startFakeGcs } from '../test/gcs/fake-gcs-server.mjs';

const ORDERS = cliFlag('orders', 1_000_000);
const SMALL = cliFlag('small', 200_000);
const VISITOR = '01929d42ae1a0016c0cebe6dd43a0508900160810056a';
const TS = 1764547200000;
const HEADER = 'order_id,order_ts,visitor_id,session_id,email,first_name,product_id,quantity,regular_unit_price\n';
// Prints the command's peak resident set (kilobytes on Linux) and CPU time (µs) as it exits. CPU time
// is printed beside the wall clock because the machine may be shared: waiting for a core is not work.
const FIGURES = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('figures '+u.maxRSS+' '+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

/** CSV text for `count` orders (one item each, a customer email and first name), in blocks of 1,000 rows. */
function* csvBlocks(count) {
  yield HEADER;
  for (let start = 0; start < count; start += 1000) {
    let block = '';
    for (let n = start; n < Math.min(count, start + 1000); n += 1) {
      block += `o${n},${TS + n},${VISITOR},${TS + n - (n % 50)},buyer${n}@example.com,Name${n % 997},p${n % 500},1,${(n % 90) + 9.99}\n`;
    }
    yield block;
  }
}

/** Runs the command once on `count` generated orders to `out`; its figures. */
async function runOnce(count, out, env) {
  const bin = join(ROOT, 'bin/symbiosys-records.mjs');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', FIGURES, bin, '--format', 'csv', '--out', out], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  for (const block of csvBlocks(count)) {
    if (!child.stdin.write(block)) await once(child.stdin, 'drain');
  }
  child.stdin.end();
  const [code] = await once(child, 'close');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`symbiosys-records exited ${code}:\n${stderr}`);
  const [, rssKb, cpuUs] = /figures (\d+) (\d+)/.exec(stderr) ?? [];
  return { seconds, rowsPerSecond: count / seconds, peakMb: Number(rssKb) / 1024, cpuSeconds: Number(cpuUs) / 1e6 };
}

async function main() {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bench-records-'));
  const gcs = await startFakeGcs({ keepData: false });
  const env = { STORAGE_EMULATOR_HOST: gcs.url };
  console.log(`symbiosys-records: generated CSV orders on stdin, ${process.version}, ${new Date().toISOString()}`);
  console.log(
    `${'output'.padEnd(34)}${['orders', 'seconds', 'rows/s', 'x floor', 'CPU s', 'rows/CPU s', 'peak RSS', 'stored MB'].map((c) => c.padStart(11)).join('')}`,
  );
  try {
    for (const count of [SMALL, ORDERS]) {
      const file = join(dir, `orders-${count}.ndjson`);
      const floor = await runOnce(count, file, env);
      const floorBytes = statSync(file).size;
      rmSync(file);
      const name = `bench/orders-${count}-${Date.now()}.ndjson`;
      const upload = await runOnce(count, `gs://${name}`, env);
      const object = gcs.objects.get(name);
      if (!object || Number(object.metadata.size) !== floorBytes) {
        throw new Error(`the object ${name} is missing or differs in size from the local file`);
      }
      gcs.objects.delete(name);
      for (const [label, result, mb] of [
        ['local file (floor)', floor, floorBytes / 1e6],
        ['gs:// (local GCS API, 8 MiB chunks)', upload, Number(object.metadata.size) / 1e6],
      ]) {
        const ratio = result.rowsPerSecond / floor.rowsPerSecond;
        console.log(
          `${label.padEnd(34)}${[
            count.toLocaleString('en-US'),
            result.seconds.toFixed(1),
            Math.round(result.rowsPerSecond).toLocaleString('en-US'),
            `${ratio.toFixed(2)}x`,
            result.cpuSeconds.toFixed(1),
            Math.round(count / result.cpuSeconds).toLocaleString('en-US'),
            `${result.peakMb.toFixed(0)} MB`,
            mb.toFixed(0),
          ]
            .map((c) => c.padStart(11))
            .join('')}`,
        );
      }
    }
  } finally {
    await gcs.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
