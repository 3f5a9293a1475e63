#!/usr/bin/env node
// `npm run bench`: what one `track` call costs the page's main thread in
// headless Chromium, beside the browser's own cost of sending the same URL
// (a bare `sendBeacon`, and for the order the keepalive `fetch` the SDK uses),
// as ratios. Three figures per call, median and p95:
//
// - sync: wall time until the call returns (performance.now(), 5 µs steps:
//   the page is cross-origin isolated);
// - task: the main thread's CPU time (thread clock, from a trace) of the task
//   that made the call, its microtasks included: what blocked the page;
// - total: the main thread's CPU time from the call's start to the next call
//   `gap` ms later, so whatever the call left for later (the answer, promise
//   callbacks, storage) is counted too; plus an even share of what lands in
//   the `tail` ms after a round's last call (work left for later than the
//   next call: a held lock's release), so it is not charged to whichever
//   scenario runs next.
//
// Then what loading the SDK costs a page (`bench-load.mjs`): main-thread CPU
// from the script tag to a ready client, beside a bare script of the same bytes.
//
// `idle` is the harness alone (a timer task per call, nothing called): the
// `net` ratios take it out of both sides. Scenarios take turns in short
// rounds, so a busy moment on the machine falls on all of them.
//
//   npm run bench [-- --calls 400 --round 40 --gap 25 --tail 1500 --loads 40 --only page_view|order|load]
import { build } from 'esbuild';
import { benchPageLoad, loadPages } from './bench-load.mjs';
import { captureUrls, runCalls, setUpBench, timerStep } from './bench-page.mjs';
import { TRACE_CATEGORIES, windowCpu } from './bench-trace.mjs';
import { cliFlag, ensureBuilt, loadRig, ROOT, runMain } from './rig.mjs';

const TIMEOUT_MS = 600_000;

const calls = cliFlag('calls', 400);
const round = cliFlag('round', 40);
const gapMs = cliFlag('gap', 25);
const tailMs = cliFlag('tail', 1500);
const WARMUP_CALLS = 60;
const loads = cliFlag('loads', 40);
/** How long after `init` a page load's window ends: `init`'s deferred work (its pick-up) lands in it. */
const SETTLE_MS = 100;

const ALL_SCENARIOS = ['idle', 'sdk page_view', 'sendBeacon page_view', 'sdk order', 'fetch order', 'sendBeacon order'];
// `--only page_view` (or `order`): those scenarios and the idle harness, for a quicker look at one event.
const onlyWhat = cliFlag('only', undefined);
const SCENARIOS =
  onlyWhat === undefined ? ALL_SCENARIOS : ALL_SCENARIOS.filter((s) => s === 'idle' || s.endsWith(onlyWhat));

/** Our call and the floors it is held against. */
const COMPARISONS = [
  ['sdk page_view', 'sendBeacon page_view'],
  ['sdk order', 'sendBeacon order'],
  ['sdk order', 'fetch order'],
];

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
}

