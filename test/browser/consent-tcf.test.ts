/**
 * `tcfConsent()` in real Chromium, against the IAB's own CMP API
 * (`@iabtechlabtcf/cmpapi`, TC strings from `@iabtechlabtcf/core`; the page's
 * CMP is test/browser/consent/tcf-cmp.ts, bundled by esbuild): nothing is
 * requested, set or stored before the visitor answers; what was tracked
 * meanwhile is sent once they consent; a withdrawal clears the SDK's storage
 * and stops everything; GDPR not applying is consent.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowserRig } from './helpers/hooks.js';
import {
  NOTHING,
  ORDER,
  PROFILE,
  attempts,
  consentPage,
  consentedPage,
  errorsIn,
  expectLandingHeld,
  expectLandingSent,
  expectNothingSentOrStored,
  expectSentWithoutUserData,
  quiet,
  results,
  stored,
  track,
  userDataIn,
  type ConsentWindow,
} from './consent/page.js';

const browserRig = useBrowserRig();

interface CmpWindow extends ConsentWindow {
  cmp: { show(): void; answer(purposes: number[], vendor?: boolean): void; notApplying(): void };
}

/** The CMP for the page: installs `window.__tcfapi` and `window.cmp` (with `then`, this runs in the page). */
let cmpScript = '';
beforeAll(async () => {
  const bundled = await build({
    stdin: {
      contents: "import { installCmp } from './tcf-cmp.ts'; window.cmp = installCmp();",
      resolveDir: fileURLToPath(new URL('./consent/', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
  });
  cmpScript = bundled.outputFiles[0]!.text;
});

/** The CMP, installed before the page's scripts, with `then` run right after (the stored answer, the banner). */
const cmpWith = (then = '') => ({ content: `${cmpScript};${then}` });
const cmp = (page: Page) => ({
  show: () => page.evaluate(() => (window as unknown as CmpWindow).cmp.show()),
  answer: (purposes: number[], vendor = true) =>
    page.evaluate(([p, v]) => (window as unknown as CmpWindow).cmp.answer(p, v), [purposes, vendor] as const),
});

describe('IAB TCF v2.2 (tcfConsent)', () => {
  const TCF = { source: 'tcf' } as const;

  it('the banner open: nothing requested, set or stored; the visitor consents: the landing page view goes', async () => {
    const opened = await consentPage(browserRig, TCF, {
      setup: cmpWith('window.cmp.show();'),
      profile: PROFILE,
      query: '?gclid=tcf-late-answer',
    });
    await expectLandingHeld(browserRig, opened);

    await cmp(opened.page).answer([1, 7]); // useractioncomplete
    const after = await expectLandingSent(browserRig, opened, 'tcf-late-answer');
    expect(after.local).toEqual(expect.arrayContaining(['_sym_attr', '_sym_sid', '_sym_vid']));
  });

  it('a stored answer (tcloaded) with purpose 1 but not 7: events go without any hash or crm_id', async () => {
    const { receiver } = browserRig.rig;
    const opened = await consentPage(browserRig, TCF, { setup: cmpWith('window.cmp.answer([1]);'), profile: PROFILE });
    await expectSentWithoutUserData(browserRig, opened);
    for (const { record } of receiver.events) expect(record.visitor_id).toMatch(/^[0-9a-f]{45}$/);
  });

  it('a withdrawal denies from then on: storage cleared, nothing sent, the page keeps its own storage', async () => {
    const { receiver } = browserRig.rig;
    const { context, page } = await consentedPage(browserRig, TCF, {
      setup: cmpWith('window.cmp.answer([1, 7]);'),
      query: '?fbclid=before-withdrawal',
    });
    await page.evaluate(() => localStorage.setItem('shop-cart', '[]'));

    const tried = attempts(browserRig, context);
    await cmp(page).show(); // The visitor reopens the banner…
    await expect(track(page, 'page_view')).resolves.toMatchObject({ status: 'queued', reason: 'consent_pending' });
    await cmp(page).answer([]); // …and withdraws: the page view tracked meanwhile is dropped.
    expect(await stored(context, page)).toEqual({ cookies: [], local: ['shop-cart'] });
    await expect(track(page, 'order', ORDER)).resolves.toMatchObject({ status: 'dropped', reason: 'consent_denied' });
    await quiet();
    expect(tried).toEqual([]);
    expect(receiver.events).toHaveLength(1);
  });

  it('with vendorId, purposes without vendor consent are a denial', async () => {
    const opened = await consentPage(
      browserRig,
      { ...TCF, options: { vendorId: 1234 } },
      { setup: cmpWith('window.cmp.answer([1, 7], false);') },
    );
    expect(await results(opened.page, 1)).toMatchObject([{ status: 'dropped', reason: 'consent_denied' }]);
    await expectNothingSentOrStored(browserRig, opened);
  });

  it('GDPR not applying is consent', async () => {
    const { receiver } = browserRig.rig;
    const { tried } = await consentPage(browserRig, TCF, {
      setup: cmpWith('window.cmp.notApplying();'),
      profile: PROFILE,
    });
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    expect(userDataIn(tried[0]!)).toContain('hashed_email');
  });

  it('no CMP: pending, reported once after 10 s; a CMP loaded late is still followed', async () => {
    const { receiver } = browserRig.rig;
    const { context, page, tried } = await consentPage(browserRig, TCF, { query: '?gclid=no-cmp-yet', clock: true });
    expect(await results(page, 1)).toMatchObject([{ status: 'queued', reason: 'consent_pending' }]);
    await page.clock.runFor(9_000);
    expect(await errorsIn(page)).toEqual([]);
    await page.clock.runFor(60_000);
    expect(await errorsIn(page)).toEqual(['consent_unanswered']);
    expect(tried).toEqual([]);
    expect(await stored(context, page)).toEqual(NOTHING);

    await page.evaluate(cmpWith('window.cmp.answer([1, 7]);').content);
    await page.clock.runFor(5_000); // The SDK looks for a CMP every 2 s by now.
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    expect(receiver.events[0]!.record).toMatchObject({ channel_click_id: 'no-cmp-yet' });
    expect(await errorsIn(page)).toEqual(['consent_unanswered']);
  });
});
