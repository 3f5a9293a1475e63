/**
 * Orders in real Chromium (test/browser/fixtures/state-thank-you.html, which
 * tracks `?order=<id>` on every load): an order id is sent once per browser,
 * whatever the reloads and tabs, and the repeats say so in their result;
 * also when two tabs confirm the same orders at the same moment.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { openSdkPage, useBrowserRig } from './helpers/hooks.js';
import type { SdkWindow } from './helpers/sdk-window.js';

const browserRig = useBrowserRig();
const thankYou = (orderId: string) => `${browserRig.rig.site.url}/fixtures/state-thank-you.html?order=${orderId}`;
const isOrder = (event: ReceivedEvent): event is ReceivedEventOf<'order'> => event.event === 'order';
const ordersWithId = (orderId: string) =>
  browserRig.rig.receiver.events.filter(isOrder).filter((event) => event.record.order_id === orderId);
const pageViewCount = () => browserRig.rig.receiver.events.filter((event) => event.event === 'page_view').length;

/** This load's `track('order')` result. */
async function orderResult(
  page: Page,
): Promise<{ status: string; reason?: string; transport?: string; confirmed?: boolean }> {
  const handle = await page.waitForFunction(() => (window as unknown as { orderResult?: unknown }).orderResult);
  return (await handle.jsonValue()) as { status: string; reason?: string };
}

/** Long enough for a second order request, had one been made, to reach the receiver. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('orders', () => {
  it('the thank-you page reloaded three times sends its order once; each reload resolves as a duplicate', async () => {
    const page = await browserRig.newPage();
    const orderId = `r-${Date.now()}`;
    await page.goto(thankYou(orderId));
    expect(await orderResult(page)).toMatchObject({ status: 'sent', transport: 'fetch', confirmed: true });
    await browserRig.rig.receiver.waitFor((event) => isOrder(event) && event.record.order_id === orderId);

    for (let reload = 1; reload <= 3; reload++) {
      await page.reload();
      expect(await orderResult(page), `reload ${reload}`).toMatchObject({ status: 'dropped', reason: 'duplicate' });
      expect(await page.locator('#status').textContent()).toBe('dropped duplicate');
    }
    await quiet();
    expect(ordersWithId(orderId)).toHaveLength(1);
    expect(ordersWithId(orderId)[0]?.record.items).toEqual([
      { product_id: '170830', brand: 'nike', quantity: 1, regular_unit_price: 10, discount_unit_price: 5 },
    ]);
    // The page views of the four loads were all sent: only the order is held back.
    await expect.poll(() => pageViewCount(), { timeout: 5000 }).toBe(4);
    // Remembered in localStorage (`_sym_orders:<id>`), not in a cookie sent to the shop.
    expect(await page.evaluate((id) => localStorage.getItem(`_sym_orders:${id}`), orderId)).not.toBeNull();
    expect((await page.context().cookies()).map((cookie) => cookie.name).sort()).toEqual(['_sym_sid', '_sym_vid']);
  });

  it('another tab of the same browser does not send it again; another order id, or another browser, does send', async () => {
    const context = await browserRig.newContext();
    const orderId = `t-${Date.now()}`;
    const first = await context.newPage();
    await first.goto(thankYou(orderId));
    expect(await orderResult(first)).toMatchObject({ status: 'sent' });

    const tab = await context.newPage();
    await tab.goto(thankYou(orderId));
    expect(await orderResult(tab)).toMatchObject({ status: 'dropped', reason: 'duplicate' });
    await tab.goto(thankYou(`${orderId}-2`));
    expect(await orderResult(tab)).toMatchObject({ status: 'sent' });

    const otherBrowser = await browserRig.newPage();
    await otherBrowser.goto(thankYou(orderId));
    expect(await orderResult(otherBrowser)).toMatchObject({ status: 'sent' });

    await quiet();
    expect(ordersWithId(orderId)).toHaveLength(2); // Once per browser.
    expect(ordersWithId(`${orderId}-2`)).toHaveLength(1);
  });
});

describe('two tabs at the same moment', () => {
  it('each of 40 order ids tracked in two tabs at once is sent once: one tab sends it, the other hears duplicate', async () => {
    const context = await browserRig.newContext();
    const tabs = [await context.newPage(), await context.newPage()];
    const run = `race-${Date.now()}`;
    const ids = Array.from({ length: 40 }, (_, i) => `${run}-${i}`);
    for (const tab of tabs) {
      await openSdkPage(tab, browserRig.rig.site.url);
      // Each tab waits for the same broadcast, then tracks every id without waiting in between.
      await tab.evaluate((orderIds) => {
        const { sdk, SYMBIOSYS_CONFIG } = window as unknown as SdkWindow;
        const client = new sdk.SymbiosysClient(SYMBIOSYS_CONFIG);
        const results = new Promise((resolve) => {
          new BroadcastChannel('race').onmessage = () => {
            const tracked = orderIds.map((id) =>
              client.track('order', { order_id: id, items: [{ product_id: 'p1', quantity: 1 }] }),
            );
            resolve(Promise.all(tracked));
          };
        });
        (window as unknown as { results: unknown }).results = results;
      }, ids);
    }
    const starter = await context.newPage();
    await openSdkPage(starter, browserRig.rig.site.url);
    await starter.evaluate(() => new BroadcastChannel('race').postMessage('go'));

    type Result = { status: string; reason?: string };
    const [a, b] = (await Promise.all(
      tabs.map((tab) => tab.evaluate(() => (window as unknown as { results: Promise<Result[]> }).results)),
    )) as [Result[], Result[]];
    await expect.poll(() => browserRig.rig.receiver.events.filter(isOrder).length).toBeGreaterThanOrEqual(40);
    await quiet();
    expect(ids.map((id) => ordersWithId(id).length)).toEqual(ids.map(() => 1));
    expect(ids.map((_, i) => [a[i]!.status, b[i]!.status].sort())).toEqual(ids.map(() => ['dropped', 'sent']));
    expect([...a, ...b].filter((r) => r.status === 'dropped').map((r) => r.reason)).toEqual(ids.map(() => 'duplicate'));
  });
});
