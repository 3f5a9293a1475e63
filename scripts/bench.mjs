#!/usr/bin/env node
// `npm run bench`: the main-thread cost of one `track` call in headless Chromium,
// measured in the page: (a) a page view of a signed-in user, (b) an order with
// 10 items and a customer's raw PII, and, for scale, SHA-256 of eight short
// strings with the SDK's own hash. Prints median, p95 and mean in µs; asserts nothing.
//   npm run bench [-- --runs 3000 --warmup 300]
import { build } from 'esbuild';
import { join } from 'node:path';
import { ensureBuilt, loadRig, ROOT } from './rig.mjs';
import { benchInPage } from './bench-page.mjs';

const TIMEOUT_MS = 180_000;

function flag(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const runs = flag('runs', 3000);
const warmup = flag('warmup', 300);

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    mean: times.reduce((s, t) => s + t, 0) / times.length,
  };
}

async function piiBundle() {
  // The SDK's hashing, as the browser entry uses it, exposed as window.SymbiosysPii.
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'pii', 'index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'SymbiosysPii',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
  });
  return result.outputFiles[0].text;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="importmap">{ "imports": { "js-sha256": "/node_modules/js-sha256/src/index.mjs" } }</script>
<script src="/bench/pii.js"></script>
<script type="module">import * as sdk from '/dist/index.js'; window.sdk = sdk;</script>`;

async function main() {
  setTimeout(() => {
    console.error(`bench: timed out after ${TIMEOUT_MS / 1000} s`);
    process.exit(1);
  }, TIMEOUT_MS).unref();
  ensureBuilt();
  const [{ startStaticServer, launchBrowser }, pii] = await Promise.all([loadRig(), piiBundle()]);

  // One origin for the page and a sink standing in for the Event API: a 200 at once, no-cache
  // (never no-store: Chromium then keeps each keepalive request's bytes against its 64 KB budget).
  const sunk = { page_view: 0, order: 0, ref: 0, urlLength: { page_view: 0, order: 0 } };
  let site;
  site = await startStaticServer({
    // Cross-origin isolation gives performance.now() 5 µs steps instead of 100 µs.
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    handle: (request, response, url) => {
      const isolation = {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-cache',
      };
      if (url.pathname === '/page_viewjs' || url.pathname === '/orderjs' || url.pathname === '/ref') {
        const kind = url.pathname === '/orderjs' ? 'order' : url.pathname === '/ref' ? 'ref' : 'page_view';
        sunk[kind] += 1;
        if (kind !== 'ref') sunk.urlLength[kind] = Math.max(sunk.urlLength[kind], `${site.url}${request.url}`.length);
        request.resume();
        response.writeHead(200, { 'Content-Type': 'application/json', ...isolation }).end('{"ok":true}');
        return true;
      }
      if (url.pathname === '/bench/sunk') {
        response.writeHead(200, { 'Content-Type': 'application/json', ...isolation }).end(JSON.stringify(sunk));
        return true;
      }
      if (url.pathname === '/bench/' || url.pathname === '/bench/pii.js') {
        const [type, body] =
          url.pathname === '/bench/' ? ['text/html; charset=utf-8', PAGE] : ['text/javascript; charset=utf-8', pii];
        response.writeHead(200, { 'Content-Type': type, ...isolation }).end(body);
        return true;
      }
      return false;
    },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${site.url}/bench/`);
    await page.waitForFunction(() => 'sdk' in window && 'SymbiosysPii' in window);
    console.log(`Measuring ${runs} calls of each (after ${warmup} warm-up calls) in headless Chromium…`);
    const result = await page.evaluate(benchInPage, { runs, warmup, origin: site.url });

    const rows = [
      ["track('page_view'), signed-in user", result.pageView],
      ["track('order'), 10 items + customer PII", result.order],
      ['sha256Hex of 8 short strings (reference)', result.hashing],
      [`sendBeacon(${result.urlLength.page_view}-char URL) alone (ref.)`, result.beaconAlone],
      [`fetch(${result.urlLength.order}-char URL, keepalive) alone (ref.)`, result.fetchAlone],
      ["track('page_view'), network stubbed: SDK's own", result.ownWork.pageView],
      ["track('order'), network stubbed: SDK's own", result.ownWork.order],
    ].map(([label, { times, outcomes }]) => ({ label, ...stats(times), outcomes }));
    const reference = rows[2].median;
    const browserName = result.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium';
    console.log(`\nMain-thread time of one call, synchronous part (µs), ${browserName}, ${runs} calls`);
    console.log(
      `performance.now() step: ${result.resolutionUs.toFixed(1)} µs (cross-origin isolated: ${result.isolated})\n`,
    );
    const head = `${'call'.padEnd(46)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'mean'.padStart(8)} ${'× hash ref'.padStart(11)}`;
    console.log(head);
    console.log('-'.repeat(head.length));
    for (const row of rows) {
      const cells = [row.median, row.p95, row.mean].map((v) => v.toFixed(1).padStart(8));
      console.log(`${row.label.padEnd(46)} ${cells.join(' ')} ${(row.median / reference).toFixed(1).padStart(10)}×`);
    }
    console.log('\nWhat became of the measured events:');
    for (const row of rows.slice(0, 2)) {
      console.log(
        `  ${row.label}: ${Object.entries(row.outcomes)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
      );
    }
    // Give the last beacons a moment, then count what the sink got (warm-up calls included).
    await new Promise((resolve) => setTimeout(resolve, 500));
    console.log(
      `  The sink answered ${sunk.page_view} page views and ${sunk.order} orders of ${runs + warmup} each (warm-up included).`,
    );
  } finally {
    await browser.close();
    await site.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
