/**
 * The README's tag loader snippet (scripts/tag-snippet.mjs, the same text) in
 * Chromium, with the tag script held back 2 s: the calls made before it
 * arrived reach the receiver in order, each with its own time and page URL,
 * and the stub's promises resolve with the real results. The `integrity`
 * attribute is enforced: a script that does not match it never runs.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loaderSnippet, subresourceIntegrity } from '../../scripts/tag-snippet.mjs';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';
import { DIST_DIR } from './helpers/paths.js';

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

function page(integrity: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>tag loader</title>
    <script src="/config.js"></script>
    ${loaderSnippet({ src: '/loader/symbiosys.tag.js', integrity })}
  </head>
  <body>
    <script>${PAGE_CALLS}</script>
  </body>
</html>`;
}

const browserRig = useBrowserRig({
  site: {
    handle: (_request, response, url) => {
      if (url.pathname === '/loader/page.html') {
        const integrity = url.searchParams.has('tampered')
          ? subresourceIntegrity(Buffer.from('something else'))
          : subresourceIntegrity(tagScript());
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
        response.end(page(integrity));
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
