/**
 * The README's tag loader snippet (scripts/tag-snippet.mjs, the same text) in
 * Chromium, with the tag script held back 2 s: the calls made before it
 * arrived reach the receiver in order, each with its own time and page URL,
 * and the stub's promises resolve with the real results. The `integrity`
 * attribute is enforced: a script that does not match it never runs, and the
 * stub's promises then reject with one error, said once on the console.
 *
 * Then the snippet exactly as README.md prints it, pinned URL and hash
 * included (only the URL's host is pointed at the local server), with this
 * repository's dist/symbiosys.tag.js: its calls reach the receiver. Changing
 * the README's snippet or the built file alone fails it; `npm run snippet`
 * makes them match again.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loaderSnippet, pinnedScriptUrl, readmeSnippet, subresourceIntegrity } from '../../scripts/tag-snippet.mjs';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';
import { DIST_DIR, REPO_ROOT } from './helpers/paths.js';

const SCRIPT_DELAY_MS = 2000;
const tagScript = () => readFileSync(join(DIST_DIR, 'symbiosys.tag.js'));
/** When the held-back script was answered, per test. */
let scriptServedAt = 0;
/** The script is answered no sooner than 2 s after it was asked for, and only once the test lets it go. */
let letScriptGo: () => void = () => undefined;
let scriptMayGo = Promise.resolve();
function holdScript(): void {
  scriptServedAt = 0;
  scriptMayGo = new Promise((resolve) => (letScriptGo = resolve));
}

/** The calls a page makes before the script can have arrived, one a client-side route change later. */
const PAGE_CALLS = `
  window.keptStub = Symbiosys;
  Symbiosys.track('page_view', { product_id: '170830' });
  Symbiosys.init(window.SYMBIOSYS_CONFIG);
  Symbiosys.reset();
  setTimeout(function () {
    history.pushState(null, '', '?step=2');
    Symbiosys.identify({ email: 'Loader.User@Example.com' });
    Symbiosys.track('page_view', { product_id: '238443' });
    Symbiosys.track('order', {
      order_id: 'loader-1',
      items: [{ product_id: '238443', quantity: 1, regular_unit_price: 10 }],
    }).then(function (result) {
      window.orderResult = result;
    });
    window.callsMade = true;
  }, 300);
`;

