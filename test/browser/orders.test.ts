/**
 * Orders in real Chromium (test/browser/fixtures/state-thank-you.html, which
 * tracks `?order=<id>` on every load): an order id is sent once per browser,
 * whatever the reloads and tabs, and the repeats say so in their result.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';

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
    // Remembered in localStorage (`_sym_orders`), not in a cookie sent to the shop.
    expect(await page.evaluate(() => localStorage.getItem('_sym_orders'))).toContain(orderId);
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
