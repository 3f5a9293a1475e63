/**
 * Visitor and session ids in real Chromium, on the package's ESM build
 * (test/browser/fixtures/state-spa.html): the vid's shape and first-visit
 * stamp, its survival across reloads (cookie and localStorage restoring each
 * other), its 13-month cookie, and one session shared by the tabs of a
 * browser.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';

const VID = /^[0-9a-f]{45}$/;
const DAY_S = 86_400;

const browserRig = useBrowserRig();
const spaUrl = () => `${browserRig.rig.site.url}/fixtures/state-spa.html`;
const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';

/** Loads the fixture and waits for the receiver to hold `count` page views in all; returns the last. */
async function load(page: Page, count: number, how: 'goto' | 'reload' = 'goto'): Promise<ReceivedEventOf<'page_view'>> {
  const { receiver } = browserRig.rig;
  if (how === 'goto') await page.goto(spaUrl());
  else await page.reload();
  await expect.poll(() => receiver.events.filter(isPageView).length, { timeout: 5000 }).toBe(count);
  return receiver.events.filter(isPageView)[count - 1]!;
}

async function stored(context: BrowserContext, page: Page) {
  const cookies = await context.cookies();
  const local = await page.evaluate(() => ({
    vid: localStorage.getItem('_sym_vid'),
    sid: localStorage.getItem('_sym_sid'),
  }));
  return {
    cookie: cookies.find((c) => c.name === '_sym_vid'),
    sidCookie: cookies.find((c) => c.name === '_sym_sid'),
    local,
  };
}

describe('visitor id (vid)', () => {
  it('has the vendor shape, stamps the first visit, lives 13 months in a cookie and localStorage, and survives reloads', async () => {
    const context = await browserRig.newContext();
    const page = await context.newPage();
    const before = Date.now();
    const first = await load(page, 1);
    const after = Date.now();

    const vid = first.record.visitor_id;
    expect(vid).toMatch(VID);
    const firstVisitMs = parseInt(vid.slice(0, 12), 16);
    expect(firstVisitMs).toBeGreaterThanOrEqual(before);
    expect(firstVisitMs).toBeLessThanOrEqual(after);
    // The session id is the session's start: the same first event.
    expect(Number(first.record.session_id)).toBe(firstVisitMs);

    const { cookie, sidCookie, local } = await stored(context, page);
    expect(cookie?.value).toBe(vid);
    // The session cookie: `<start>.<last event>`, for 30 minutes.
    expect(sidCookie?.value).toMatch(new RegExp(`^${first.record.session_id}\\.\\d+$`));
    expect(Math.abs(sidCookie!.expires - (after / 1000 + 1800))).toBeLessThan(60);
    // 13 months (395 days), give or take the test's own duration.
    expect(cookie!.expires - after / 1000).toBeGreaterThan(395 * DAY_S - 60);
    expect(cookie!.expires - before / 1000).toBeLessThan(395 * DAY_S + 60);
    // localStorage keeps `<expiresAtMs>|<value>`.
    expect(local.vid).toMatch(new RegExp(`^\\d+\\|${vid}$`));

    for (let n = 2; n <= 3; n++) {
      const again = await load(page, n, 'reload');
      expect(again.record.visitor_id).toBe(vid);
      expect(again.record.session_id).toBe(first.record.session_id);
    }
  });

  it.each([
    ['the cookie is cleared', 'cookie'],
    ['localStorage is cleared', 'localStorage'],
  ] as const)('survives a reload when %s: the other restores it', async (_, lost) => {
    const context = await browserRig.newContext();
    const page = await context.newPage();
    const vid = (await load(page, 1)).record.visitor_id;

    if (lost === 'cookie') await context.clearCookies();
    else await page.evaluate(() => localStorage.clear());
    expect((await stored(context, page))[lost === 'cookie' ? 'cookie' : 'local']).toEqual(
      lost === 'cookie' ? undefined : { vid: null, sid: null },
    );

    const again = await load(page, 2, 'reload');
    expect(again.record.visitor_id).toBe(vid);
    const restored = await stored(context, page);
    expect(restored.cookie?.value).toBe(vid);
    expect(restored.local.vid).toMatch(new RegExp(`\\|${vid}$`));
  });
});

