/**
 * An event tracked right before the page navigates away (to another origin,
 * without awaiting `track`) still reaches the receiver: by beacon, and by a
 * keepalive fetch, for a page view and for an order.
 *
 * On loopback a request is on the wire before the page is torn down, so any
 * fetch would pass. The SDK therefore talks to the receiver through a slow
 * proxy, and a control shows that a plain fetch, not kept alive, is lost
 * under the same conditions.
 */
import type { Page } from 'playwright-core';
import type { OrderInput, PageViewInput } from '../../src/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSdkPage, useBrowserRig } from './helpers/hooks.js';
import type { SdkWindow } from './helpers/sdk-window.js';
import { startSlowProxy } from './helpers/slow-proxy.js';
import type { SlowProxy } from './helpers/slow-proxy.js';

const browserRig = useBrowserRig();

/** Long enough for the navigation to tear the page down before an answer comes. */
const NETWORK_DELAY_MS = 300;

let proxy: SlowProxy;
beforeAll(async () => {
  proxy = await startSlowProxy(browserRig.rig.receiver.url, NETWORK_DELAY_MS);
});
afterAll(async () => {
  await proxy?.close();
});

const INPUTS: { page_view: PageViewInput; order: OrderInput } = {
  page_view: { product_id: '170830', brand: 'nike' },
  order: { order_id: 'leaving-1', items: [{ product_id: '170830', quantity: 1, regular_unit_price: 10 }] },
};

/** Runs `evaluate` (a `page.evaluate`) and follows the navigation it starts. */
async function leaveWith(page: Page, away: string, evaluate: () => Promise<unknown>): Promise<void> {
  await Promise.all([
    page.waitForURL(away),
    evaluate().catch((error: Error) => {
      // The navigation may win the race with evaluate's answer; anything else is a real failure.
      if (!/context was destroyed|navigat/i.test(error.message)) throw error;
    }),
  ]);
}

const CASES = [
  { transport: 'beacon', event: 'page_view', via: 'beacon' },
  { transport: 'beacon', event: 'order', via: 'beacon' },
  { transport: 'fetch', event: 'page_view', via: 'GET' },
  // The page's keepalive fetch is rejected as the page unloads while the request itself goes on:
  // the SDK must not beacon the order again on pagehide (it keeps it, unconfirmed, for the next load).
  { transport: 'fetch', event: 'order', via: 'GET' },
] as const;

describe('tracking right before leaving the page', () => {
  it.each(CASES)('$transport: a $event fired just before location.href changes arrives ($via)', async (row) => {
    const { transport, event, via } = row;
    const { receiver, site } = browserRig.rig;
    const page = await browserRig.newPage();
    await openSdkPage(page, site.url);
    // Another origin (localhost, not 127.0.0.1): the SDK's page is gone for good.
    const away = `${site.otherOriginUrl}/fixtures/sdk.html?left=1`;
    await leaveWith(page, away, () =>
      page.evaluate(
        ({ transport, event, input, away, endpoint }) => {
          const { sdk, SYMBIOSYS_CONFIG } = window as unknown as SdkWindow;
          const client = new sdk.SymbiosysClient({ ...SYMBIOSYS_CONFIG, endpoint, transport });
          void client.track(event, input); // Not awaited: the page leaves in the same task.
          location.href = away;
        },
        { transport, event, input: INPUTS[event], away, endpoint: proxy.url },
      ),
    );

    const received = await receiver.waitFor((e) => e.event === event, 5000);
    // Stragglers (a second copy) would be in by then.
    await new Promise((resolve) => setTimeout(resolve, NETWORK_DELAY_MS + 300));
    const vias = receiver.events.map((e) => e.via);
    expect(vias).toEqual([via]);
    expect(received.pageUrl).toBe(`${site.url}/fixtures/sdk.html`);
    expect(received.record).toMatchObject(
      event === 'order' ? { order_id: 'leaving-1', items: [{ product_id: '170830', quantity: 1 }] } : INPUTS.page_view,
    );
  });

  it('control: a plain fetch (no keepalive) fired the same way is lost', async () => {
    const { receiver, site } = browserRig.rig;
    const page = await browserRig.newPage();
    await openSdkPage(page, site.url);
    const away = `${site.otherOriginUrl}/fixtures/sdk.html?left=2`;
    const url = `${proxy.url}/page_viewjs?api_key=test-key&ts=${Date.now()}&vid=v&sid=1`;
    await leaveWith(page, away, () =>
      page.evaluate(
        ({ url, away }) => {
          void fetch(url).catch(() => undefined);
          location.href = away;
        },
        { url, away },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, NETWORK_DELAY_MS + 500));
    expect(receiver.requests).toEqual([]);
    expect(proxy.dropped).toContainEqual(expect.stringMatching(/^GET \/page_viewjs\?/));
  });
});
