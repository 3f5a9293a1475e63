/**
 * Consent in real Chromium (test/browser/fixtures/state-spa.html): `pending`
 * keeps events in memory and writes no cookie or storage; `granted` sends
 * what was kept; `denied` drops it and clears the SDK's storage; Global
 * Privacy Control counts as denied.
 */
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';
import { attempts, expectNothingSentOrStored, quiet, results, stored } from './consent/page.js';

const browserRig = useBrowserRig();
const fixture = (query = '') => `${browserRig.rig.site.url}/fixtures/state-spa.html${query}`;
const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';

/** The page's globals (its `results` are read by consent/page.ts's `results`). */
interface FixtureWindow {
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

describe('consent', () => {
  it('pending keeps events, writes nothing and sends nothing; granted then sends them, in order', async () => {
    const { receiver } = browserRig.rig;
    const context = await contextWith({ consent: 'pending' });
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture('?gclid=pending-click'));
    await page.evaluate(() => (window as unknown as FixtureWindow).route('/fixtures/spa/cart'));
    const kept = await results(page, 2);
    expect(kept).toEqual([
      { event: 'page_view', status: 'queued', reason: 'consent_pending', errors: [] },
      { event: 'page_view', status: 'queued', reason: 'consent_pending', errors: [] },
    ]);
    await expectNothingSentOrStored(browserRig, { context, page, tried });

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
    const after = await stored(context, page);
    expect(after.cookies).toEqual(['_sym_sid', '_sym_vid']);
    expect(after.local).toEqual(expect.arrayContaining(['_sym_attr', '_sym_sid', '_sym_vid']));
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
    const before = await stored(context, page);
    expect(before.cookies).toEqual(['_sym_sid', '_sym_vid']);
    expect(before.local).toEqual(expect.arrayContaining(['_sym_attr', '_sym_orders:c-1', '_sym_sid', '_sym_vid']));
    // Something of the page's own, which the SDK must leave alone.
    await page.evaluate(() => localStorage.setItem('shop-cart', '[]'));

    const tried = attempts(browserRig, context);
    await page.evaluate(() => (window as unknown as FixtureWindow).sym.setConsent('denied'));
    expect(await stored(context, page)).toEqual({ cookies: [], local: ['shop-cart'] });
    const after = await page.evaluate(() => (window as unknown as FixtureWindow).route('/fixtures/spa/cart'));
    expect(after).toMatchObject({ status: 'dropped', reason: 'consent_denied' });
    await quiet();
    expect(tried).toEqual([]);
    expect(receiver.events).toHaveLength(2);
    expect(await stored(context, page)).toEqual({ cookies: [], local: ['shop-cart'] });
  });

  it('denied while pending drops the kept events: nothing is ever sent or stored', async () => {
    const context = await contextWith({ consent: 'pending' });
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture());
    expect(await results(page, 1)).toMatchObject([{ status: 'queued', reason: 'consent_pending' }]);
    await page.evaluate(() => (window as unknown as FixtureWindow).sym.setConsent('denied'));
    await page.evaluate(() => (window as unknown as FixtureWindow).sym.setConsent('granted')); // Too late for the dropped ones.
    await expectNothingSentOrStored(browserRig, { context, page, tried });
  });

  it('a browser sending Global Privacy Control counts as denied', async () => {
    const context = await contextWith({}, () => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    const page = await context.newPage();
    const tried = attempts(browserRig, context);
    await page.goto(fixture());
    expect(await results(page, 1)).toMatchObject([{ status: 'dropped', reason: 'consent_denied' }]);
    await expectNothingSentOrStored(browserRig, { context, page, tried });
  });
});
