#!/usr/bin/env node
// `npm run bench:server`: orders per second from Node to a loopback sink, our
// server client beside the floor senders (the same orders already in their
// POST shape, `JSON.stringify` per batch of 100, 8 in flight: by `fetch`, and
// by `node:http` with keep-alive, the transport our client uses), as a ratio
// to the `node:http` floor, so the ratio is the SDK's own cost and not a
// difference of transports; with pre-hashed PII and with raw PII; and each
// sender's peak RSS. The sink runs in its own process, each sender in its own
// too, one after the other (`--repeat` passes, each in the order
// floor-http, floor, hashed, raw).
//
//   npm run bench:server [-- --orders 50000 --repeat 1]
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { cliFlag, ensureBuilt, runMain } from './rig.mjs';

const orders = cliFlag('orders', 50_000);
const repeat = cliFlag('repeat', 1);
// The http floor first: every ratio is to it.
const VARIANTS = ['floor-http', 'floor', 'hashed', 'raw'];
const LABELS = {
  floor: 'pre-shaped, stringify + fetch',
  'floor-http': 'floor: pre-shaped, stringify + http',
  hashed: 'ours, pre-hashed PII',
  raw: 'ours, raw PII (8 fields)',
};

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** Asks the sink something over IPC and waits for its answer. */
async function ask(sink, message) {
  sink.send(message);
  const [answer] = await once(sink, 'message');
  return answer;
}

/** Runs one sender to the end; resolves to what it printed. */
async function runSender(variant, port) {
  const child = spawn(process.execPath, [here('./bench-server-sender.mjs'), variant, String(port), String(orders)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the ${variant} sender exited with ${code}`);
  return JSON.parse(out);
}

async function main() {
  ensureBuilt();
  const sink = fork(here('./bench-server-sink.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const [{ port }] = await once(sink, 'message');
    console.log(
      `${orders} two-item orders per sender, ${repeat} pass(es), Node ${process.version}, sink on 127.0.0.1:${port}\n`,
    );
    const head = `${'sender'.padEnd(38)}${['orders/s', 'x floor', 'seconds', 'CPU µs/o', 'x floor', 'peak RSS', 'delivered', 'undeliv.', 'waits'].map((c) => c.padStart(10)).join('')}`;
    console.log(`${head}\n${'-'.repeat(head.length)}`);
    for (let pass = 0; pass < repeat; pass++) {
      let floorRate;
      let floorCpu;
      for (const variant of VARIANTS) {
        await ask(sink, 'reset');
        const result = await runSender(variant, port);
        const received = await ask(sink, 'count');
        const rate = received.orders / result.seconds;
        const cpu = (result.cpuSeconds * 1e6) / orders;
        if (variant === 'floor-http') [floorRate, floorCpu] = [rate, cpu];
        const cells = [
          Math.round(rate),
          `${(rate / floorRate).toFixed(2)}x`,
          result.seconds.toFixed(2),
          cpu.toFixed(1),
          `${(floorCpu / cpu).toFixed(2)}x`,
          `${result.peakRssMB.toFixed(0)} MB`,
          received.orders,
          result.undelivered,
          result.queueFullWaits,
        ];
        console.log(`${LABELS[variant].padEnd(38)}${cells.map((c) => String(c).padStart(10)).join('')}`);
        if (result.errors.length > 0 || received.bad > 0) {
          console.log(
            `  errors: ${result.errors.join(', ') || 'none'}; requests the sink could not read: ${received.bad}`,
          );
        }
      }
    }
    console.log(
      "\nCPU µs/o: the sender process's CPU time (all its threads) per order; its x floor compares orders per" +
        "\nCPU second, which the machine's other work skews less than it skews orders/s." +
        '\nwaits: times `track` answered queue_full and the producer waited 5 ms (the queue is bounded by maxQueueSize, 10,000).',
    );
  } finally {
    sink.send('stop');
  }
}

runMain(main);