/** A page whose head loads the tag through `snippet` and whose body then runs `calls`. */
function page(snippet: string, calls: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>tag loader</title>
    <script src="/config.js"></script>
    ${snippet}
  </head>
  <body>
    <script>${calls}</script>
  </body>
</html>`;
}

const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const README_SNIPPET = readmeSnippet(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
const PINNED = new URL(pinnedScriptUrl(version));
const STALE = "README.md's tag snippet does not match dist/symbiosys.tag.js: run `npm run snippet`";
/** What the CDN answers for the pinned script (the README test's), per test. */
let cdnScript = tagScript;

/** The calls a page's tags make through the README's snippet, and how each stub promise settled. */
const README_CALLS = `
  window.settled = [];
  function note(name, promise) {
    promise.then(
      function (value) { window.settled.push({ name: name, status: (value && value.status) || 'resolved' }); },
      function (error) { window.settled.push({ name: name, error: error.message }); }
    );
  }
  note('track', Symbiosys.track('page_view', { product_id: '170830' }));
  note('init', Symbiosys.init(window.SYMBIOSYS_CONFIG));
  note('track', Symbiosys.track('order', {
    order_id: 'readme-1',
    items: [{ product_id: '170830', quantity: 1, regular_unit_price: 10 }],
  }));
`;

const browserRig = useBrowserRig({
  site: {
    handle: (_request, response, url) => {
      if (url.pathname === '/readme/page.html') {
        // Pasted as it is; only the CDN's host becomes the local server's (another origin, as a CDN is).
        const snippet = README_SNIPPET!.replace(PINNED.origin, browserRig.rig.site.otherOriginUrl);
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
        response.end(page(snippet, README_CALLS));
        return true;
      }
      if (url.pathname === PINNED.pathname) {
        response.writeHead(200, {
          'Content-Type': 'text/javascript',
          'Cache-Control': 'no-cache',
          'Access-Control-Allow-Origin': '*',
        });
        response.end(cdnScript());
        return true;
      }
      if (url.pathname === '/loader/page.html') {
        const integrity = url.searchParams.has('tampered')
          ? subresourceIntegrity(Buffer.from('something else'))
          : subresourceIntegrity(tagScript());
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
        response.end(page(loaderSnippet({ src: '/loader/symbiosys.tag.js', integrity }), PAGE_CALLS));
        return true;
      }
      if (url.pathname === '/loader/symbiosys.tag.js') {
        // A slow CDN: the page's calls all happen before the script exists.
        const delay = new Promise((resolve) => setTimeout(resolve, SCRIPT_DELAY_MS));
        void Promise.all([delay, scriptMayGo]).then(() => {
          scriptServedAt = Date.now();
          response.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-cache' });
          response.end(tagScript());
        });
        return true;
      }
      return false;
    },
  },
});

const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';
const isOrder = (event: ReceivedEvent): event is ReceivedEventOf<'order'> => event.event === 'order';
type StubWindow = {
  Symbiosys: { q?: unknown[]; SymbiosysClient?: unknown };
  keptStub: { track: (event: string, input: object) => Promise<{ status: string }> };
  callsMade?: boolean;
  orderResult?: unknown;
};

describe('the tag loader snippet, with the script held back 2 s', () => {
  it('replays the calls made before the script arrived, in order, with their own time and page URL', async () => {
    const { receiver, site } = browserRig.rig;
    const tab = await browserRig.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    holdScript();
    // Not until `load`: a script the page is still loading holds that event back.
    await tab.goto(`${site.url}/loader/page.html`, { waitUntil: 'domcontentloaded' });
    await tab.waitForFunction(() => (window as unknown as StubWindow).callsMade === true);

    // Still the stub: what it queued, as [method, time, page].
    const queued = await tab.evaluate(() =>
      ((window as unknown as StubWindow).Symbiosys.q ?? []).map((call) => {
        const [name, , at, url] = call as [string, unknown, number, string];
        return { name, at, url };
      }),
    );
    expect(scriptServedAt, 'the script must not have arrived yet').toBe(0);
    letScriptGo();
    const first = `${site.url}/loader/page.html`;
    const second = `${first}?step=2`;
    expect(queued.map(({ name, url }) => [name, url])).toEqual([
      ['track', first],
      ['init', first],
      ['reset', first],
      ['identify', second],
      ['track', second],
      ['track', second],
    ]);

    const order = await receiver.waitFor(isOrder, SCRIPT_DELAY_MS + 5000);
    await expect.poll(() => receiver.events.filter(isPageView).length).toBe(2);
    const views = receiver.events.filter(isPageView);
    expect(views.map((view) => [view.record.product_id, view.record.page_view_ts, view.pageUrl])).toEqual([
      ['170830', queued[0]!.at, first],
      ['238443', queued[4]!.at, second],
    ]);
    expect([order.record.order_id, order.record.order_ts, order.pageUrl]).toEqual(['loader-1', queued[5]!.at, second]);
    // The identify queued before it applies to it.
    expect(order.record.hashed_email).toBe(createHash('sha256').update('loader.user@example.com').digest('hex'));
    // Original times, not replay times: every call was made before the script was served (the first about 2 s before).
    for (const { at } of queued) expect(at).toBeLessThan(scriptServedAt);
    expect(scriptServedAt - queued[0]!.at).toBeGreaterThan(SCRIPT_DELAY_MS / 2);

    // The stub's promise resolved with the real result; the real API replaced the stub.
    await expect
      .poll(() => tab.evaluate(() => (window as unknown as StubWindow).orderResult))
      .toMatchObject({ event: 'order', status: 'sent' });
    expect(await tab.evaluate(() => typeof (window as unknown as StubWindow).Symbiosys.SymbiosysClient)).toBe(
      'function',
    );
    // Code that kept the stub still reaches the SDK.
    const late = await tab.evaluate(() =>
      (window as unknown as StubWindow).keptStub.track('page_view', { product_id: '310552' }),
    );
    expect(late).toMatchObject({ status: 'sent' });
    await expect
      .poll(() => receiver.events.filter(isPageView).map((view) => view.record.product_id))
      .toEqual(['170830', '238443', '310552']);
    expect(pageErrors).toEqual([]);
  });

  it('a script that does not match the integrity hash never runs', async () => {
    const { receiver, site } = browserRig.rig;
    const tab = await browserRig.newPage();
    const consoleErrors: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    holdScript();
    letScriptGo();
    await tab.goto(`${site.url}/loader/page.html?tampered`, { waitUntil: 'domcontentloaded' });
    await expect.poll(() => scriptServedAt, { timeout: SCRIPT_DELAY_MS + 5000 }).toBeGreaterThan(0);
    await expect.poll(() => consoleErrors.join('\n')).toMatch(/integrity/i);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await tab.evaluate(() => Array.isArray((window as unknown as StubWindow).Symbiosys.q))).toBe(true);
    expect(receiver.events).toEqual([]);
  });
});

type Settled = { name: string; status?: string; error?: string };
const settledCalls = (tab: Page) => tab.evaluate(() => (window as unknown as { settled?: Settled[] }).settled ?? []);

describe("README.md's tag loader snippet, pasted into a page", () => {
  it('is there, pinned to the version in package.json', () => {
    expect(README_SNIPPET, 'README.md has a tag loader snippet').toBeDefined();
    expect(README_SNIPPET).toContain(`'${PINNED.href}'`);
  });

  it("sends the stub's calls through this repository's dist/symbiosys.tag.js, from another origin", async () => {
    const { receiver, site } = browserRig.rig;
    cdnScript = tagScript;
    const tab = await browserRig.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    await tab.goto(`${site.url}/readme/page.html`);
    await expect.poll(async () => (await settledCalls(tab)).length, { timeout: 5000 }).toBe(3);
    // A refused script rejects every call: the README's hash is not the built file's.
    expect(
      (await settledCalls(tab)).filter((call) => call.error !== undefined),
      STALE,
    ).toEqual([]);
    expect(await settledCalls(tab)).toEqual(
      expect.arrayContaining([
        { name: 'init', status: 'resolved' },
        { name: 'track', status: 'sent' },
      ]),
    );
    const order = await receiver.waitFor(isOrder);
    expect(order.record.order_id).toBe('readme-1');
    await expect
      .poll(() => receiver.events.filter(isPageView).map((view) => view.record.product_id))
      .toEqual(['170830']);
    expect(pageErrors).toEqual([]);
  });

  it('carries the integrity hash of the dist/symbiosys.tag.js this repository builds', () => {
    const integrity = /'(sha384-[A-Za-z0-9+/=]+)'\);\n<\/script>$/.exec(README_SNIPPET ?? '')?.[1];
    expect(integrity, STALE).toBe(subresourceIntegrity(tagScript()));
  });

  const failures: Array<[string, (tab: Page) => Promise<unknown>]> = [
    ['an ad blocker refuses it', (tab) => tab.route('**/symbiosys.tag.js', (route) => route.abort('blockedbyclient'))],
    [
      'the file does not match its integrity hash',
      () => {
        cdnScript = () => Buffer.concat([tagScript(), Buffer.from('\n')]);
        return Promise.resolve();
      },
    ],
    ['the network fails', (tab) => tab.route('**/symbiosys.tag.js', (route) => route.abort('internetdisconnected'))],
  ];
  it.each(failures)(
    'when %s, every stub promise rejects with one error, said once on the console',
    async (_case, breakScript) => {
      const { receiver, site } = browserRig.rig;
      cdnScript = tagScript;
      const tab = await browserRig.newPage();
      const lines: string[] = [];
      const pageErrors: string[] = [];
      tab.on('console', (message) => lines.push(message.text()));
      tab.on('pageerror', (error) => pageErrors.push(error.message));
      await breakScript(tab);
      await tab.goto(`${site.url}/readme/page.html`);
      await expect.poll(async () => (await settledCalls(tab)).length, { timeout: 5000 }).toBe(3);
      const settled = await settledCalls(tab);
      expect(settled.map((call) => call.name)).toEqual(['track', 'init', 'track']);
      for (const call of settled)
        expect(call.error).toMatch(/^\[symbiosys\] .*symbiosys\.tag\.js did not run \(.*\): nothing is sent\.$/);
      // A call made afterwards is refused at once, with the same error.
      const late = await tab.evaluate(() =>
        (window as unknown as { Symbiosys: { track: (event: string) => Promise<unknown> } }).Symbiosys.track(
          'page_view',
        ).then(
          () => 'resolved',
          (error: unknown) => (error as Error).message,
        ),
      );
      expect(late).toBe(settled[0]!.error);
      expect(lines.filter((line) => line.includes('[symbiosys]'))).toEqual([settled[0]!.error]);
      expect(pageErrors).toEqual([]);
      expect(receiver.events).toEqual([]);
    },
  );
});
