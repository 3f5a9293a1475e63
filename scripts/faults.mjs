// `npm run faults`: a scripted fault scenario in headless Chromium against the
// local receiver. Between page and receiver, a seeded share of requests get a
// 503, a 429 with Retry-After, a dropped connection before the server (network
// error), or one after it (the server got it, the page sees an error). Also an
// offline spell with a reload while offline, and a navigation away right after
// tracking. Then a summary: tracked, delivered, duplicated, dropped (why).
// Exit 0 when no order was lost. Needs dist/ (`npx tsup`); bounded to ~60 s.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const SEED = Number(process.env.FAULTS_SEED ?? 7);

// The browser rig (receiver + static site) is TypeScript: bundle it for Node,
// three levels below the root as its own file is (it finds the repo from there).
const dir = join(root, 'node_modules/.cache/symbiosys-faults');
mkdirSync(dir, { recursive: true });
const rigFile = join(dir, 'rig.mjs');
await build({
  entryPoints: [join(root, 'test/browser/helpers/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: rigFile,
  packages: 'external',
  logLevel: 'error',
});
const { startRig, CHROMIUM_ARGS, CHROMIUM_PATH } = await import(rigFile);

/** mulberry32: the same faults for the same seed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);

// Share of requests per fault; the rest reach the receiver untouched.
const FAULTS = [
  ['503', 0.15],
  ['429 Retry-After: 1', 0.08],
  ['dropped before the server', 0.1],
  ['dropped after the server answered', 0.05],
];

const rig = await startRig({ receiver: { quiet: true } });
const { receiver } = rig;
// A page served by the test (while offline) counts as public for Local Network Access: see test/browser/delivery.test.ts.
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'],
});
const log = (line) => console.log(`[faults] ${line}`);
log(
  `seed ${SEED}; faults on each request to the receiver: ${FAULTS.map(([name, share]) => `${name} ${Math.round(share * 100)}%`).join(', ')}`,
);

let lostOrders = 0;
for (const transport of ['auto', 'fetch']) {
  receiver.clear();
  const run = await scenario(transport, Date.now() + (transport === 'auto' ? 27_000 : 25_000));
  lostOrders += summarize(transport, run);
}
await browser.close();
await rig.close();
console.log(lostOrders === 0 ? 'OK: no order lost' : `FAIL: ${lostOrders} order(s) lost`);
process.exitCode = lostOrders === 0 ? 0 : 1;

/** One pass of the scenario with this transport; what was tracked, said and injected. */
async function scenario(transport, deadline) {
  const context = await browser.newContext();

  const injected = Object.fromEntries([...FAULTS.map(([name]) => [name, 0]), ['passed', 0]]);
  /** Page views whose beacon a fault ate: fire-and-forget, the SDK cannot know. */
  const beaconsLost = new Set();
  /** Events the receiver stored while the page saw a dropped connection: a resend is expected. */
  const unseen = [];
  const keyOf = (url) => url.searchParams.get('oid') ?? url.searchParams.get('prodid') ?? '?';
  const CORS = { 'access-control-allow-origin': '*' };

  await context.route(`${receiver.url}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (request.method() === 'OPTIONS') return route.continue();
    let roll = rand();
    let fault = 'passed';
    for (const [name, share] of FAULTS) {
      if (roll < share) {
        fault = name;
        break;
      }
      roll -= share;
    }
    injected[fault]++;
    const beacon = request.method() === 'POST';
    if (beacon && fault !== 'passed' && fault !== 'dropped after the server answered') beaconsLost.add(keyOf(url));
    switch (fault) {
      case '503':
        return route.fulfill({ status: 503, headers: CORS, body: 'unavailable' });
      case '429 Retry-After: 1':
        return route.fulfill({
          status: 429,
          headers: { ...CORS, 'retry-after': '1', 'access-control-expose-headers': 'retry-after' },
          body: 'slow down',
        });
      case 'dropped before the server':
        return route.abort('connectionreset');
      case 'dropped after the server answered':
        await route.fetch().catch(() => undefined); // Reaches the receiver; the page never sees the answer.
        unseen.push(keyOf(url));
        return route.abort('connectionreset');
      default:
        return route.continue();
    }
  });

  // While offline, Chromium cannot load the page: serve it from what the site gave before.
  const site = rig.site.url;
  const pages = new Map();
  await context.route(`${site}/**`, async (route) => {
    const href = route.request().url();
    if (!pages.has(href)) {
      const response = await fetch(href);
      pages.set(href, {
        body: Buffer.from(await response.arrayBuffer()),
        contentType: response.headers.get('content-type') ?? 'text/html',
      });
    }
    await route.fulfill({ status: 200, ...pages.get(href) });
  });

  const page = await context.newPage();
  const fixture = `${site}/fixtures/delivery.html?retryBaseMs=250&transport=${transport}`;
  const tracked = { page_view: [], order: [] };
  const results = [];
  const errors = [];
  let n = 0;

  async function trackSome(views, orders) {
    const calls = [];
    for (let i = 0; i < views; i++) calls.push(['page_view', { product_id: `pv-${++n}` }]);
    for (let i = 0; i < orders; i++)
      calls.push([
        'order',
        { order_id: `o-${++n}`, items: [{ product_id: 'p1', quantity: 1, regular_unit_price: 9.5 }] },
      ]);
    for (const [event, input] of calls) tracked[event].push(input.order_id ?? input.product_id);
    await page.evaluate((list) => Promise.all(list.map(([event, input]) => window.track(event, input))), calls);
  }

  /** What this page load said (results, onError), kept before it goes away. */
  async function collect() {
    const seen = await page
      .evaluate(() => ({ results: window.results, errors: window.errors }))
      .catch(() => ({ results: [], errors: [] }));
    results.push(...seen.results);
    errors.push(...seen.errors);
  }

  log(`transport: ${transport}`);

  await page.goto(fixture);
  log('online: 10 page views, 10 orders');
  await trackSome(10, 10);
  await page.waitForTimeout(1500);

  log('offline: 5 page views, 5 orders; reload while offline; 3 more orders');
  await context.setOffline(true);
  await trackSome(5, 5);
  await collect();
  await page.reload();
  await trackSome(0, 3);
  await page.waitForTimeout(500);
  log('back online');
  await context.setOffline(false);
  await page.waitForTimeout(1500);

  log('5 page views, 5 orders, then navigate away at once, and come back');
  await collect();
  await trackSome(5, 5);
  await collect();
  await page.goto(`${site}/fixtures/blank.html`);
  await page.goto(fixture);

  // Wait until every order arrived (or the deadline), then a little for stragglers.
  const delivered = () => new Set(receiver.events.filter((e) => e.event === 'order').map((e) => e.record.order_id));
  while (Date.now() < deadline - 3000 && !tracked.order.every((id) => delivered().has(id)))
    await page.waitForTimeout(200);
  await page.waitForTimeout(2000);
  await collect();

  await context.close();
  return { tracked, results, errors, injected, beaconsLost, unseen };
}

/** Prints one run's table; returns how many orders never arrived. */
function summarize(transport, { tracked, results, errors, injected, beaconsLost, unseen }) {
  const copies = new Map();
  for (const e of receiver.events) {
    const key = e.event === 'order' ? e.record.order_id : String(e.record.product_id);
    copies.set(key, (copies.get(key) ?? 0) + 1);
  }
  const reasonFor = (key) => {
    const dropped = results.find((r) => r.key === key && r.status === 'dropped');
    if (dropped) return `dropped by the SDK: ${dropped.reason}`;
    if (beaconsLost.has(key)) return 'beacon lost to an injected fault (fire-and-forget: unknowable by the SDK)';
    return 'unknown';
  };
  let lostOrders = 0;
  const rows = [];
  for (const event of ['page_view', 'order']) {
    const keys = tracked[event];
    const got = keys.filter((key) => copies.has(key));
    const duplicated = keys.reduce((sum, key) => sum + Math.max(0, (copies.get(key) ?? 0) - 1), 0);
    const lost = keys.filter((key) => !copies.has(key));
    if (event === 'order') lostOrders = lost.length;
    rows.push({ event, tracked: keys.length, delivered: got.length, duplicated, dropped: lost.length });
    for (const key of lost) rows.push({ detail: `  ${event} ${key}: ${reasonFor(key)}` });
  }
  const byCode = {};
  for (const e of errors) {
    const code = `${e.code}${e.event ? ` (${e.event})` : ''}`;
    byCode[code] = (byCode[code] ?? 0) + 1;
  }
  const extra = [...copies.values()].reduce((sum, count) => sum + count - 1, 0);
  const afterUnseen = unseen.filter((key) => (copies.get(key) ?? 0) > 1).length;

  console.log('');
  console.log(`transport ${transport}`);
  console.log('event       tracked  delivered  duplicated  dropped');
  for (const row of rows) {
    if (row.detail) console.log(row.detail);
    else
      console.log(
        `${row.event.padEnd(10)} ${String(row.tracked).padStart(8)} ${String(row.delivered).padStart(10)} ${String(row.duplicated).padStart(11)} ${String(row.dropped).padStart(8)}`,
      );
  }
  console.log(
    `requests to the receiver: ${Object.values(injected).reduce((a, b) => a + b, 0)} (${Object.entries(injected)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')})`,
  );
  console.log(
    `onError seen by the pages: ${
      Object.keys(byCode).length
        ? Object.entries(byCode)
            .map(([k, v]) => `${k} x${v}`)
            .join(', ')
        : 'none'
    }`,
  );
  console.log(
    `duplicates: ${extra}, each a copy with the same data; ${afterUnseen} after an answer the page never saw (injected), ` +
      `${extra - afterUnseen} from unloads (keepalive fetch in flight or refused by the unloading page: fate unknown, resent)`,
  );
  return lostOrders;
}
