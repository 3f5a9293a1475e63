#!/usr/bin/env node
// `npm run bench:profile`: where a `track` call's main-thread time goes, for
// work on its cost. The bench page (`bench-page.mjs`), with the SDK
// unminified so functions keep their names, then:
//
// 1. totals: each scenario's CPU per call as `npm run bench` counts it
//    (median), the SDK's and its floors' beside ablations: the SDK without
//    localStorage or without Web Locks, and a bare fetch plus one browser API
//    the order path uses (a storage write, a lock, a timer, an AbortSignal);
// 2. tasks: the renderer's main-thread tasks per call by what runs in them
//    (timers, mojo messages: storage replies and the network), the SDK's call
//    beside its floor;
// 3. self time: a sampling profile of the SDK's calls, per function. The
//    profiler slows what it samples: compare functions, not totals.
//
//   npm run bench:profile [-- --event order|page_view --calls 200 --scenarios 'idle,sdk order,…' --skip totals,tasks,profile --tasks 'sdk order,fetch order' --top 40]
import { build } from 'esbuild';
import { captureUrls, runCalls, setUpBench } from './bench-page.mjs';
import { TRACE_CATEGORIES, windowCpu } from './bench-trace.mjs';
import { cliFlag, ensureBuilt, loadRig, ROOT, runMain } from './rig.mjs';

const calls = cliFlag('calls', 200);
const event = cliFlag('event', 'order');
const skip = cliFlag('skip', '').split(',');
const top = cliFlag('top', 40);
const ROUND = 40;
const GAP_MS = 25;
const TAIL_MS = 1500;
const ORDER_SCENARIOS = [
  'idle',
  'sdk order',
  'sdk order, memory storage',
  'sdk order, no Web Locks',
  'fetch order',
  'sendBeacon order',
  'fetch + AbortSignal',
  'fetch + timer',
  'fetch + raced deadline',
  'fetch + lock',
  'fetch + setItem',
  'fetch + setItem, removeItem',
  'fetch + as the SDK stores',
];
const scenarios = cliFlag('scenarios', '').split(',').filter(Boolean);
if (scenarios.length === 0)
  scenarios.push(...(event === 'order' ? ORDER_SCENARIOS : ['idle', 'sdk page_view', 'sendBeacon page_view']));

/** The browser entry, unminified, as `window.sdk`. */
async function sdkBundle() {
  const stdin = { contents: "export * from './dist/index.js';", resolveDir: ROOT, loader: 'js' };
  const options = { stdin, bundle: true, format: 'iife', globalName: 'sdk', platform: 'browser', target: 'es2020' };
  return (await build({ ...options, write: false })).outputFiles[0].text;
}

/** Runs in the page: the SDK's order from clients without localStorage, or without Web Locks. */
function addSdkVariants() {
  const { profile, items, customer } = window.bench.inputs;
  const client = (storage, locks) => {
    // The claims and the outbox read navigator.locks when they are made.
    if (!locks) Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
    const made = new window.sdk.SymbiosysClient({ apiKey: 'bench-key', endpoint: location.origin, storage });
    if (!locks) delete navigator.locks;
    made.identify(profile);
    return made;
  };
  const run = Date.now();
  for (const [name, made] of [
    ['sdk order, memory storage', client('memory', true)],
    ['sdk order, no Web Locks', client('cookie+localStorage', false)],
  ]) {
    window.bench.scenarios[name] = (i) => made.track('order', { order_id: `${name}-${run}-${i}`, items, customer });
  }
}

/** Runs in the page: the bare keepalive fetch of the SDK's order URL, plus one browser API each. */
function addApiScenarios() {
  const { bench } = window;
  let serial = 2e12;
  let n = 0;
  const url = () => bench.sent.order.replace(/([?&]ts=)\d{13}/, (_, head) => `${head}${serial++}`);
  const get = (u, init = {}) =>
    fetch(u, { keepalive: true, credentials: 'omit', ...init }).then(
      () => undefined,
      () => undefined,
    );
  // An outbox entry's size, and a sent-order record's.
  const entry = (u) => JSON.stringify({ event: 'order', url: u, createdAt: 1, id: 'x', attempts: 1, lease: 1 });
  const record = () => `${Date.now()}|${Date.now()}.000001abcdefgh`;
  Object.assign(bench.scenarios, {
    'fetch + AbortSignal': () => get(url(), { signal: new AbortController().signal }),
    'fetch + timer': () => {
      const timer = setTimeout(() => undefined, 10_000);
      return get(url()).finally(() => clearTimeout(timer));
    },
    'fetch + raced deadline': () => {
      let timer;
      const deadline = new Promise((_, reject) => (timer = setTimeout(reject, 10_000)));
      return Promise.race([get(url()), deadline]).finally(() => clearTimeout(timer));
    },
    'fetch + lock': () => navigator.locks.request('_bench_lock', () => undefined).then(() => get(url())),
    'fetch + setItem': () => {
      localStorage.setItem(`_bench_record:${n++}`, record());
      return get(url());
    },
    'fetch + setItem, removeItem': () => {
      const u = url();
      const key = `_bench_entry:${n++}`;
      localStorage.setItem(key, entry(u));
      return get(u).then(() => localStorage.removeItem(key));
    },
    'fetch + as the SDK stores': () => {
      const u = url();
      const key = `_bench_entry:${n++}`;
      localStorage.setItem(key, entry(u));
      localStorage.setItem(`_bench_record:${n}`, record());
      return get(u).then(() => localStorage.removeItem(key));
    },
  });
}

