/**
 * What the receiver keeps stays bounded: the newest MAX_KEPT_EVENTS events
 * and MAX_KEPT_REQUESTS requests, each list under MAX_KEPT_BYTES of JSON,
 * and a flood leaves no memory taken once it is answered (measured in a
 * child process run with --expose-gc, as the CLI runs it).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_KEPT_BYTES, MAX_KEPT_EVENTS, MAX_KEPT_REQUESTS } from '../../src/receiver/limits.js';
import { call, postJson, useReceiver, vendorGetUrl } from '../receiver/harness.js';
import { ONE_MIB_OF_EMPTY_ORDERS, minimalOrder } from './receiver-bodies.js';

const receiver = useReceiver();

describe('kept in memory', () => {
  it(`the newest ${MAX_KEPT_EVENTS} events and ${MAX_KEPT_REQUESTS} requests, in the same live arrays`, async () => {
    const { events, requests } = receiver();
    const batch = Array.from({ length: MAX_KEPT_EVENTS }, (_, index) => minimalOrder(`o${index}`));
    expect((await postJson(receiver(), '/orders', batch)).status).toBe(200);
    for (let index = 0; index < 5; index++) await call(receiver(), vendorGetUrl('/page_viewjs'));
    expect(receiver().events).toBe(events);
    expect(events).toHaveLength(MAX_KEPT_EVENTS);
    expect(events[0]?.id).toBe(6);
    expect(events.at(-1)?.id).toBe(MAX_KEPT_EVENTS + 5);

    for (let index = 0; index < MAX_KEPT_REQUESTS; index++) await call(receiver(), '/page_viewjs?api_key=nope');
    expect(receiver().requests).toBe(requests);
    expect(requests).toHaveLength(MAX_KEPT_REQUESTS);
    expect(requests[0]?.id).toBe(7);
    expect(requests.at(-1)?.id).toBe(MAX_KEPT_REQUESTS + 6);
  });

  it(`under ${MAX_KEPT_BYTES} bytes of JSON, however large each event`, async () => {
    const huge = 'x'.repeat(900_000);
    for (let index = 0; index < 12; index++) {
      expect((await postJson(receiver(), '/orders', [minimalOrder(`${index}${huge}`)])).status).toBe(200);
    }
    const kept = receiver().events;
    expect(Buffer.byteLength(JSON.stringify(kept))).toBeLessThanOrEqual(MAX_KEPT_BYTES);
    expect(kept.length).toBeGreaterThanOrEqual(8);
    expect(kept.at(-1)?.record).toMatchObject({ order_id: `11${huge}` });
  });

  it('the newest event stays even when it alone is over the budget', async () => {
    // One kept event is what waitFor and the live page need; a single body is capped at 1 MiB anyway.
    await postJson(receiver(), '/orders', [minimalOrder('y'.repeat(900_000))]);
    expect(receiver().events).toHaveLength(1);
  });
});

describe('a 1 MiB flood in a child process', () => {
  let dir: string;
  let child: ChildProcess;
  let url: string;

  const next = <T>(): Promise<T> => new Promise((resolve) => child.once('message', (message) => resolve(message as T)));
  const heapAfterGc = async (): Promise<number> => {
    child.send('heap');
    return next<number>();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'symbiosys-receiver-memory-'));
    await build({
      entryPoints: [fileURLToPath(new URL('../../src/receiver/index.ts', import.meta.url))],
      outfile: join(dir, 'receiver.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
    writeFileSync(
      join(dir, 'child.mjs'),
      `import { startReceiver } from './receiver.js';
const receiver = await startReceiver({ log: () => {} });
process.on('message', async (message) => {
  if (message === 'heap') {
    globalThis.gc();
    globalThis.gc();
    process.send(process.memoryUsage().heapUsed);
  } else {
    await receiver.close();
    process.disconnect();
  }
});
process.send(receiver.url);
`,
    );
    child = fork(join(dir, 'child.mjs'), { execArgv: ['--expose-gc'], stdio: 'ignore' });
    url = await next<string>();
  });

  afterAll(async () => {
    if (child.connected) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the heap where it was: nothing of it is kept', async () => {
    const post = () =>
      fetch(`${url}/orders`, { method: 'POST', headers: { api_key: 'test-key' }, body: ONE_MIB_OF_EMPTY_ORDERS });
    // A first request warms the code paths, so the baseline holds what any request costs once.
    await (await post()).text();
    const before = await heapAfterGc();
    for (let round = 0; round < 3; round++) {
      const answer = await post();
      expect(answer.status).toBe(400);
      expect((await answer.text()).length).toBeLessThan(1000);
    }
    const grown = (await heapAfterGc()) - before;
    // Three records of a refused request weigh a few kB; before the bounds, each flood kept ~150 MB.
    expect(grown).toBeLessThan(1024 * 1024);
  });
});
