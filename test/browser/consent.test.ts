/**
 * Consent in real Chromium (test/browser/fixtures/state-spa.html): `pending`
 * keeps events in memory and writes no cookie or storage; `granted` sends
 * what was kept; `denied` drops it and clears the SDK's storage; Global
 * Privacy Control counts as denied.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';

const browserRig = useBrowserRig();
const fixture = (query = '') => `${browserRig.rig.site.url}/fixtures/state-spa.html${query}`;
const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';

interface FixtureWindow {
  results: Array<{ status: string; reason?: string } | undefined>;
  sym: {
    setConsent(consent: string): void;
    track(event: string, input?: object): Promise<{ status: string; reason?: string }>;
  };
  route(url: string): Promise<unknown>;
}

/** A context whose pages init the SDK with these extra options. */
async function contextWith(options: Record<string, unknown>, initScript?: () => void): Promise<BrowserContext> {
  const context = await browserRig.newContext();
  await context.addInitScript((o) => {
    (window as unknown as { SYM_OPTIONS: unknown }).SYM_OPTIONS = o;
  }, options);
  if (initScript) await context.addInitScript(initScript);
  return context;
}

/** Every track result so far, once there are `count`. */
async function results(page: Page, count: number): Promise<FixtureWindow['results']> {
  await page.waitForFunction((n) => {
    const r = (window as unknown as FixtureWindow).results;
    return r.length >= n && r.every(Boolean);
  }, count);
  return page.evaluate(() => (window as unknown as FixtureWindow).results);
}

/** What the SDK keeps in this browser: its cookies and localStorage keys (`_sym_*`). */
async function sdkStorage(context: BrowserContext, page: Page) {
  const cookies = (await context.cookies()).map((cookie) => cookie.name).sort();
  const local = (await page.evaluate(() => Object.keys(localStorage))).sort();
  return { cookies, local };
}

/** Every request the browser starts towards the receiver: seen when made, not only when arrived. */
function attempts(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(browserRig.rig.receiver.url)) urls.push(request.url());
  });
  return urls;
}

const NOTHING = { cookies: [], local: [] };
/** Long enough for a request, had one been made, to reach the receiver. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('consent', () => {
  it('pending keeps events, writes nothing and sends nothing; granted then sends them, in order', async () => {
    const { receiver } = browserRig.rig;
    const context = await contextWith({ consent: 'pending' });
    const tried = attempts(context);
    const page = await context.newPage();
    await page.goto(fixture('?gclid=pending-click'));
    await page.evaluate(() => (window as unknown as FixtureWindow).route('/fixtures/spa/cart'));
    const kept = await results(page, 2);
    expect(kept).toEqual([
      { event: 'page_view', status: 'queued', reason: 'consent_pending', errors: [] },
      { event: 'page_view', status: 'queued', reason: 'consent_pending', errors: [] },
    ]);
    await quiet();
    expect(tried).toEqual([]);
    expect(receiver.requests).toEqual([]);
    expect(await sdkStorage(context, page)).toEqual(NOTHING);

    const grantedAt = Date.now();
    await page.evaluate(() => (window as unknown as FixtureWindow).sym.setConsent('granted'));
    await expect.poll(() => receiver.events.filter(isPageView).length, { timeout: 5000 }).toBe(2);
    const views = receiver.events.filter(isPageView);
    expect(views.map((view) => view.pageUrl?.replace(browserRig.rig.site.url, ''))).toEqual([
      '/fixtures/state-spa.html?gclid=pending-click',
      '/fixtures/spa/cart',
    ]);
    // Each keeps the time it was tracked at, and the landing's attribution.
    for (const view of views) {
      expect(view.record.page_view_ts).toBeLessThan(grantedAt);
      expect(view.record).toMatchObject({ channel: 'google', channel_click_id: 'pending-click' });
    }
    expect(views[0]!.record.visitor_id).toBe(views[1]!.record.visitor_id);
    const stored = await sdkStorage(context, page);
    expect(stored.cookies).toEqual(['_sym_sid', '_sym_vid']);
    expect(stored.local).toEqual(expect.arrayContaining(['_sym_attr', '_sym_sid', '_sym_vid']));
  });

  it('denied after granted clears the SDK cookies and storage, and later events are dropped', async () => {
    const { receiver } = browserRig.rig;
    const context = await browserRig.newContext();
    const page = await context.newPage();
    await page.goto(fixture('?fbclid=granted-click'));
    await page.evaluate(() =>
      (window as unknown as FixtureWindow).sym.track('order', {
        order_id: 'c-1',
        items: [{ product_id: '170830', quantity: 1 }],
      }),
    );
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(2);
    const before = await sdkStorage(context, page);
    expect(before.cookies).toEqual(['_sym_sid', '_sym_vid']);
    expect(before.local).toEqual(expect.arrayContaining(['_sym_attr', '_sym_orders:c-1', '_sym_sid', '_sym_vid']));
    // Something of the page's own, which the SDK must leave alone.
    await page.evaluate(() => localStorage.setItem('shop-cart', '[]'));

    const tried = attempts(context);
    await page.evaluate(() => (window as unknown as FixtureWindow).sym.setConsent('denied'));
    expect(await sdkStorage(context, page)).toEqual({ cookies: [], local: ['shop-cart'] });
    const after = await page.evaluate(() => (window as unknown as FixtureWindow).route('/fixtures/spa/cart'));
    expect(after).toMatchObject({ status: 'dropped', reason: 'consent_denied' });
    await quiet();
    expect(tried).toEqual([]);
    expect(receiver.events).toHaveLength(2);
    expect(await sdkStorage(context, page)).toEqual({ cookies: [], local: ['shop-cart'] });
  });

  it('denied while pending drops the kept events: nothing is ever sent or stored', async () => {
    const { receiver } = browserRig.rig;
    const context = await contextWith({ consent: 'pending' });
    const tried = attempts(context);
    const page = await context.newPage();
    await page.goto(fixture());
    expect(await results(page, 1)).toMatchObject([{ status: 'queued', reason: 'consent_pending' }]);
    await page.evaluate(() => (window as unknown as FixtureWindow).sym.setConsent('denied'));
    await page.evaluate(() => (window as unknown as FixtureWindow).sym.setConsent('granted')); // Too late for the dropped ones.
    await quiet();
    expect(tried).toEqual([]);
    expect(receiver.requests).toEqual([]);
    expect(await sdkStorage(context, page)).toEqual(NOTHING);
  });

  it('a browser sending Global Privacy Control counts as denied', async () => {
    const { receiver } = browserRig.rig;
    const context = await contextWith({}, () => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    const page = await context.newPage();
    const tried = attempts(context);
    await page.goto(fixture());
    expect(await results(page, 1)).toMatchObject([{ status: 'dropped', reason: 'consent_denied' }]);
    await quiet();
    expect(tried).toEqual([]);
    expect(receiver.requests).toEqual([]);
    expect(await sdkStorage(context, page)).toEqual(NOTHING);
  });
});