/** The browser entry as a storefront's bundler ships it (js-sha256 included), as `window.sdk`. */
async function sdkBundle() {
  const result = await build({
    stdin: { contents: "export * from './dist/index.js';", resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'sdk',
    platform: 'browser',
    target: 'es2020',
    write: false,
  });
  return result.outputFiles[0].text;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title><script src="/bench/sdk.js"></script>`;

/** Serves the bench page, the page-load pages and a sink that answers every event at once; counts what it sank. */
async function serve(startStaticServer, sdk) {
  // Cross-origin isolation gives performance.now() 5 µs steps instead of 100 µs. The sink answers
  // at once with no-cache (never no-store: Chromium then keeps each keepalive request's bytes
  // against its 64 KB budget).
  const headers = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-cache',
  };
  const sunk = { page_view: 0, order: 0 };
  const pages = {};
  const site = await startStaticServer({
    headers,
    handle: (request, response, url) => {
      if (url.pathname === '/page_viewjs' || url.pathname === '/orderjs') {
        sunk[url.pathname === '/orderjs' ? 'order' : 'page_view'] += 1;
        request.resume();
        response.writeHead(200, { 'Content-Type': 'application/json', ...headers }).end('{"ok":true}');
        return true;
      }
      const loadPage = pages[url.pathname];
      if (loadPage) {
        response.writeHead(200, { 'Content-Type': loadPage[0], ...headers }).end(loadPage[1]);
        return true;
      }
      if (url.pathname === '/bench/' || url.pathname === '/bench/sdk.js') {
        const [type, body] =
          url.pathname === '/bench/' ? ['text/html; charset=utf-8', PAGE] : ['text/javascript; charset=utf-8', sdk];
        response.writeHead(200, { 'Content-Type': type, ...headers }).end(body);
        return true;
      }
      return false;
    },
  });
  Object.assign(pages, loadPages({ sdk, apiKey: 'bench-key', endpoint: site.url, settleMs: SETTLE_MS }));
  return { site, sunk };
}

/** Runs every scenario's calls in rounds, tracing each round; returns the figures per scenario. */
async function benchCalls(browser, site) {
  const page = await browser.newPage();
  await page.goto(`${site.url}/bench/`);
  await page.waitForFunction(() => 'sdk' in window);
  await page.evaluate(setUpBench, { origin: site.url });
  const urlLength = await page.evaluate(captureUrls);
  const clock = await page.evaluate(timerStep);
  const rounds = Math.ceil(calls / round);
  console.log(
    `${SCENARIOS.length} scenarios × ${rounds * round} calls (rounds of ${round}, ${gapMs} ms apart, ` +
      `${tailMs} ms tail, after ${WARMUP_CALLS} warm-up calls each) in headless Chromium…`,
  );

  for (const scenario of SCENARIOS) {
    await page.evaluate(runCalls, { scenario, calls: WARMUP_CALLS, gapMs: 1, tailMs, first: 1e6 });
  }
  const results = Object.fromEntries(SCENARIOS.map((s) => [s, { sync: [], task: [], total: [], outcomes: {} }]));
  for (let r = 0; r < rounds; r++) {
    // A different order each round: no scenario always follows the same one.
    const order = SCENARIOS.map((_, k) => SCENARIOS[(k + r) % SCENARIOS.length]);
    for (const scenario of order) {
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const { sync, outcomes } = await page.evaluate(runCalls, {
        scenario,
        calls: round,
        gapMs,
        tailMs,
        first: r * round,
      });
      const { total, task, tail } = windowCpu(await browser.stopTracing());
      if (total.length !== sync.length) throw new Error(`${scenario}: ${total.length} windows, ${sync.length} calls`);
      const into = results[scenario];
      into.sync.push(...sync);
      into.task.push(...task);
      into.total.push(...total.map((cpu) => cpu + tail / total.length));
      for (const [key, n] of Object.entries(outcomes)) into.outcomes[key] = (into.outcomes[key] ?? 0) + n;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // The last requests land.
  await page.close();

  return { results, clock, urlLength };
}

/** Prints the call tables: figures per scenario, then the ratios to the floors. */
function printCalls({ results, clock, urlLength }, sunk) {
  const browserName = clock.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium';
  console.log(
    `\n${browserName}; performance.now() step ${clock.stepUs.toFixed(1)} µs (cross-origin isolated: ${clock.isolated}); ` +
      `URLs: page view ${urlLength.page_view}, order ${urlLength.order} characters`,
  );
  const METRICS = ['sync', 'task', 'total'];
  const summary = Object.fromEntries(
    SCENARIOS.map((s) => [s, Object.fromEntries(METRICS.map((m) => [m, stats(results[s][m])]))]),
  );
  const cell = (text, width = 10) => String(text).padStart(width);
  const columns = METRICS.flatMap((m) => [`${m} med`, `${m} p95`]);
  const head = `${'µs per call'.padEnd(42)}${columns.map((c) => cell(c)).join('')}`;
  console.log(`\n${head}\n${'-'.repeat(head.length)}`);
  for (const s of SCENARIOS) {
    const values = METRICS.flatMap((m) => [summary[s][m].median, summary[s][m].p95]);
    console.log(`${s.padEnd(42)}${values.map((v) => cell(v.toFixed(0))).join('')}`);
  }
  const idle = summary.idle.total;
  const net = (figures) => ({ median: figures.median - idle.median, p95: figures.p95 - idle.p95 });
  console.log(`${'ratio to the floor'.padEnd(42)}${[...columns, 'net med', 'net p95'].map((c) => cell(c)).join('')}`);
  for (const [ours, floor] of COMPARISONS.filter((pair) => pair.every((s) => SCENARIOS.includes(s)))) {
    const a = summary[ours];
    const b = summary[floor];
    const pairs = [...METRICS.map((m) => [a[m], b[m]]), [net(a.total), net(b.total)]];
    const ratios = pairs.flatMap(([x, y]) => [x.median / y.median, x.p95 / y.p95]);
    console.log(`${`${ours} / ${floor}`.padEnd(42)}${ratios.map((v) => cell(`${v.toFixed(2)}x`)).join('')}`);
  }
  console.log(
    '\nsync: wall time until the call returned; task: CPU of the task that made the call (with its microtasks);\n' +
      `total: CPU from the call to the next, ${gapMs} ms later, plus a share of the ${tailMs} ms tail; ` +
      `net: total less the idle harness's ` +
      `(${idle.median.toFixed(0)} µs median, ${idle.p95.toFixed(0)} µs p95) on both sides.`,
  );

  console.log('\nWhat became of the measured calls:');
  for (const s of ['sdk page_view', 'sdk order'].filter((s) => SCENARIOS.includes(s))) {
    const outcomes = Object.entries(results[s].outcomes).map(([k, n]) => `${k} ${n}`);
    console.log(`  ${s}: ${outcomes.join(', ')}`);
  }
  console.log(
    `  The sink answered ${sunk.page_view} page views and ${sunk.order} orders (SDK and floors, warm-up included).`,
  );
}

