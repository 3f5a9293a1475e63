/**
 * Tabs of one browser sharing the outbox, in real Chromium against the local
 * receiver (issue 24):
 * - item 1: a tab whose localStorage is full never moves, nor loses, another
 *   tab's queued orders;
 * - item 5: two or three tabs taking the entries a closed tab left, at the
 *   same moment, send each exactly once, also when each order's claim was
 *   already recorded by the tab that closed.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { openSdkPage, useBrowserRig } from './helpers/hooks.js';
import type { SdkWindow } from './helpers/sdk-window.js';

const browserRig = useBrowserRig();
const isOrder = (event: ReceivedEvent): event is ReceivedEventOf<'order'> => event.event === 'order';
const items = [{ product_id: 'p1', quantity: 1 }];

/** Answers 503 to every order request while `outage.on` holds; lets them through to the receiver after. */
async function withOutage(context: BrowserContext): Promise<{ on: boolean }> {
  const outage = { on: true };
  await context.route(
    (url) => url.pathname.endsWith('/orderjs'),
    (route) =>
      outage.on
        ? route.fulfill({ status: 503, headers: { 'Access-Control-Allow-Origin': '*' }, body: 'down' })
        : route.continue(),
  );
  return outage;
}

/** How many times the receiver got each order id. */
function arrivals(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of browserRig.rig.receiver.events.filter(isOrder)) {
    const id = event.record.order_id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Makes `window.client` on an SDK page (fast retries, its errors kept as `window.errors`). */
async function startClient(page: Page): Promise<void> {
  await page.evaluate(() => {
    const { sdk, SYMBIOSYS_CONFIG } = window as unknown as SdkWindow;
    const errors: string[] = [];
    const client = new sdk.SymbiosysClient({
      ...SYMBIOSYS_CONFIG,
      retryBaseMs: 100,
      onError: (e) => errors.push(e.code),
    });
    Object.assign(window, { client, errors });
  });
}

const errorsOf = (page: Page) => page.evaluate(() => (window as unknown as { errors: string[] }).errors);

describe('a tab whose localStorage is full (issue 24, item 1)', () => {
  it(
    "leaves the other tab's queued orders where they are: all five arrive, and no tab reports a loss",
    { timeout: 60_000 },
    async () => {
      const context = await browserRig.newContext();
      const outage = await withOutage(context);
      const run = `full-${Date.now()}`;
      const ids = Array.from({ length: 5 }, (_, i) => `${run}-a${i}`);

      const a = await context.newPage();
      await openSdkPage(a, browserRig.rig.site.url);
      await startClient(a);
      const queued = await a.evaluate(async (orderIds) => {
        const { client } = window as unknown as { client: SdkWindow['sdk']['SymbiosysClient']['prototype'] };
        const results = await Promise.all(
          orderIds.map((id) => client.track('order', { order_id: id, items: [{ product_id: 'p1', quantity: 1 }] })),
        );
        return results.map((r) => r.status);
      }, ids);
      expect(queued).toEqual(ids.map(() => 'queued'));

      const b = await context.newPage();
      await openSdkPage(b, browserRig.rig.site.url);
      const filled = await b.evaluate(() => {
        // Fills localStorage to its quota, with ever smaller values, as a page's own data can.
        let size = 1 << 20;
        let n = 0;
        while (size >= 16) {
          try {
            localStorage.setItem(`fill-${n++}`, 'x'.repeat(size));
          } catch {
            size >>= 1;
          }
        }
        return n;
      });
      expect(filled).toBeGreaterThan(1);
      await startClient(b);
      await b.evaluate(
        (order) =>
          (window as unknown as { client: { track: (e: string, i: unknown) => Promise<unknown> } }).client.track(
            'order',
            order,
          ),
        { order_id: `${run}-b`, items },
      );

      outage.on = false;
      await b.close();
      await expect.poll(() => ids.map((id) => arrivals().get(id) ?? 0), { timeout: 20_000 }).toEqual(ids.map(() => 1));
      expect(await errorsOf(a)).toEqual([]);
    },
  );
});

describe('three tabs taking what a closed tab left (issue 24, item 5)', () => {
  /** What a tab that tracked `count` orders during an outage, then died, leaves in localStorage: claims recorded, leases run out. */
  async function leftByClosedTab(context: BrowserContext, run: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${run}-${i}`);
    const dying = await context.newPage();
    await openSdkPage(dying, browserRig.rig.site.url);
    const left = await dying.evaluate(async (orderIds) => {
      const { sdk, SYMBIOSYS_CONFIG } = window as unknown as SdkWindow;
      const client = new sdk.SymbiosysClient({ ...SYMBIOSYS_CONFIG, retryBaseMs: 600_000 });
      await Promise.all(
        orderIds.map((id) => client.track('order', { order_id: id, items: [{ product_id: 'p1', quantity: 1 }] })),
      );
      // It dies: nothing is handed to a beacon on its way out (a closing page's beacons escape the test's outage).
      navigator.sendBeacon = () => false;
      return Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key) ?? '']));
    }, ids);
    await dying.close();
    // As a tab that died without a pagehide leaves them: each entry's lease has run out.
    const page = await context.newPage();
    await page.goto(`${browserRig.rig.site.url}/fixtures/blank.html`);
    await page.evaluate((items) => {
      localStorage.clear();
      for (const [key, value] of Object.entries(items)) {
        const entry = key.startsWith('_sym_outbox:') ? { ...(JSON.parse(value) as object), lease: 0 } : undefined;
        localStorage.setItem(key, entry ? JSON.stringify(entry) : value);
      }
    }, left);
    await page.close();
    expect(Object.keys(left).filter((key) => key.startsWith('_sym_outbox:'))).toHaveLength(count);
    expect(Object.keys(left).filter((key) => key.startsWith('_sym_orders:'))).toHaveLength(count);
    return ids;
  }

  it('each of 30 orders arrives exactly once, in each of 4 runs', { timeout: 150_000 }, async () => {
    for (let run = 0; run < 4; run++) {
      browserRig.rig.receiver.clear();
      const context = await browserRig.newContext();
      const outage = await withOutage(context);
      const ids = await leftByClosedTab(context, `taken-${Date.now()}-${run}`, 30);
      outage.on = false;
      const tabs = await Promise.all([0, 1, 2].map(() => context.newPage()));
      for (const tab of tabs) {
        await openSdkPage(tab, browserRig.rig.site.url);
        // Each tab starts its client (which takes what waits) on the same broadcast.
        await tab.evaluate(() => {
          new BroadcastChannel('start').onmessage = () => {
            const { sdk, SYMBIOSYS_CONFIG } = window as unknown as SdkWindow;
            Object.assign(window, { client: new sdk.SymbiosysClient(SYMBIOSYS_CONFIG) });
          };
        });
      }
      // A channel's message reaches every other channel of the name, the sending tab's own listener included.
      await tabs[0]!.evaluate(() => new BroadcastChannel('start').postMessage('go'));
      await expect.poll(() => ids.every((id) => arrivals().has(id)), { timeout: 20_000 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // Room for a copy, had one been sent.
      expect(
        ids.map((id) => arrivals().get(id)),
        `run ${run}`,
      ).toEqual(ids.map(() => 1));
      await context.close();
    }
  });
});
