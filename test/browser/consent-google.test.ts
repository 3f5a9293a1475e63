/**
 * `googleConsentMode()` in real Chromium with the standard gtag snippet
 * (`window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}`):
 * a denied default holds events until the visitor's update; storage granted
 * with user data denied sends events without any hash or `crm_id`; commands
 * count whether pushed before the SDK loaded or after; a denying update
 * drops what was held.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserRig } from './helpers/hooks.js';
import {
  NOTHING,
  ORDER,
  PROFILE,
  attempts,
  consentContext,
  fixture,
  quiet,
  results,
  stored,
  userDataIn,
  type ConsentWindow,
} from './consent/page.js';

const browserRig = useBrowserRig();

/**
 * The snippet Google's documentation gives, then the page's own commands
 * (before the SDK loads). An init script runs in a function of its own, so
 * `gtag` is made global by hand, as a page's top-level script makes it.
 */
const gtagSnippet = (commands = '') => ({
  content: `window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} window.gtag = gtag; ${commands}`,
});
const DEFAULT_DENIED =
  "gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' });";

/** `gtag('consent', command, params)` in the page, as a CMP calls it. */
const gtag = (page: Page, command: 'default' | 'update', params: Record<string, string>) =>
  page.evaluate(([c, p]) => (window as unknown as { gtag(...args: unknown[]): void }).gtag('consent', c, p), [
    command,
    params,
  ] as const);
const track = (page: Page, event: string, input?: object) =>
  page.evaluate(([e, i]) => (window as unknown as ConsentWindow).track(e, i), [event, input] as const);

describe('Google Consent Mode v2 (googleConsentMode)', () => {
  it('a denied default holds the landing page view; the update granting sends it, click id and all', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(browserRig, { source: 'google' }, gtagSnippet(DEFAULT_DENIED), PROFILE);
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture(browserRig, '?gclid=banner-answered-late'));
    expect(await results(page, 1)).toEqual([
      { event: 'page_view', status: 'queued', reason: 'consent_pending', errors: [] },
    ]);
    await quiet();
    expect(tried).toEqual([]);
    expect(await stored(context, page)).toEqual(NOTHING);

    await gtag(page, 'update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' });
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    expect(receiver.events[0]!.record).toMatchObject({ channel: 'google', channel_click_id: 'banner-answered-late' });
    expect(userDataIn(tried[0]!).sort()).toEqual(['crmid', 'hashed_email', 'hashed_phone_e164_user']);
    expect((await stored(context, page)).cookies).toEqual(['_sym_sid', '_sym_vid']);
    expect(await page.evaluate(() => (window as unknown as ConsentWindow).errors)).toEqual([]);
  });

  it('storage granted, user data denied: page views and orders go without any hash or crm_id', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(
      browserRig,
      { source: 'google' },
      gtagSnippet(`${DEFAULT_DENIED} gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'denied' });`),
      PROFILE,
    );
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture(browserRig));
    await track(page, 'order', ORDER);
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(2);
    expect(tried).toHaveLength(2);
    for (const url of tried) expect(userDataIn(url)).toEqual([]);
    for (const { record } of receiver.events) {
      expect(Object.keys(record).filter((name) => name === 'crm_id' || name.startsWith('hashed_'))).toEqual([]);
    }
    expect(receiver.events.map((event) => event.event)).toEqual(['page_view', 'order']);
  });

  it('commands pushed after the SDK loaded count: default, then a denying update drops what was held', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(browserRig, { source: 'google' }, gtagSnippet());
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture(browserRig));
    expect(await results(page, 1)).toMatchObject([{ status: 'queued', reason: 'consent_pending' }]);
    await gtag(page, 'default', { ad_storage: 'denied', ad_user_data: 'denied' });
    await expect(track(page, 'page_view', { product_id: 'p-2' })).resolves.toMatchObject({ status: 'queued' });

    await gtag(page, 'update', { ad_storage: 'denied', ad_user_data: 'denied' });
    await expect(track(page, 'page_view')).resolves.toMatchObject({ status: 'dropped', reason: 'consent_denied' });
    await gtag(page, 'update', { ad_storage: 'granted', ad_user_data: 'granted' }); // Too late for the dropped ones.
    await track(page, 'page_view', { product_id: 'after-grant' });
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    await quiet();
    expect(receiver.events).toHaveLength(1);
    expect(receiver.events[0]!.record).toMatchObject({ product_id: 'after-grant' });
    expect(tried).toHaveLength(1);
  });

  it('a withdrawal by update clears the SDK cookies and storage', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(
      browserRig,
      { source: 'google' },
      gtagSnippet("gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted' });"),
    );
    const page = await context.newPage();
    await page.goto(fixture(browserRig, '?gclid=then-withdrawn'));
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    expect((await stored(context, page)).cookies).toEqual(['_sym_sid', '_sym_vid']);
    await gtag(page, 'update', { ad_storage: 'denied' });
    expect(await stored(context, page)).toEqual(NOTHING);
  });

  it('no consent command at all: pending, never granted, reported once after 10 s', async () => {
    const context = await consentContext(browserRig, { source: 'google' }, gtagSnippet("gtag('js', new Date());"));
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(fixture(browserRig));
    expect(await results(page, 1)).toMatchObject([{ status: 'queued', reason: 'consent_pending' }]);
    await page.clock.runFor(70_000);
    expect(await page.evaluate(() => (window as unknown as ConsentWindow).errors)).toEqual(['consent_unanswered']);
    expect(tried).toEqual([]);
    expect(await stored(context, page)).toEqual(NOTHING);
  });
});
