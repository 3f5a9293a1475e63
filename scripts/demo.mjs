#!/usr/bin/env node
// `npm run demo`: the local receiver and the demo storefront, to see what the
// SDK sends before going live.
//   npm run demo                 serve both until Ctrl-C; shop in your browser, watch the receiver's page
//   npm run demo -- --headless   drive the shop in headless Chromium, print the decoded events,
//                                check each against the contract; exit 0 only if every check passes
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureBuilt, loadRig, ROOT } from './rig.mjs';
import { checkRun, eventTable } from './demo-report.mjs';
import { shop, VISIT } from './demo-shopper.mjs';

const HEADLESS_TIMEOUT_MS = 90_000;
const headless = process.argv.includes('--headless');

function fail(message) {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}

async function main() {
  if (headless) {
    // However it goes wrong (a hung browser, a server that never answers), CI gets an answer.
    setTimeout(() => fail(`timed out after ${HEADLESS_TIMEOUT_MS / 1000} s`), HEADLESS_TIMEOUT_MS).unref();
  }
  ensureBuilt();
  const { startRig, launchBrowser } = await loadRig();
  mkdirSync(join(ROOT, '.receiver'), { recursive: true });
  const file = join(ROOT, '.receiver', headless ? 'demo-headless.ndjson' : 'events.ndjson');
  if (headless) rmSync(file, { force: true }); // This run's events only; the interactive log keeps growing.
  const rig = await startRig({
    receiver: { file, quiet: headless, log: (line) => console.log(`  receiver: ${line}`) },
  });
  const shopUrl = rig.site.url;

  console.log('\nSymbiosys demo');
  console.log(`  Storefront     ${shopUrl}/shop/`);
  console.log(
    `  Receiver page  ${rig.receiver.url}/        (inspector: match scores, warnings, a timeline per visitor)`,
  );
  console.log(`  Events file    ${relative(process.cwd(), file) || file}   (NDJSON, one event a line)`);
  console.log(`  SDK endpoint   ${rig.receiver.url}   (api key "${rig.config.apiKey}")`);

  if (!headless) {
    console.log(
      '\nShop in your browser; each event the SDK sends shows up below and on the receiver page. Ctrl-C stops.\n',
    );
    const stop = async () => {
      await rig.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }

  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    // Everything the page sends to the receiver, as the browser sent it (beacons included).
    const requestUrls = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${rig.receiver.url}/`)) requestUrls.push(request.url());
    });
    const start = Date.now();
    console.log(`\nA shopper visits (headless Chromium): ${VISIT.map((v) => v.step).join(' → ')}`);
    const orderId = await shop(page, shopUrl);
    // The last page view goes by beacon: wait for it, then a moment for stragglers.
    await rig.receiver.waitFor(() => rig.receiver.events.length >= VISIT.length, 10_000).catch(() => undefined);
    await page.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const end = Date.now();

    const events = [...rig.receiver.events];
    console.log(`\nThe receiver decoded ${events.length} events:\n`);
    console.log(eventTable(events));
    const { averageScore, eventsWithWarnings, warnings } = rig.receiver.summary();
    const kinds = Object.entries(warnings).filter(([, count]) => count > 0);
    console.log(
      `\nInspector summary (GET /summary): average match score ${averageScore} / 10, ${eventsWithWarnings} event(s) with warnings${kinds.length ? ` (${kinds.map(([kind, count]) => `${kind} ${count}`).join(', ')})` : ''}`,
    );
    const checks = checkRun({
      events,
      requests: rig.receiver.requests,
      requestUrls,
      shopUrl,
      orderId,
      window: [start, end],
    });
    console.log('\nChecks against the contract:');
    for (const c of checks)
      console.log(`  ${c.ok ? '✓' : '✗'} ${c.name}${!c.ok && c.detail ? `\n      ${c.detail}` : ''}`);
    const failed = checks.filter((c) => !c.ok);
    if (failed.length > 0) fail(`${failed.length} of ${checks.length} checks failed`);
    console.log(`\n✓ All ${checks.length} checks passed. Decoded events: ${relative(process.cwd(), file)}`);
  } finally {
    await browser.close();
    await rig.close();
  }
}

main().then(
  () => {
    if (headless) process.exit(0);
  },
  (error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
