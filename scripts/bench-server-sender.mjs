// One sender of `npm run bench:server`, in a process of its own (so its peak
// RSS is its own): sends `orders` two-item orders to the sink and prints one
// line of JSON with its time and memory.
//
//   node scripts/bench-server-sender.mjs <floor|floor-http|hashed|raw> <sinkPort> <orders>
//
// - floor: the orders already in their POST shape, `JSON.stringify` per batch
//   of 100 and a plain `fetch` POST, 8 in flight: the least a sender can do;
// - floor-http: the same over `node:http` with a keep-alive agent, the
//   transport our client sends with: the floor our ratios are taken against;
// - hashed: `SymbiosysServerClient.track` with the customer's PII given as
//   hashes (8 of them);
// - raw: the same with raw PII (8 fields normalized and hashed per order).
import http from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { SymbiosysServerClient } from '../dist/server.js';

const [variant, port, count] = process.argv.slice(2);
const total = Number(count);
const endpoint = `http://127.0.0.1:${port}`;
const BATCH = 100;
const IN_FLIGHT = 8;

const hash = (seed) => seed.repeat(64 / seed.length);
const items = [
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
];
const rawCustomer = (n) => ({
  email: `buyer${n}@example.com`,
  phone: '(650)555-1212',
  first_name: 'Jane',
  last_name: 'Doe',
  zip_code: '10001',
  city: 'New York',
  state: 'NY',
  country: 'US',
});
const hashedCustomer = {
  email: hash('a1'),
  phone: hash('b2'),
  phone_e164: hash('c3'),
  first_name: hash('d4'),
  last_name: hash('e5'),
  zip_code: hash('f6'),
  city: hash('07'),
  state: hash('18'),
};
const order = (n, customer) => ({
  visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a',
  session_id: '1729694623545',
  order_id: `order-${n}`,
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  customer,
  items,
});

/** The POST body our client makes of an order, taken once from the client itself: the floor sends the same bytes. */
async function postShape() {
  let body;
  const capture = new SymbiosysServerClient({
    apiKey: 'bench',
    endpoint,
    fetch: async (request) => {
      body = JSON.parse(await request.text())[0];
      return new Response(null, { status: 200 });
    },
  });
  capture.track('order', order(0, hashedCustomer));
  await capture.close();
  return body;
}

/** One POST by `fetch`; resolves to whether the sink took it. */
const fetchPost = (json) =>
  fetch(`${endpoint}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', api_key: 'bench' },
    body: json,
  }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.ok;
    },
    () => false,
  );

const agent = new http.Agent({ keepAlive: true });

/** One POST by `node:http` over a kept-alive connection; resolves to whether the sink took it. */
const httpPost = (json) =>
  new Promise((resolve) => {
    const request = http.request(
      `${endpoint}/orders`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', api_key: 'bench' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode >= 200 && response.statusCode < 300));
        response.on('error', () => resolve(false));
      },
    );
    request.on('error', () => resolve(false));
    request.end(json);
  });

async function floor(send) {
  const template = await postShape();
  const inFlight = new Set();
  let failed = 0;
  const post = (json) => send(json).then((ok) => (failed += ok ? 0 : 1));
  for (let first = 0; first < total; first += BATCH) {
    const batch = [];
    for (let n = first; n < Math.min(total, first + BATCH); n++) batch.push({ ...template, order_id: `order-${n}` });
    const request = post(JSON.stringify(batch)).finally(() => inFlight.delete(request));
    inFlight.add(request);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { undelivered: failed * BATCH, queueFullWaits: 0, errors: [] };
}

async function ours(raw) {
  const errors = new Set();
  const client = new SymbiosysServerClient({
    apiKey: 'bench',
    endpoint,
    batch: { maxCount: BATCH },
    concurrency: IN_FLIGHT,
    onError: (error) => {
      if (error.code !== 'queue_full') errors.add(error.code);
    },
  });
  let queueFullWaits = 0;
  for (let n = 0; n < total;) {
    const result = client.track('order', order(n, raw ? rawCustomer(n) : hashedCustomer));
    if (result.status === 'dropped' && result.error.code === 'queue_full') {
      // Back off while the requests in flight free the queue (a producer with nowhere else to put orders).
      queueFullWaits += 1;
      await sleep(5);
      continue;
    }
    if (result.status !== 'queued') throw new Error(`order ${n} was ${result.status}`);
    n += 1;
    // A server tracks orders from many requests, each its own task: sockets get their turn between them.
    if (n % BATCH === 0) await nextTurn();
  }
  const closed = await client.close({ timeoutMs: 120_000 });
  return { undelivered: closed.undelivered.length, queueFullWaits, errors: [...errors] };
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
const outcome =
  variant === 'floor'
    ? await floor(fetchPost)
    : variant === 'floor-http'
      ? await floor(httpPost)
      : await ours(variant === 'raw');
const seconds = (performance.now() - started) / 1000;
const { user, system } = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({
    variant,
    orders: total,
    seconds,
    // The sender's own CPU time (all its threads): what the machine's other work cannot inflate.
    cpuSeconds: (user + system) / 1e6,
    // Kilobytes on Linux: the process's peak resident set.
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    ...outcome,
  })}\n`,
);
