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
  PROFILE,
  consentPage,
  consentedPage,
  errorsIn,
  expectLandingHeld,
  expectLandingSent,
  expectSentWithoutUserData,
  quiet,
  results,
  stored,
  track,
} from './consent/page.js';

const browserRig = useBrowserRig();
const GOOGLE = { source: 'google' } as const;

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

describe('Google Consent Mode v2 (googleConsentMode)', () => {
  it('a denied default holds the landing page view; the update granting sends it, click id and all', async () => {
    const opened = await consentPage(browserRig, GOOGLE, {
      setup: gtagSnippet(DEFAULT_DENIED),
      profile: PROFILE,
      query: '?gclid=banner-answered-late',
    });
    await expectLandingHeld(browserRig, opened);

    await gtag(opened.page, 'update', {
      ad_storage: 'granted',
      ad_user_data: 'granted',
      ad_personalization: 'granted',
    });
    await expectLandingSent(browserRig, opened, 'banner-answered-late');
  });

  it('storage granted, user data denied: page views and orders go without any hash or crm_id', async () => {
    const { receiver } = browserRig.rig;
    const opened = await consentPage(browserRig, GOOGLE, {
      setup: gtagSnippet(
        `${DEFAULT_DENIED} gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'denied' });`,
      ),
      profile: PROFILE,
    });
    await expectSentWithoutUserData(browserRig, opened);
    for (const { record } of receiver.events) {
      expect(Object.keys(record).filter((name) => name === 'crm_id' || name.startsWith('hashed_'))).toEqual([]);
    }
    expect(receiver.events.map((event) => event.event)).toEqual(['page_view', 'order']);
  });

  it('commands pushed after the SDK loaded count: default, then a denying update drops what was held', async () => {
    const { receiver } = browserRig.rig;
    const { page, tried } = await consentPage(browserRig, GOOGLE, { setup: gtagSnippet() });
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
    const { context, page } = await consentedPage(browserRig, GOOGLE, {
      setup: gtagSnippet("gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted' });"),
      query: '?gclid=then-withdrawn',
    });
    await gtag(page, 'update', { ad_storage: 'denied' });
    expect(await stored(context, page)).toEqual(NOTHING);
  });

  it('no consent command at all: pending, never granted, reported once after 10 s', async () => {
    const { context, page, tried } = await consentPage(browserRig, GOOGLE, {
      setup: gtagSnippet("gtag('js', new Date());"),
      clock: true,
    });
    expect(await results(page, 1)).toMatchObject([{ status: 'queued', reason: 'consent_pending' }]);
    await page.clock.runFor(70_000);
    expect(await errorsIn(page)).toEqual(['consent_unanswered']);
    expect(tried).toEqual([]);
    expect(await stored(context, page)).toEqual(NOTHING);
  });
});
