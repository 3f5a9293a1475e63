/**
 * An event tracked right before the page navigates away (to another origin,
 * without awaiting `track`) still reaches the receiver: by beacon, and by a
 * keepalive fetch, for a page view and for an order.
 *
 * On loopback a request is answered before the page is torn down, so any
 * fetch would pass. The SDK therefore talks to the receiver through a proxy
 * that holds every request until the old page is provably gone: a plain
 * fetch (no keepalive), in flight at the proxy before the page leaves, is
 * cancelled by the teardown, and the proxy sees its client hang up. Only then
 * does the gate open. No step waits for a guessed duration, so a busy machine
 * makes the tests slower, never wrong.
 */
import type { Page } from 'playwright-core';
import type { OrderInput, PageViewInput } from '../../src/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSdkPage, useBrowserRig } from './helpers/hooks.js';
import type { SdkWindow } from './helpers/sdk-window.js';
import { startHoldingProxy } from './helpers/holding-proxy.js';
import type { HoldingProxy } from './helpers/holding-proxy.js';

const browserRig = useBrowserRig();

let proxy: HoldingProxy;
beforeAll(async () => {
  proxy = await startHoldingProxy(browserRig.rig.receiver.url);
});
beforeEach(() => {
  proxy.hold();
});
afterAll(async () => {
  await proxy.close();
});

const INPUTS: { page_view: PageViewInput; order: OrderInput } = {
  page_view: { product_id: '170830', brand: 'nike' },
  order: { order_id: 'leaving-1', items: [{ product_id: '170830', quantity: 1, regular_unit_price: 10 }] },
};

/** Runs `evaluate` (a `page.evaluate`) and follows the navigation it starts. */
async function leaveWith(page: Page, away: string, evaluate: () => Promise<unknown>): Promise<void> {
  await Promise.all([
    page.waitForURL(away),
    evaluate().catch((error: unknown) => {
      // The navigation may win the race with evaluate's answer; anything else is a real failure.
      if (!(error instanceof Error && /context was destroyed|navigat/i.test(error.message))) throw error;
    }),
  ]);
}

/**
 * Starts a plain fetch (no keepalive) to the proxy and waits until the proxy
 * holds it: once the page has left, its hang-up is the sign that the old page
 * was torn down (pagehide ran, its ordinary requests were cancelled).
 */
async function plainFetchInFlight(page: Page, name: string): Promise<RegExp> {
  const path = `/page_viewjs?api_key=test-key&ts=${Date.now()}&vid=${name}&sid=1`;
  await page.evaluate((url) => {
    void fetch(url).catch(() => undefined);
  }, `${proxy.url}${path}`);
  const pattern = new RegExp(`^GET /page_viewjs\\?.*vid=${name}&`);
  await proxy.waitForArrival(pattern);
  return pattern;
}

/**
 * The SDK's page, with a plain fetch named `name` held at the proxy
 * (`teardown`, see `plainFetchInFlight`), and where it is about to go:
 * another origin (localhost, not 127.0.0.1), so the SDK's page is gone for
 * good, with `left` in the query.
 */
async function sdkPageAboutToLeave(name: string, left: number) {
  const { site } = browserRig.rig;
  const page = await browserRig.newPage();
  await openSdkPage(page, site.url);
  const teardown = await plainFetchInFlight(page, name);
  return { page, teardown, away: `${site.otherOriginUrl}/fixtures/sdk.html?left=${left}` };
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
    const { page, teardown, away } = await sdkPageAboutToLeave('teardown', 1);
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
    await proxy.waitForHangUp(teardown);
    // The old page is gone, and with it whatever it would still send (a second copy from pagehide included).
    proxy.release();

    const received = await receiver.waitFor((e) => e.event === event, 5000);
    // A second copy was sent before the teardown; give it the time to cross the loopback before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(proxy.arrived.filter((line) => !teardown.test(line))).toHaveLength(1);
    expect(receiver.events.map((e) => e.via)).toEqual([via]);
    expect(received.pageUrl).toBe(`${site.url}/fixtures/sdk.html`);
    expect(received.record).toMatchObject(
      event === 'order' ? { order_id: 'leaving-1', items: [{ product_id: '170830', quantity: 1 }] } : INPUTS.page_view,
    );
  });

  it('control: a plain fetch (no keepalive) in flight as the page leaves is cancelled and never arrives', async () => {
    const { receiver } = browserRig.rig;
    const { page, teardown: plain, away } = await sdkPageAboutToLeave('plain', 2);
    await leaveWith(page, away, () =>
      page.evaluate((away) => {
        location.href = away;
      }, away),
    );
    await proxy.waitForHangUp(plain);
    proxy.release();
    expect(proxy.dropped).toEqual([expect.stringMatching(plain)]);
    expect(receiver.requests).toEqual([]);
  });
});
