/**
 * A page whose `Object.prototype` was polluted (a vulnerable query-string
 * parser elsewhere on the page sets `endpoint`, `debug`, `visitorId`) must
 * not redirect the SDK's events, with the API key and the hashes, nor turn on
 * its console, nor give it a visitor id: options are read from the caller's
 * own properties only. In real Chromium, through the ESM build's `init` and
 * `SymbiosysClient` and the tag script's `Symbiosys.init`.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openSdkPage, useBrowserRig } from './helpers/hooks.js';
import type { SdkWindow } from './helpers/sdk-window.js';

const browserRig = useBrowserRig();
const EVIL = 'https://evil.example';
const PLANTED_VISITOR = 'e'.repeat(45);

interface Hit {
  origin: string;
  path: string;
  vid: string | null;
}

/** Answers the vendor's EU host and the attacker's host, keeping what was asked of each. */
async function intercept(context: BrowserContext): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const pattern of ['https://eu.event.symbiosys.ai/**', `${EVIL}/**`]) {
    await context.route(pattern, async (route) => {
      const url = new URL(route.request().url());
      hits.push({ origin: url.origin, path: url.pathname, vid: url.searchParams.get('vid') });
      await route.fulfill({ status: 200, body: '{}', headers: { 'access-control-allow-origin': '*' } });
    });
  }
  return hits;
}

/** Pollutes the page's Object.prototype as a vulnerable parser would (enumerable, as `a[b]=c` writes it). */
async function pollute(page: Page): Promise<void> {
  await page.evaluate(
    ({ evil, visitor }) => {
      const proto = Object.prototype as Record<string, unknown>;
      proto.endpoint = evil;
      proto.debug = true;
      proto.visitorId = visitor;
    },
    { evil: EVIL, visitor: PLANTED_VISITOR },
  );
}

const ORDER = { order_id: 'pp-1', items: [{ product_id: '170830', quantity: 1 }] };

describe('a polluted Object.prototype', () => {
  it.each(['init', 'SymbiosysClient'] as const)(
    'the ESM build (%s) still sends to the configured host, with its own ids, and logs nothing',
    async (entry) => {
      const context = await browserRig.newContext();
      const hits = await intercept(context);
      const page = await context.newPage();
      const logged: string[] = [];
      page.on('console', (message) => logged.push(message.text()));
      await openSdkPage(page, browserRig.rig.site.url);
      await pollute(page);
      const statuses = await page.evaluate(
        async ({ entry, order }) => {
          const { sdk } = window as unknown as SdkWindow;
          const options = { apiKey: 'test-key', region: 'eu' } as const;
          const client = entry === 'init' ? sdk.init(options) : new sdk.SymbiosysClient(options);
          const results = [
            await client.track('page_view', { product_id: '170830' }),
            await client.track('order', order),
          ];
          await client.flush();
          return results.map((result) => result.status);
        },
        { entry, order: ORDER },
      );
      expect(statuses).toEqual(['sent', 'sent']);
      await expect.poll(() => hits.length).toBe(2);
      expect(hits.map((hit) => hit.origin)).toEqual(['https://eu.event.symbiosys.ai', 'https://eu.event.symbiosys.ai']);
      expect(hits.map((hit) => hit.vid)).not.toContain(PLANTED_VISITOR);
      expect(logged.filter((line) => line.startsWith('[symbiosys]'))).toEqual([]);
    },
  );

  it("the tag script's Symbiosys.init still sends to the configured host", async () => {
    const context = await browserRig.newContext();
    const hits = await intercept(context);
    const page = await context.newPage();
    await page.goto(`${browserRig.rig.site.url}/fixtures/blank.html`);
    await page.addScriptTag({ url: '/dist/symbiosys.tag.js' });
    await pollute(page);
    const status = await page.evaluate(async (order) => {
      const tag = (window as unknown as { Symbiosys: SdkWindow['sdk'] }).Symbiosys;
      tag.init({ apiKey: 'test-key', region: 'eu' });
      return (await tag.track('order', order)).status;
    }, ORDER);
    expect(status).toBe('sent');
    expect(hits.map((hit) => [hit.origin, hit.path])).toEqual([['https://eu.event.symbiosys.ai', '/orderjs']]);
    expect(hits[0]?.vid).not.toBe(PLANTED_VISITOR);
  });
});
