/**
 * Which host each environment × region configuration sends to, in real
 * Chromium. Requests to the real Symbiosys hosts are intercepted in the
 * browser and answered by the local receiver: none leaves the machine (the
 * rig aborts, and fails the test on, any other non-local request).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openSdkPage, useBrowserRig } from './helpers/hooks.js';
import type { SdkWindow } from './helpers/sdk-window.js';

const browserRig = useBrowserRig();

interface Hit {
  host: string;
  path: string;
  method: string;
}

/** Answers the vendor's hosts from the local receiver, keeping what was asked. */
async function interceptVendorHosts(context: BrowserContext, origin: string): Promise<Hit[]> {
  const hits: Hit[] = [];
  const { receiver } = browserRig.rig;
  for (const pattern of ['https://*.symbiosys.ai/**', 'https://*.symbiosys.dev/**']) {
    await context.route(pattern, async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      hits.push({ host: url.host, path: url.pathname, method: request.method() });
      const answer = await fetch(`${receiver.url}${url.pathname}${url.search}`, { method: request.method() });
      await route.fulfill({
        status: answer.status,
        body: await answer.text(),
        headers: {
          'content-type': 'application/json',
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
        },
      });
    });
  }
  return hits;
}

/** The SDK's page in a new context whose requests to the vendor's hosts are intercepted: the page, and what they were asked. */
async function sdkPageOnVendorHosts(): Promise<{ page: Page; hits: Hit[] }> {
  const { site } = browserRig.rig;
  const context = await browserRig.newContext();
  const hits = await interceptVendorHosts(context, site.url);
  const page = await context.newPage();
  await openSdkPage(page, site.url);
  return { page, hits };
}

const CASES = [
  { options: {}, host: 'event.symbiosys.ai' },
  { options: { environment: 'production', region: 'us' }, host: 'event.symbiosys.ai' },
  { options: { environment: 'production', region: 'eu' }, host: 'eu.event.symbiosys.ai' },
  { options: { environment: 'development', region: 'us' }, host: 'event.symbiosys.dev' },
  { options: { environment: 'development', region: 'eu' }, host: 'event.symbiosys.dev' },
] as const;

describe('host selection', () => {
  it.each(CASES)('$options sends page views (beacon) and orders (fetch) to $host', async ({ options, host }) => {
    const { receiver } = browserRig.rig;
    const { page, hits } = await sdkPageOnVendorHosts();
    const results = await page.evaluate(async (options) => {
      const client = new (window as unknown as SdkWindow).sdk.SymbiosysClient({ apiKey: 'test-key', ...options });
      return [
        await client.track('page_view', { product_id: '170830' }),
        await client.track('order', { order_id: '1', items: [{ product_id: '170830', quantity: 1 }] }),
      ];
    }, options);
    expect(results.map((r: { status: string }) => r.status)).toEqual(['sent', 'sent']);
    await expect.poll(() => receiver.events.length).toBe(2);
    // Two requests in flight at once may be intercepted in either order.
    expect(hits.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { host, path: '/orderjs', method: 'GET' },
      { host, path: '/page_viewjs', method: 'POST' }, // A URL-only beacon is a POST.
    ]);
    expect(receiver.events.map((event) => `${event.event} ${event.via}`).sort()).toEqual([
      'order GET',
      'page_view beacon',
    ]);
  });

  it('an endpoint wins over environment and region: nothing goes to the vendor hosts', async () => {
    const { receiver } = browserRig.rig;
    const { page, hits } = await sdkPageOnVendorHosts();
    const status = await page.evaluate(async (endpoint) => {
      const client = new (window as unknown as SdkWindow).sdk.SymbiosysClient({
        apiKey: 'test-key',
        environment: 'development',
        region: 'eu',
        endpoint: `${endpoint}/`,
      });
      return (await client.track('order', { order_id: '2', items: [{ product_id: '170830', quantity: 1 }] })).status;
    }, receiver.url);
    expect(status).toBe('sent');
    expect(hits).toEqual([]);
    expect(receiver.events.map((event) => [event.event, event.via, event.path])).toEqual([
      ['order', 'GET', '/orderjs'],
    ]);
  });
});