/** Prints the page-load table: CPU per load with the SDK and with the bare script, and their ratio. */
async function printLoads(browser, site) {
  console.log(
    `\nPage load: ${loads} loads each of a page with the SDK (init included) and of one with a bare script of the same bytes…`,
  );
  const cpu = await benchPageLoad({
    browser,
    siteUrl: site.url,
    loads,
    traceCategories: TRACE_CATEGORIES,
  });
  const sdkLoad = stats(cpu.sdk);
  const bareLoad = stats(cpu.bare);
  const cell = (text, width = 10) => String(text).padStart(width);
  console.log(`${'µs per page load'.padEnd(42)}${cell('med')}${cell('p95')}`);
  console.log(
    `${'script tag to a ready client (SDK + init)'.padEnd(42)}${cell(sdkLoad.median.toFixed(0))}${cell(sdkLoad.p95.toFixed(0))}`,
  );
  console.log(
    `${'a bare script of the same bytes'.padEnd(42)}${cell(bareLoad.median.toFixed(0))}${cell(bareLoad.p95.toFixed(0))}`,
  );
  console.log(
    `${'ratio'.padEnd(42)}${cell(`${(sdkLoad.median / bareLoad.median).toFixed(2)}x`)}${cell(`${(sdkLoad.p95 / bareLoad.p95).toFixed(2)}x`)}`,
  );
  console.log(
    `${'difference: what including the SDK costs'.padEnd(42)}${cell((sdkLoad.median - bareLoad.median).toFixed(0))}${cell((sdkLoad.p95 - bareLoad.p95).toFixed(0))}`,
  );
}

async function main() {
  setTimeout(() => {
    console.error(`bench: timed out after ${TIMEOUT_MS / 1000} s`);
    process.exit(1);
  }, TIMEOUT_MS).unref();
  ensureBuilt();
  const [{ startStaticServer, launchBrowser }, sdk] = await Promise.all([loadRig(), sdkBundle()]);
  const { site, sunk } = await serve(startStaticServer, sdk);
  const browser = await launchBrowser();
  try {
    if (onlyWhat !== 'load') printCalls(await benchCalls(browser, site), sunk);
    if (onlyWhat === undefined || onlyWhat === 'load') await printLoads(browser, site);
  } finally {
    await browser.close();
    await site.close();
  }
}

runMain(main);