/** Each scenario's calls in rounds, traced as the bench traces them: median CPU per call. */
async function totals(browser, page) {
  const out = Object.fromEntries(scenarios.map((s) => [s, []]));
  for (let r = 0; r < Math.ceil(calls / ROUND); r++) {
    for (let k = 0; k < scenarios.length; k++) {
      const scenario = scenarios[(k + r) % scenarios.length];
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      await page.evaluate(runCalls, { scenario, calls: ROUND, gapMs: GAP_MS, tailMs: TAIL_MS, first: 5e5 + r * ROUND });
      const { total, tail } = windowCpu(await browser.stopTracing());
      out[scenario].push(...total.map((cpu) => cpu + tail / total.length));
    }
  }
  console.log(`\nCPU per call, median of ${calls} (µs):`);
  for (const [scenario, cpu] of Object.entries(out)) {
    const median = cpu.sort((a, b) => a - b)[Math.floor(cpu.length / 2)];
    console.log(`  ${scenario.padEnd(32)}${median.toFixed(0).padStart(7)}`);
  }
}

/** One round's main-thread tasks, each named by the first few trace events inside it: count and CPU per call. */
async function taskKinds(browser, page, scenario) {
  await browser.startTracing(page, { categories: [...TRACE_CATEGORIES, 'devtools.timeline', 'v8', 'mojom'] });
  await page.evaluate(runCalls, { scenario, calls: ROUND, gapMs: GAP_MS, tailMs: TAIL_MS, first: 9e5 });
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const { pid, tid } = traceEvents.find((e) => e.name === 'bench:call');
  const main = traceEvents.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const isTask = (e) => e.name === 'ThreadControllerImpl::RunTask';
  const inner = main.filter((e) => !isTask(e) && e.name !== 'RunTask');
  const kinds = new Map();
  let k = 0;
  for (const task of main.filter(isTask)) {
    while (k < inner.length && inner[k].ts < task.ts) k++;
    const names = new Set();
    for (let j = k; j < inner.length && inner[j].ts <= task.ts + task.dur && names.size < 4; j++) {
      names.add(inner[j].name);
    }
    const kind = [...names].join(' > ') || '(nothing traced)';
    const sum = kinds.get(kind) ?? { n: 0, cpu: 0 };
    kinds.set(kind, { n: sum.n + 1, cpu: sum.cpu + (task.tdur ?? 0) });
  }
  const all = [...kinds.values()].reduce((a, b) => ({ n: a.n + b.n, cpu: a.cpu + b.cpu }), { n: 0, cpu: 0 });
  console.log(`\n${scenario}: ${(all.n / ROUND).toFixed(1)} tasks, ${(all.cpu / ROUND).toFixed(0)} µs per call`);
  for (const [kind, { n, cpu }] of [...kinds].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 12)) {
    console.log(
      `  ${(n / ROUND).toFixed(1).padStart(5)} ${(cpu / ROUND).toFixed(0).padStart(6)} µs  ${kind.slice(0, 110)}`,
    );
  }
}

/** A sampling profile of `calls` calls: self time per function (µs per call), and per bundle. */
async function selfTimes(page, scenario) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await page.evaluate(runCalls, { scenario, calls, gapMs: GAP_MS, tailMs: 500, first: 7e5 });
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map();
  const where = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id);
    const us = (profile.timeDeltas[i] ?? 0) / calls;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + us);
    const file = url.endsWith('sdk.js') ? 'the SDK' : functionName || '(anonymous)';
    where.set(file, (where.get(file) ?? 0) + us);
  });
  const rank = (map) => [...map].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  console.log(
    `\n${scenario}, sampled self time per call (µs): ${rank(where)
      .slice(0, 8)
      .map(([w, us]) => `${w} ${us.toFixed(0)}`)
      .join(', ')}`,
  );
  for (const [name, us] of rank(self).slice(0, top)) console.log(`  ${us.toFixed(1).padStart(7)}  ${name}`);
}

async function serve(startStaticServer, sdk) {
  const headers = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-cache',
  };
  const answers = {
    '/page_viewjs': ['application/json', '{"ok":true}'],
    '/orderjs': ['application/json', '{"ok":true}'],
    '/bench/': [
      'text/html; charset=utf-8',
      '<!doctype html><meta charset="utf-8"><script src="/bench/sdk.js"></script>',
    ],
    '/bench/sdk.js': ['text/javascript; charset=utf-8', sdk],
  };
  return startStaticServer({
    headers,
    handle: (request, response, url) => {
      const answer = answers[url.pathname];
      if (!answer) return false;
      request.resume();
      response.writeHead(200, { 'Content-Type': answer[0], ...headers }).end(answer[1]);
      return true;
    },
  });
}

async function main() {
  ensureBuilt();
  const [{ startStaticServer, launchBrowser }, sdk] = await Promise.all([loadRig(), sdkBundle()]);
  const site = await serve(startStaticServer, sdk);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${site.url}/bench/`);
    await page.evaluate(setUpBench, { origin: site.url });
    await page.evaluate(captureUrls);
    await page.evaluate(addSdkVariants);
    await page.evaluate(addApiScenarios);
    for (const scenario of scenarios) {
      await page.evaluate(runCalls, { scenario, calls: 30, gapMs: 1, tailMs: 300, first: 1e6 });
    }
    if (!skip.includes('totals')) await totals(browser, page);
    const floor = event === 'order' ? 'fetch order' : 'sendBeacon page_view';
    const traced = cliFlag('tasks', `sdk ${event},${floor}`).split(',');
    if (!skip.includes('tasks')) for (const s of traced) await taskKinds(browser, page, s);
    if (!skip.includes('profile')) await selfTimes(page, `sdk ${event}`);
  } finally {
    await browser.close();
    await site.close();
  }
}

runMain(main);
