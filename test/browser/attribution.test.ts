/**
 * Attribution in real Chromium (test/browser/fixtures/state-spa.html): the
 * landing URL's click id and campaign id go, as `ch`, `cclid` and `ccmp_id`,
 * with every page view of the session: later client-side routes (pushState)
 * whose URLs carry none, and another tab of the same browser.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';

const browserRig = useBrowserRig();
const fixture = (query = '') => `${browserRig.rig.site.url}/fixtures/state-spa.html${query}`;
const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';
const pageViews = () => browserRig.rig.receiver.events.filter(isPageView);

async function waitForPageViews(count: number): Promise<ReceivedEventOf<'page_view'>[]> {
  await expect.poll(() => pageViews().length, { timeout: 5000 }).toBe(count);
  return pageViews();
}

/** The query strings of the page-view requests the browser made (beacons included), as sent. */
function wire(context: BrowserContext): URLSearchParams[] {
  const sent: URLSearchParams[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/page_viewjs') sent.push(url.searchParams);
  });
  return sent;
}

const click = async (page: Page, name: string) => {
  await page.getByRole('link', { name, exact: true }).click();
};

describe('attribution', () => {
  it('a Google ad landing credits every page view of the session: SPA routes and another tab', async () => {
    const context = await browserRig.newContext();
    const sent = wire(context);
    const page = await context.newPage();
    await page.goto(fixture('?gclid=Cj0KCQjw-test_123&gad_campaignid=21234567890'));
    await waitForPageViews(1);
    await click(page, 'Product');
    await page.waitForURL('**/fixtures/spa/product/170830');
    await waitForPageViews(2);
    await click(page, 'Cart');
    await waitForPageViews(3);
    const tab = await context.newPage();
    await tab.goto(fixture()); // No click id in this URL: the session's attribution still applies.
    const views = await waitForPageViews(4);

    const google = { channel: 'google', channel_click_id: 'Cj0KCQjw-test_123', external_campaign_id: '21234567890' };
    expect(views.map((view) => view.pageUrl?.replace(browserRig.rig.site.url, ''))).toEqual([
      '/fixtures/state-spa.html?gclid=Cj0KCQjw-test_123&gad_campaignid=21234567890',
      '/fixtures/spa/product/170830',
      '/fixtures/spa/cart',
      '/fixtures/state-spa.html',
    ]);
    for (const view of views) expect(view.record).toMatchObject(google);
    expect(new Set(views.map((view) => view.record.session_id)).size).toBe(1);
    // On the wire, in the GET names of docs/contract.md.
    await expect.poll(() => sent.length, { timeout: 5000 }).toBe(4);
    for (const params of sent) {
      expect([params.get('ch'), params.get('cclid'), params.get('ccmp_id')]).toEqual([
        'google',
        'Cj0KCQjw-test_123',
        '21234567890',
      ]);
    }
  });

  it('an explicit value in track wins over the captured one, for that page view only', async () => {
    const page = await browserRig.newPage();
    await page.goto(fixture('?gclid=abc&utm_id=111'));
    await waitForPageViews(1);
    await page.evaluate(() => {
      history.pushState(null, '', '/fixtures/spa/product/170830');
      return (window as unknown as { trackPageView(input: object): Promise<unknown> }).trackPageView({
        external_campaign_id: 'spring-sale',
      });
    });
    await page.evaluate(() =>
      (window as unknown as { route(url: string): Promise<unknown> }).route('/fixtures/spa/cart'),
    );
    const views = await waitForPageViews(3);
    expect(
      views.map((view) => [view.record.channel, view.record.channel_click_id, view.record.external_campaign_id]),
    ).toEqual([
      ['google', 'abc', '111'],
      ['google', 'abc', 'spring-sale'],
      ['google', 'abc', '111'],
    ]);
  });

  it.each([
    ['fbclid', 'facebook'],
    ['msclkid', 'microsoft'],
    ['ttclid', 'tiktok'],
    ['ScCid', 'snapchat'],
  ])('?%s=… lands as channel %s', async (param, channel) => {
    const page = await browserRig.newPage();
    await page.goto(fixture(`?${param}=click-9&campaign_id=c-7`));
    await page.evaluate(() =>
      (window as unknown as { route(url: string): Promise<unknown> }).route('/fixtures/spa/cart'),
    );
    const views = await waitForPageViews(2);
    for (const view of views)
      expect(view.record).toMatchObject({ channel, channel_click_id: 'click-9', external_campaign_id: 'c-7' });
  });

  it('a landing without a click id sends no channel fields', async () => {
    const page = await browserRig.newPage();
    await page.goto(fixture('?utm_source=newsletter'));
    await page.evaluate(() =>
      (window as unknown as { route(url: string): Promise<unknown> }).route('/fixtures/spa/cart'),
    );
    const views = await waitForPageViews(2);
    for (const view of views) {
      expect(
        Object.keys(view.record).filter((key) => ['channel', 'channel_click_id', 'external_campaign_id'].includes(key)),
      ).toEqual([]);
    }
  });

  it('ends with its session: after 30 idle minutes, page views carry no channel until a new ad click', async () => {
    const page = await browserRig.newPage();
    await page.clock.install();
    await page.goto(fixture('?gclid=old-click&utm_id=42'));
    await waitForPageViews(1);
    await page.clock.fastForward('30:01');
    await page.evaluate(() =>
      (window as unknown as { route(url: string): Promise<unknown> }).route('/fixtures/spa/cart'),
    );
    await page.evaluate(() =>
      (window as unknown as { route(url: string): Promise<unknown> }).route(
        '/fixtures/spa/product/170830?msclkid=new-click',
      ),
    );
    const views = await waitForPageViews(3);
    expect(
      views.map((view) => [view.record.channel, view.record.channel_click_id, view.record.external_campaign_id]),
    ).toEqual([
      ['google', 'old-click', '42'],
      [undefined, undefined, undefined],
      ['microsoft', 'new-click', undefined],
    ]);
    expect(views[1]!.record.session_id).not.toBe(views[0]!.record.session_id);
    expect(views[2]!.record.session_id).toBe(views[1]!.record.session_id);
  });
});
