/**
 * In real Chromium, on the package's ESM build: a `_sym_vid` / `_sym_sid`
 * cookie or localStorage entry that breaks the ids' rule (`core/ids.ts`: 45
 * lowercase hex; the session's start in ms as digits) is replaced by the
 * SDK's own id and never sent, and so is a `visitorId` option of another
 * shape, reported as `invalid_field`. Every request the page makes is read.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from '../browser/helpers/hooks.js';

const VID = /^[0-9a-f]{45}$/;
const SID = /^\d{1,16}$/;
const KEPT_VID = '01929d42ae1a0016c0cebe6dd43a0508900160810056a';
/** Values seen in `_sym_vid` / `_sym_sid` in the wild or by an attacker; none is an id. */
const HOSTILE = ['jane@example.com', '<script>alert(1)</script>', 'abc', '-5', KEPT_VID.toUpperCase()];

const browserRig = useBrowserRig();

interface Loaded {
  pageView: ReceivedEventOf<'page_view'>;
  /** Every URL the page requested. */
  urls: URL[];
  errors: string[];
}

/** Every `vid` and `sid` the page sent has the contract's shape, and no URL holds `bad` (an address, markup). */
function expectOnlyRealIds(urls: readonly URL[], bad: string): void {
  const sent = urls.filter((url) => url.searchParams.has('vid'));
  expect(sent.length).toBeGreaterThan(0);
  for (const url of sent) {
    expect(url.searchParams.get('vid')).toMatch(VID);
    expect(url.searchParams.get('sid')).toMatch(SID);
  }
  if (/[@<]/.test(bad)) for (const url of urls) expect(decodeURIComponent(url.href)).not.toContain(bad);
}

/** Loads the SPA fixture (one page view on load) and waits for the receiver to hold it. */
async function loadSpa(context: BrowserContext, options?: Record<string, unknown>): Promise<Loaded> {
  if (options) {
    await context.addInitScript((o) => {
      (window as unknown as { SYM_OPTIONS: unknown }).SYM_OPTIONS = o;
    }, options);
  }
  const page: Page = await context.newPage();
  const urls: URL[] = [];
  page.on('request', (request) => urls.push(new URL(request.url())));
  await page.goto(`${browserRig.rig.site.url}/fixtures/state-spa.html`);
  const { receiver } = browserRig.rig;
  await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
  const errors = await page.evaluate(() => (window as unknown as { errors: string[] }).errors);
  return { pageView: receiver.events[0] as ReceivedEventOf<'page_view'>, urls, errors };
}

async function cookieValue(context: BrowserContext, name: string): Promise<string | undefined> {
  const cookie = (await context.cookies()).find((c) => c.name === name);
  return cookie === undefined ? undefined : decodeURIComponent(cookie.value);
}

describe('stored ids that break the rule are replaced, never sent', () => {
  it.each(HOSTILE)('cookies holding %j', async (bad) => {
    const context = await browserRig.newContext();
    const url = new URL(browserRig.rig.site.url);
    await context.addCookies(
      ['_sym_vid', '_sym_sid'].map((name) => ({
        name,
        value: encodeURIComponent(bad),
        domain: url.hostname,
        path: '/',
      })),
    );
    const { pageView, urls } = await loadSpa(context);
    expect(pageView.record.visitor_id).toMatch(VID);
    expect(pageView.record.session_id).toMatch(SID);
    expectOnlyRealIds(urls, bad);
    expect(await cookieValue(context, '_sym_vid')).toBe(pageView.record.visitor_id);
    expect(await cookieValue(context, '_sym_sid')).toMatch(new RegExp(`^${pageView.record.session_id}\\.\\d+$`));
  });

  it.each(HOSTILE)('localStorage holding %j (no cookie)', async (bad) => {
    const context = await browserRig.newContext();
    await context.addInitScript((value) => {
      // Only before the SDK's first write: a reload must not undo the replacement.
      if (sessionStorage.getItem('seeded')) return;
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('_sym_vid', `|${value}`);
      localStorage.setItem('_sym_sid', `|${value}`);
    }, bad);
    const { pageView, urls } = await loadSpa(context);
    expect(pageView.record.visitor_id).toMatch(VID);
    expect(pageView.record.session_id).toMatch(SID);
    expectOnlyRealIds(urls, bad);
  });
});

describe('the visitorId option', () => {
  it.each(HOSTILE)('%j: reported as invalid_field, the SDK makes its own id', async (bad) => {
    const context = await browserRig.newContext();
    const { pageView, urls, errors } = await loadSpa(context, { visitorId: bad });
    expect(errors).toEqual(['invalid_field']);
    expect(pageView.record.visitor_id).toMatch(VID);
    expectOnlyRealIds(urls, bad);
  });

  it('an id in the SDK shape is adopted', async () => {
    const context = await browserRig.newContext();
    const { pageView, errors } = await loadSpa(context, { visitorId: KEPT_VID });
    expect(errors).toEqual([]);
    expect(pageView.record.visitor_id).toBe(KEPT_VID);
  });
});
