/**
 * Delivery in real Chromium against the local receiver: orders tracked
 * offline survive a reload and arrive once when the network returns; events
 * tracked just before navigating away still arrive; a full queue drops the
 * right events, says so, and leaves the page working.
 */
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReceivedEvent } from '../../src/receiver/index.js';
import { QUEUE_FULL } from '../helpers/queue-full.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './helpers/chromium.js';
import { startRig, type Rig } from './helpers/rig.js';

/**
 * The rig's receiver and site, with our own Chromium: reloading while
 * offline needs the test to serve the page (Chromium cannot fetch it), and a
 * page served that way counts as public, so Local Network Access would then
 * block its requests to the loopback receiver. Real sites are not on
 * loopback, so the check is switched off rather than the scenario changed.
 */
const browserRig = (() => {
  let browser: Browser | undefined;
  let rig: Rig | undefined;
  let contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [browser, rig] = await Promise.all([
      chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'],
      }),
      startRig(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), rig?.close()]);
  });
  beforeEach(() => rig?.receiver.clear());
  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
  });
  return {
    get rig(): Rig {
      return rig!;
    },
    async newContext(): Promise<BrowserContext> {
      const context = await browser!.newContext();
      contexts.push(context);
      return context;
    },
    async newPage(): Promise<Page> {
      return (await this.newContext()).newPage();
    },
  };
})();
const fixture = (query = '') => `${browserRig.rig.site.url}/fixtures/delivery.html${query}`;

const order = (id: string) => ({ order_id: id, items: [{ product_id: 'p1', quantity: 1, regular_unit_price: 5 }] });

type Results = Array<{ key: string; event: string; status: string; reason?: string }>;
type Errors = Array<{ code: string; event?: string }>;

declare global {
  interface Window {
    track(event: string, input?: unknown): Promise<unknown>;
    results: Results;
    errors: Errors;
  }
}