describe('session id (sid)', () => {
  it('is shared by two tabs of one browser; another browser has its own visitor and session', async () => {
    const { receiver } = browserRig.rig;
    const context = await browserRig.newContext();
    const tab1 = await context.newPage();
    const one = await load(tab1, 1);
    const tab2 = await context.newPage();
    const two = await load(tab2, 2);
    expect(two.record.session_id).toBe(one.record.session_id);
    expect(two.record.visitor_id).toBe(one.record.visitor_id);

    // Back in the first tab, after the second tab's event: still the same session.
    await tab1.evaluate(() =>
      (window as unknown as { route(url: string): Promise<unknown> }).route('/fixtures/spa/cart'),
    );
    await expect.poll(() => receiver.events.filter(isPageView).length, { timeout: 5000 }).toBe(3);
    expect(receiver.events.filter(isPageView)[2]!.record.session_id).toBe(one.record.session_id);

    const other = await (await browserRig.newContext()).newPage();
    const elsewhere = await load(other, 4);
    expect(elsewhere.record.visitor_id).toMatch(VID);
    expect(elsewhere.record.visitor_id).not.toBe(one.record.visitor_id);
    // The sid is a start time in ms; a later start in another browser.
    expect(Number(elsewhere.record.session_id)).toBeGreaterThan(Number(one.record.session_id));
  });

  it('ends after 30 minutes without an event: the next one starts a new session, for the same visitor', async () => {
    const { receiver } = browserRig.rig;
    const context = await browserRig.newContext();
    const page = await context.newPage();
    await page.clock.install(); // The page's clock, from now, moved by hand.
    const first = await load(page, 1);
    const route = (url: string) =>
      page.evaluate((u) => (window as unknown as { route(url: string): Promise<unknown> }).route(u), url);

    await page.clock.fastForward('29:00');
    await route('/fixtures/spa/cart');
    await page.clock.fastForward('29:00'); // 58 minutes since the start, 29 since the last event.
    await route('/fixtures/spa/product/170830');
    await page.clock.fastForward('30:01');
    await route('/fixtures/spa/cart');
    await expect.poll(() => receiver.events.filter(isPageView).length, { timeout: 5000 }).toBe(4);

    const views = receiver.events.filter(isPageView);
    expect(views.map((view) => view.record.visitor_id)).toEqual(Array(4).fill(first.record.visitor_id));
    const [s1, s2, s3, s4] = views.map((view) => view.record.session_id);
    expect([s2, s3]).toEqual([s1, s1]);
    expect(s4).not.toBe(s1);
    // The new session's id is its first event's time: the page's (fast-forwarded) clock.
    expect(Number(s4)).toBe(views[3]!.record.page_view_ts);
    expect(Number(s4) - Number(s1)).toBeGreaterThanOrEqual((29 + 29 + 30) * 60_000);
  });

  it('when cookies and localStorage throw (blocked storage), ids live in memory and nothing reaches the page', async () => {
    const { receiver } = browserRig.rig;
    const context = await browserRig.newContext();
    await context.addInitScript(() => {
      const blocked = () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      };
      Object.defineProperty(window, 'localStorage', { get: blocked, configurable: true });
      Object.defineProperty(Document.prototype, 'cookie', { get: blocked, set: blocked, configurable: true });
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const first = await load(page, 1);
    await page.evaluate(() =>
      (window as unknown as { route(url: string): Promise<unknown> }).route('/fixtures/spa/cart'),
    );
    await expect.poll(() => receiver.events.filter(isPageView).length, { timeout: 5000 }).toBe(2);

    const views = receiver.events.filter(isPageView);
    expect(first.record.visitor_id).toMatch(VID);
    expect(views[1]!.record.visitor_id).toBe(first.record.visitor_id);
    expect(views[1]!.record.session_id).toBe(first.record.session_id);
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { errors: string[] }).errors)).toEqual([]);
    expect((await context.cookies()).map((cookie) => cookie.name)).toEqual([]);
  });
});
