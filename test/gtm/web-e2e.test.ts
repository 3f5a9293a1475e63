/**
 * The web template in real Chromium, as a GTM container runs it: its code on
 * the page, the built tag script injected from its default (pinned) URL, the
 * SDK sending to the local receiver. A page view, then a GA4 purchase from
 * the data layer; and GTM's consent state followed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from '../browser/helpers/hooks.js';
import { DIST_DIR } from '../browser/helpers/paths.js';
import { pinnedScriptUrl } from '../../scripts/tag-snippet.mjs';
import { grants, parseTemplate } from './runner/tpl.js';

const browserRig = useBrowserRig();
const template = parseTemplate(readFileSync(new URL('../../gtm/web/template.tpl', import.meta.url), 'utf8'));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const DEFAULT_SCRIPT_URL = pinnedScriptUrl(version);
const SHOP = () => `${browserRig.rig.site.url}/fixtures/blank.html`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let runtime: string;
beforeAll(async () => {
  const result = await build({
    entryPoints: [new URL('./runner/browser-runtime.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  });
  runtime = result.outputFiles[0]?.text ?? '';
});

/** A shop page with the GTM runtime, where the pinned tag script URL serves this build. */
async function shopPage(consent?: Record<string, 'granted' | 'denied'>): Promise<Page> {
  const context = await browserRig.newContext();
  const tagScript = readFileSync(`${DIST_DIR}/symbiosys.tag.js`);
  await context.route(DEFAULT_SCRIPT_URL, (route) =>
    route.fulfill({ body: tagScript, contentType: 'text/javascript', headers: { 'access-control-allow-origin': '*' } }),
  );
  const page = await context.newPage();
  // A page the rig's server serves: one Playwright made up would count as public, and Chromium keeps
  // public pages from the receiver on loopback.
  await page.goto(SHOP());
  await page.evaluate(() => (window.dataLayer = []));
  await page.addScriptTag({ content: runtime });
  if (consent) await page.evaluate((state) => window.gtmRuntime.consent(state), consent);
  return page;
}

declare global {
  interface Window {
    gtmRuntime: {
      run(
        code: string,
        data: Record<string, unknown>,
        grants: Array<[string, Record<string, unknown>]>,
      ): Promise<string>;
      consent(state: Record<string, 'granted' | 'denied'>): void;
    };
    dataLayer: unknown[];
  }
}

/** Fires the tag once with `data`; its outcome: 'success' or 'failure'. */
function fire(page: Page, data: Record<string, unknown>): Promise<string> {
  const base = { apiKey: 'test-key', endpoint: browserRig.rig.receiver.url };
  const args: [string, Record<string, unknown>, Array<[string, Record<string, unknown>]>] = [
    template.code,
    { ...base, ...data },
    [...grants(template)],
  ];
  return page.evaluate(([code, tagData, tagGrants]) => window.gtmRuntime.run(code, tagData, tagGrants), args);
}

const isView = (event: { event: string }): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';
const isOrder = (event: { event: string }): event is ReceivedEventOf<'order'> => event.event === 'order';

describe('the web template in Chromium', () => {
  it('sends a page view, then a GA4 purchase from the data layer, through the injected tag script', async () => {
    const page = await shopPage();
    const { receiver } = browserRig.rig;
    expect(await fire(page, { eventType: 'page_view', productId: '170830', brand: 'nike' })).toBe('success');
    const view = await receiver.waitFor(isView);
    expect(view.record).toMatchObject({ product_id: '170830', brand: 'nike' });
    expect(view.pageUrl).toBe(SHOP());

    await page.evaluate(() =>
      window.dataLayer.push({
        event: 'purchase',
        ecommerce: {
          transaction_id: 'T-1001',
          items: [
            { item_id: 'SKU-1', item_brand: 'nike', price: 8, discount: 2, quantity: 2 },
            { item_id: 'SKU-2', price: 10.5 },
          ],
        },
      }),
    );
    const customerData = { email: ' Jane@Example.com', address: { first_name: 'Jane', country: 'US' } };
    expect(await fire(page, { eventType: 'order', customerData })).toBe('success');
    const order = await receiver.waitFor(isOrder);
    expect(order.record).toMatchObject({
      order_id: 'T-1001',
      visitor_id: view.record.visitor_id,
      session_id: view.record.session_id,
      hashed_email: sha256('jane@example.com'),
      hashed_first_name: sha256('jane'),
      items: [
        { product_id: 'SKU-1', brand: 'nike', quantity: 2, regular_unit_price: 10, discount_unit_price: 8 },
        { product_id: 'SKU-2', quantity: 1, regular_unit_price: 10.5 },
      ],
    });
    // Injected once: the second tag found the script there.
    expect(await page.evaluate(() => document.querySelectorAll('script[src*="symbiosys.tag.js"]').length)).toBe(1);
  });

  it('waits while ad_storage is denied, sends once granted, and sends no person without ad_user_data', async () => {
    const page = await shopPage({ ad_storage: 'denied', ad_user_data: 'denied' });
    const { receiver } = browserRig.rig;
    await page.evaluate(() =>
      window.dataLayer.push({ ecommerce: { transaction_id: 'T-2', items: [{ item_id: 'A', price: 1 }] } }),
    );
    expect(await fire(page, { eventType: 'order', customerData: { email: 'jane@example.com' } })).toBe('success');
    await page.waitForTimeout(300);
    expect(receiver.events).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    await page.evaluate(() => window.gtmRuntime.consent({ ad_storage: 'granted' }));
    const order = await receiver.waitFor(isOrder);
    expect(order.record.order_id).toBe('T-2');
    expect(order.record.hashed_email).toBeUndefined();
    expect(await page.evaluate(() => document.cookie)).toContain('_sym_vid=');
  });
});