/** Order ids (or product ids for page views) as the receiver got them, with how often. */
function counts(events: readonly ReceivedEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    const key = e.event === 'order' ? e.record.order_id : String(e.record.product_id);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** The pages are served by the test while offline (Chromium cannot load them then); the receiver stays unreachable. */
async function serveWhileOffline(context: BrowserContext): Promise<void> {
  const site = browserRig.rig.site.url;
  const cache = new Map<string, { body: Buffer; contentType: string }>();
  await context.route(`${site}/**`, async (route) => {
    const url = route.request().url();
    let hit = cache.get(url);
    if (!hit) {
      const response = await fetch(url);
      hit = {
        body: Buffer.from(await response.arrayBuffer()),
        contentType: response.headers.get('content-type') ?? 'text/html',
      };
      cache.set(url, hit);
    }
    await route.fulfill({ status: 200, body: hit.body, contentType: hit.contentType });
  });
}

async function track(page: Page, event: 'order' | 'page_view', input?: unknown) {
  return page.evaluate(([e, i]) => window.track(e as string, i), [event, input] as const);
}

/** Runs in the page: the outbox entries in localStorage (one `_sym_outbox:<id>` key each), oldest first. */
function outboxEntries(): Array<{ orderId?: string; createdAt: number; id: string }> {
  return Object.keys(localStorage)
    .filter((key) => key.startsWith('_sym_outbox:'))
    .map((key) => JSON.parse(localStorage.getItem(key)!) as { orderId?: string; createdAt: number; id: string })
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

describe('offline, reload, online', () => {
  it('5 orders tracked offline survive a reload still offline and arrive exactly once', async () => {
    const context = await browserRig.newContext();
    await serveWhileOffline(context);
    const page = await context.newPage();
    const { receiver } = browserRig.rig;
    await page.goto(fixture('?retryBaseMs=200'));
    await context.setOffline(true);
    const ids = ['off-1', 'off-2', 'off-3', 'off-4', 'off-5'];
    for (const id of ids) await track(page, 'order', order(id));
    expect(await page.evaluate(() => window.results)).toEqual(
      ids.map((key) => ({ key, event: 'order', status: 'queued', reason: 'offline' })),
    );

    await page.reload(); // Still offline.
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    const stored = await page.evaluate(outboxEntries);
    expect(stored.map((e) => e.orderId)).toEqual(ids);
    expect(receiver.requests).toEqual([]);

    await context.setOffline(false);
    await expect.poll(() => receiver.events.length, { timeout: 10_000 }).toBe(5);
    await page.waitForTimeout(500); // Room for a duplicate that must not come.
    expect(counts(receiver.events)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    expect(receiver.events.every((e) => e.via === 'GET')).toBe(true); // By fetch: confirmed.
    await expect.poll(() => page.evaluate(outboxEntries)).toEqual([]);
    expect(await page.evaluate(() => window.errors)).toEqual([]);
  });
});

describe('navigating away at once', () => {
  it('a page view (beacon) and an order (keepalive fetch) tracked just before leaving both arrive', async () => {
    const page = await browserRig.newPage();
    const { receiver } = browserRig.rig;
    await page.goto(fixture());
    // Tracked and gone in the same task: no await between track and the navigation.
    await page.evaluate(() => {
      void window.track('page_view', { product_id: 'leaving' });
      void window.track('order', { order_id: 'leaving-1', items: [{ product_id: 'p1', quantity: 1 }] });
      (document.getElementById('away') as HTMLAnchorElement).click();
    });
    await page.waitForURL(/blank\.html$/);
    await expect.poll(() => counts(receiver.events)['leaving-1'] ?? 0, { timeout: 5000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500); // Let a second copy land, if one comes.
    const views = receiver.events.filter((e) => e.event === 'page_view');
    const orders = receiver.events.filter((e) => e.event === 'order');
    expect(views.map((e) => [e.record.product_id, e.via])).toEqual([['leaving', 'beacon']]);
    // The keepalive GET reaches the server, but Chromium may reject it in the
    // unloading page ("Failed to fetch"): its fate unknown, the SDK beacons it
    // too. At least once, never lost, every copy the same data to de-duplicate.
    expect(orders[0]!.via).toBe('GET');
    expect(orders.length).toBeLessThanOrEqual(2);
    for (const copy of orders) expect(copy.record).toEqual(orders[0]!.record);
  });

  it('an order tracked while a 503 holds it back is beaconed on leaving and resent once on the next load', async () => {
    const context = await browserRig.newContext();
    const { receiver } = browserRig.rig;
    let refused = 0;
    await context.route(`${receiver.url}/orderjs*`, (route) => {
      if (route.request().method() === 'GET' && refused++ === 0)
        return route.fulfill({ status: 503, headers: { 'access-control-allow-origin': '*' } });
      return route.continue();
    });
    const page = await context.newPage();
    await page.goto(fixture('?retryBaseMs=60000'));
    await track(page, 'order', order('held-1'));
    expect(await page.evaluate(() => window.results)).toEqual([
      { key: 'held-1', event: 'order', status: 'queued', reason: 'retrying' },
    ]);
    await page.goto(`${browserRig.rig.site.url}/fixtures/blank.html`);
    const beaconed = await receiver.waitFor((e) => e.event === 'order');
    expect(beaconed.via).toBe('beacon');
    await page.goto(fixture()); // The next load resends it by fetch, unconfirmed as it was.
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(2);
    await page.waitForTimeout(300);
    expect(receiver.events.map((e) => [e.event === 'order' ? e.record.order_id : '', e.via])).toEqual([
      ['held-1', 'beacon'],
      ['held-1', 'GET'],
    ]);
    // Same data both times: the server can de-duplicate.
    expect(receiver.events[1]!.record).toEqual(receiver.events[0]!.record);
    await expect.poll(() => page.evaluate(outboxEntries)).toEqual([]);
  });
});

describe('a full queue', () => {
  it('drops page views first, oldest first, then the oldest order, reports each, and the page keeps working', async () => {
    const context = await browserRig.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const { receiver } = browserRig.rig;
    await page.goto(fixture(`?maxQueueSize=${QUEUE_FULL.maxQueueSize}`));
    await context.setOffline(true);
    for (const [event, key] of QUEUE_FULL.steps) {
      await track(page, event, event === 'order' ? order(key) : { product_id: key });
    }
    expect((await page.evaluate(() => window.results)).map((r) => r.status)).toEqual(QUEUE_FULL.statuses);
    expect(await page.evaluate(() => window.errors)).toEqual(QUEUE_FULL.dropped);
    // The page still responds.
    await page.click('#count');
    await page.click('#count');
    expect(await page.textContent('#count')).toBe('2');

    await context.setOffline(false);
    await expect.poll(() => receiver.events.length, { timeout: 10_000 }).toBe(3);
    await page.waitForTimeout(300);
    expect(counts(receiver.events)).toEqual(Object.fromEntries(QUEUE_FULL.kept.map((key) => [key, 1])));
    expect(pageErrors).toEqual([]);
  });
});
