#!/usr/bin/env node
// `npm run bench:hash`: what SHA-256 of PII costs, per implementation, in Node and in headless
// Chromium: microseconds to hash the eight short strings an order's customer gives (median of
// rounds of 2,000 calls, after warm-up). The figures chose the hashes the SDK uses: node:crypto's
// one-shot hash() on the server (src/server/hash.ts), js-sha256's core over TextEncoder bytes in
// the browser (src/browser/hash.ts). Prints figures; asserts nothing.
import * as crypto from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, ensureBuilt, loadRig } from './rig.mjs';

const STRINGS = ['jane.doe@example.com', '16505551212', '+16505551212', 'jane', 'doe', '10001', 'newyork', 'ny'];
const ROUNDS = 15;
const CALLS = 2000;

/** Median µs per hashing of the eight strings; runs in Node and, serialized, in the page. */
function timeHash(hash, strings, rounds, calls) {
  let sink = 0;
  const perRound = [];
  for (let round = -3; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) for (const text of strings) sink += hash(text).length;
    if (round >= 0) perRound.push(((performance.now() - start) * 1000) / calls);
  }
  if (sink === 0) throw new Error('no hash');
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(perRound.length / 2)];
}

/** js-sha256 as a module for `platform`: its core for the browser, its node:crypto wrapper for Node. */
async function jsSha256For(platform) {
  const result = await build({
    stdin: { contents: "export { sha256 } from 'js-sha256';", resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: platform === 'browser' ? 'iife' : 'esm',
    globalName: 'jsSha256',
    platform,
    write: false,
  });
  return result.outputFiles[0].text;
}

async function nodeFigures() {
  const core = await import(
    `data:text/javascript;base64,${Buffer.from(await jsSha256For('neutral')).toString('base64')}`
  );
  const nodePath = await import(
    `data:text/javascript;base64,${Buffer.from(await jsSha256For('node')).toString('base64')}`
  );
  const encoder = new TextEncoder();
  const candidates = [
    ["node:crypto hash('sha256') one-shot (the SDK's, where present)", (t) => crypto.hash('sha256', t, 'hex')],
    [
      "node:crypto createHash('sha256') (the fallback)",
      (t) => crypto.createHash('sha256').update(t, 'utf8').digest('hex'),
    ],
    ["js-sha256's Node path (wraps createHash)", (t) => nodePath.sha256(t)],
    ['js-sha256 core, TextEncoder bytes', (t) => core.sha256(encoder.encode(t))],
    ['js-sha256 core, string', (t) => core.sha256(t)],
  ];
  return candidates.map(([label, hash]) => [label, timeHash(hash, STRINGS, ROUNDS, CALLS)]);
}

async function chromiumFigures() {
  ensureBuilt(() => undefined);
  const { launchBrowser } = await loadRig();
  const [browserHash, core] = await Promise.all([
    build({
      entryPoints: [join(ROOT, 'src', 'browser', 'hash.ts')],
      bundle: true,
      format: 'iife',
      globalName: 'sdkHash',
      platform: 'browser',
      write: false,
    }),
    jsSha256For('browser'),
  ]);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>hash bench</title>');
    await page.addScriptTag({ content: browserHash.outputFiles[0].text });
    await page.addScriptTag({ content: core });
    return await page.evaluate(
      ({ timeHashSource, strings, rounds, calls }) => {
        const timeHash = new Function(`return (${timeHashSource})`)();
        return [
          [
            "the SDK's sha256Hex (js-sha256 core; TextEncoder bytes only for surrogates)",
            timeHash(window.sdkHash.sha256Hex, strings, rounds, calls),
          ],
          ['js-sha256 core, string', timeHash((t) => window.jsSha256.sha256(t), strings, rounds, calls)],
        ];
      },
      { timeHashSource: timeHash.toString(), strings: STRINGS, rounds: ROUNDS, calls: CALLS },
    );
  } finally {
    await browser.close();
  }
}

const print = (title, rows) => {
  console.log(`\n${title}: µs per 8 short strings (median of ${ROUNDS} rounds of ${CALLS})`);
  for (const [label, us] of rows) console.log(`  ${label.padEnd(64)} ${us.toFixed(2).padStart(7)}`);
};
print(`Node ${process.version}`, await nodeFigures());
print('Chromium (headless)', await chromiumFigures());
