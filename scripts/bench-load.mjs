// The page-load part of `npm run bench`: what including the SDK costs every
// page, as main-thread CPU from the script tag to a ready client (the
// script's parse, compile and evaluation, then `init` reading its storage and
// taking what earlier pages left), beside a bare script of the same bytes (a
// comment: the browser's own cost of loading that many bytes). Each load is a
// navigation in one tab, so the storage `init` reads is a returning visitor's
// and the script is in the browser's caches, as on a shop's second page.
//
// Each page marks `load:start` in an inline script just before the tag, and
// `load:ready` in a task queued `settleMs` after `init` returned, so the work
// `init` left for later tasks (its pick-up of waiting entries under a Web
// Lock) is counted; the bare page waits the same.

/** The pages, keyed by path: the SDK's and the bare one, each loading a script of `bytes` bytes. */
export function loadPages({ sdk, apiKey, endpoint, settleMs }) {
  const bare = `/*${'x'.repeat(Math.max(0, sdk.length - 4))}*/`;
  const page = (src, init) =>
    '<!doctype html><meta charset="utf-8"><title>load</title>' +
    `<script>performance.mark('load:start')</script><script src="${src}"></script>` +
    `<script>${init}setTimeout(() => performance.mark('load:ready'), ${settleMs});</script>`;
  const config = JSON.stringify({ apiKey, endpoint });
  return {
    '/load/sdk.html': ['text/html; charset=utf-8', page('/load/sdk.js', `sdk.init(${config});`)],
    '/load/bare.html': ['text/html; charset=utf-8', page('/load/bare.js', '')],
    '/load/sdk.js': ['text/javascript; charset=utf-8', sdk],
    '/load/bare.js': ['text/javascript; charset=utf-8', bare],
  };
}

/**
 * The main-thread CPU (µs, thread clock) of the tasks that run between each
 * `load:start` mark and the `load:ready` mark that follows it, in the
 * renderer that set them. The task that sets `load:start` (the HTML parser's,
 * which also commits the navigation) is left out on both sides: the script
 * tag's work starts in the tasks after it.
 */
function spansCpu(trace) {
  const { traceEvents: events } = JSON.parse(trace.toString('utf8'));
  const marks = events
    .filter((e) => (e.name === 'load:start' || e.name === 'load:ready') && e.cat.includes('blink.user_timing'))
    .sort((a, b) => a.ts - b.ts);
  const tasks = events.filter(
    (e) => e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && e.tdur !== undefined,
  );
  const spans = [];
  for (let i = 0; i + 1 < marks.length; i++) {
    const [start, ready] = [marks[i], marks[i + 1]];
    if (start.name !== 'load:start' || ready.name !== 'load:ready' || start.pid !== ready.pid) continue;
    let cpu = 0;
    let outerEnd = -Infinity;
    const own = tasks
      .filter((t) => t.pid === start.pid && t.tid === start.tid && t.ts > start.ts && t.ts + t.dur < ready.ts)
      .sort((a, b) => a.ts - b.ts);
    for (const task of own) {
      const end = task.ts + task.dur;
      if (end <= outerEnd) continue; // Nested in a task already counted.
      outerEnd = end;
      cpu += task.tdur;
    }
    spans.push(cpu);
  }
  return spans;
}

/**
 * Loads the SDK page and the bare page `loads` times each, in turns, after a
 * few warm-up loads, tracing the main thread; returns the CPU per load.
 */
export async function benchPageLoad({ browser, siteUrl, loads, traceCategories }) {
  // A context of its own: the storage `init` reads is a returning visitor's, not what the call bench left.
  const context = await browser.newContext();
  const page = await context.newPage();
  const load = async (kind) => {
    await page.goto(`${siteUrl}/load/${kind}.html`);
    await page.waitForFunction(() => performance.getEntriesByName('load:ready').length > 0);
  };
  for (let i = 0; i < 5; i++) for (const kind of ['sdk', 'bare']) await load(kind);
  const cpu = { sdk: [], bare: [] };
  const round = 10;
  for (let done = 0; done < loads; done += round) {
    // One trace per kind and round, so each span is known to be of its kind.
    for (const kind of done % (2 * round) === 0 ? ['sdk', 'bare'] : ['bare', 'sdk']) {
      await browser.startTracing(page, { categories: traceCategories });
      for (let i = 0; i < Math.min(round, loads - done); i++) await load(kind);
      cpu[kind].push(...spansCpu(await browser.stopTracing()));
    }
  }
  await context.close();
  return cpu;
}
