#!/usr/bin/env node
/**
 * Orders per second through the server client to a loopback HTTP sink, with
 * batching, plus peak RSS and heap. The sink is a minimal node:http server
 * that counts the orders in each POST /orders array and answers 200.
 *
 *   npx tsup && node scripts/bench-server.mjs [orders=50000] [maxCount=100]
 *
 * Orders are tracked as fast as `track` accepts them; when the bounded queue
 * is full the loop yields until deliveries free room, so the figure is
 * end-to-end throughput (validate + hash + serialize + HTTP), not enqueue speed.
 */
import { createServer } from 'node:http';
import { SymbiosysServerClient } from '../dist/server.js';

const total = Number(process.argv[2] ?? 50_000);
const maxCount = Number(process.argv[3] ?? 100);

let received = 0;
let requests = 0;
const sink = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    requests += 1;
    if (req.url === '/orders') received += JSON.parse(Buffer.concat(chunks).toString()).length;
    res.writeHead(200).end();
  });
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const { port } = sink.address();

let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const { rss, heapUsed } = process.memoryUsage();
  peakRss = Math.max(peakRss, rss);
  peakHeap = Math.max(peakHeap, heapUsed);
};
const sampler = setInterval(sample, 20);

const errors = [];
const client = new SymbiosysServerClient({
  apiKey: 'bench',
  endpoint: `http://127.0.0.1:${port}`,
  batch: { maxCount },
  onError: (error) => errors.push(error.code),
});

const order = (n) => ({
  visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a',
  session_id: '1729694623545',
  order_id: `order-${n}`,
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  customer: {
    email: `buyer${n}@example.com`,
    phone: '(650)555-1212',
    first_name: 'Jane',
    last_name: 'Doe',
    zip_code: '10001',
    city: 'New York',
    state: 'NY',
    country: 'US',
  },
  items: [
    {
      product_id: '170830',
      item_group_id: '3845239',
      category_id: '30087',
      seller_id: '18231233',
      brand: 'nike',
      quantity: 1,
      regular_unit_price: 10,
      discount_unit_price: 5,
    },
    {
      product_id: '238443',
      item_group_id: '2342384',
      category_id: '72342',
      seller_id: '23434232',
      brand: 'reebok',
      quantity: 2,
      regular_unit_price: 20,
      discount_unit_price: 20,
    },
  ],
});

const started = performance.now();
let dropped = 0;
for (let n = 0; n < total;) {
  const result = client.track('order', order(n));
  if (result.status === 'dropped' && result.error.code === 'queue_full') {
    dropped += 1;
    await new Promise((resolve) => setImmediate(resolve));
    continue;
  }
  if (result.status !== 'queued') throw new Error(`order ${n} was ${result.status}`);
  n += 1;
  // Give the sockets a turn now and then, as a real server's event loop would.
  if (n % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
}
const closed = await client.close({ timeoutMs: 60_000 });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
sample();
sink.close();

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
console.log(
  JSON.stringify(
    {
      orders: total,
      delivered: received,
      requests,
      seconds: Number(seconds.toFixed(2)),
      ordersPerSecond: Math.round(received / seconds),
      peakRssMB: Number(mb(peakRss)),
      peakHeapMB: Number(mb(peakHeap)),
      queueFullRetries: dropped,
      undelivered: closed.undelivered.length,
      errors: [...new Set(errors)],
      node: process.version,
    },
    null,
    2,
  ),
);
