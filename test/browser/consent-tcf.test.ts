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
  consentContext,
  fixture,
  quiet,
  results,
  stored,
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
const track = (page: Page, event: string, input?: object) =>
  page.evaluate(([e, i]) => (window as unknown as CmpWindow).track(e, i), [event, input] as const);

describe('IAB TCF v2.2 (tcfConsent)', () => {
  it('the banner open: nothing requested, set or stored; the visitor consents: the landing page view goes', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(browserRig, { source: 'tcf' }, cmpWith('window.cmp.show();'), PROFILE);
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture(browserRig, '?gclid=tcf-late-answer'));
    expect(await results(page, 1)).toEqual([
      { event: 'page_view', status: 'queued', reason: 'consent_pending', errors: [] },
    ]);
    await quiet();
    expect(tried).toEqual([]);
    expect(await stored(context, page)).toEqual(NOTHING);

    await cmp(page).answer([1, 7]); // useractioncomplete
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    expect(receiver.events[0]!.record).toMatchObject({ channel: 'google', channel_click_id: 'tcf-late-answer' });
    expect(userDataIn(tried[0]!).sort()).toEqual(['crmid', 'hashed_email', 'hashed_phone_e164_user']);
    const after = await stored(context, page);
    expect(after.cookies).toEqual(['_sym_sid', '_sym_vid']);
    expect(after.local).toEqual(expect.arrayContaining(['_sym_attr', '_sym_sid', '_sym_vid']));
    expect(await page.evaluate(() => (window as unknown as CmpWindow).errors)).toEqual([]);
  });

  it('a stored answer (tcloaded) with purpose 1 but not 7: events go without any hash or crm_id', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(browserRig, { source: 'tcf' }, cmpWith('window.cmp.answer([1]);'), PROFILE);
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture(browserRig));
    await track(page, 'order', ORDER);
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(2);
    expect(tried).toHaveLength(2);
    for (const url of tried) expect(userDataIn(url)).toEqual([]);
    for (const { record } of receiver.events) expect(record.visitor_id).toMatch(/^[0-9a-f]{45}$/);
  });

  it('a withdrawal denies from then on: storage cleared, nothing sent, the page keeps its own storage', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(browserRig, { source: 'tcf' }, cmpWith('window.cmp.answer([1, 7]);'));
    const page = await context.newPage();
    await page.goto(fixture(browserRig, '?fbclid=before-withdrawal'));
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    await page.evaluate(() => localStorage.setItem('shop-cart', '[]'));
    expect((await stored(context, page)).cookies).toEqual(['_sym_sid', '_sym_vid']);

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
    const { receiver } = browserRig.rig;
    const context = await consentContext(
      browserRig,
      { source: 'tcf', options: { vendorId: 1234 } },
      cmpWith('window.cmp.answer([1, 7], false);'),
    );
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture(browserRig));
    expect(await results(page, 1)).toMatchObject([{ status: 'dropped', reason: 'consent_denied' }]);
    await quiet();
    expect(tried).toEqual([]);
    expect(receiver.requests).toEqual([]);
    expect(await stored(context, page)).toEqual(NOTHING);
  });

  it('GDPR not applying is consent', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(browserRig, { source: 'tcf' }, cmpWith('window.cmp.notApplying();'), PROFILE);
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.goto(fixture(browserRig));
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    expect(userDataIn(tried[0]!)).toContain('hashed_email');
  });

  it('no CMP: pending, reported once after 10 s; a CMP loaded late is still followed', async () => {
    const { receiver } = browserRig.rig;
    const context = await consentContext(browserRig, { source: 'tcf' });
    const tried = attempts(browserRig, context);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(fixture(browserRig, '?gclid=no-cmp-yet'));
    expect(await results(page, 1)).toMatchObject([{ status: 'queued', reason: 'consent_pending' }]);
    const errors = () => page.evaluate(() => (window as unknown as CmpWindow).errors);
    await page.clock.runFor(9_000);
    expect(await errors()).toEqual([]);
    await page.clock.runFor(60_000);
    expect(await errors()).toEqual(['consent_unanswered']);
    expect(tried).toEqual([]);
    expect(await stored(context, page)).toEqual(NOTHING);

    await page.evaluate(cmpWith('window.cmp.answer([1, 7]);').content);
    await page.clock.runFor(5_000); // The SDK looks for a CMP every 2 s by now.
    await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
    expect(receiver.events[0]!.record).toMatchObject({ channel_click_id: 'no-cmp-yet' });
    expect(await errors()).toEqual(['consent_unanswered']);
  });
});
