/**
 * The consent browser tests' view of their pages (test/browser/fixtures/consent.html,
 * and state-spa.html, which keeps `window.results` the same way): what the
 * page tracked, what the SDK keeps in the browser, and every request the
 * browser starts towards the receiver; and the checks the consent sources'
 * tests share.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { BrowserRig } from '../helpers/hooks.js';

export interface ConsentWindow {
  results: Array<{ status: string; reason?: string } | undefined>;
  errors: string[];
  track(event: string, input?: object): Promise<{ status: string; reason?: string }>;
}

/** A context whose pages init the SDK with this consent source (and identify this profile), after `setup` ran. */
export async function consentContext(
  browserRig: BrowserRig,
  consent: { source: 'tcf' | 'google'; options?: object },
  setup?: { content: string },
  profile?: object,
): Promise<BrowserContext> {
  const context = await browserRig.newContext();
  await context.addInitScript(([c, p]) => Object.assign(window, { SYM_CONSENT: c, SYM_PROFILE: p }), [
    consent,
    profile,
  ] as const);
  if (setup) await context.addInitScript(setup);
  return context;
}

export const fixture = (browserRig: BrowserRig, query = '') =>
  `${browserRig.rig.site.url}/fixtures/consent.html${query}`;

/**
 * A page of consent.html (with `query`) in a new `consentContext`, with every
 * request it starts towards the receiver in `tried`; `clock` installs the
 * page's fake clock before it loads.
 */
export async function consentPage(
  browserRig: BrowserRig,
  consent: { source: 'tcf' | 'google'; options?: object },
  how: { setup?: { content: string }; profile?: object; query?: string; clock?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; tried: string[] }> {
  const context = await consentContext(browserRig, consent, how.setup, how.profile);
  const tried = attempts(browserRig, context);
  const page = await context.newPage();
  if (how.clock) await page.clock.install();
  await page.goto(fixture(browserRig, how.query));
  return { context, page, tried };
}

/** `consentPage` for a visitor who has consented already: its landing page view arrives, and the SDK's cookies are set. */
export async function consentedPage(
  browserRig: BrowserRig,
  consent: { source: 'tcf' | 'google'; options?: object },
  how: { setup: { content: string }; query: string },
): Promise<{ context: BrowserContext; page: Page; tried: string[] }> {
  const opened = await consentPage(browserRig, consent, how);
  await expect.poll(() => browserRig.rig.receiver.events.length, { timeout: 5000 }).toBe(1);
  expect((await stored(opened.context, opened.page)).cookies).toEqual(['_sym_sid', '_sym_vid']);
  return opened;
}

/** `window.track(event, input)` in the page: its result. */
export const track = (page: Page, event: string, input?: object) =>
  page.evaluate(([e, i]) => (window as unknown as ConsentWindow).track(e, i), [event, input] as const);

/** Every error code the page's `onError` was given. */
export const errorsIn = (page: Page) => page.evaluate(() => (window as unknown as ConsentWindow).errors);

/** Every track result so far, once there are `count`. */
export async function results(page: Page, count: number): Promise<ConsentWindow['results']> {
  await page.waitForFunction((n) => {
    const r = (window as unknown as ConsentWindow).results;
    return r.length >= n && r.every(Boolean);
  }, count);
  return page.evaluate(() => (window as unknown as ConsentWindow).results);
}

/** What this browser keeps: its cookies and localStorage keys (the SDK's are `_sym_*`). */
export async function stored(context: BrowserContext, page: Page) {
  const cookies = (await context.cookies()).map((cookie) => cookie.name).sort();
  const local = (await page.evaluate(() => Object.keys(localStorage))).sort();
  return { cookies, local };
}

export const NOTHING = { cookies: [], local: [] };

/** Every request the browser starts towards the receiver, seen when made: its URL. */
export function attempts(browserRig: BrowserRig, context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(browserRig.rig.receiver.url)) urls.push(request.url());
  });
  return urls;
}

/** The query parameters of a request that carry user data: any hash, or `crmid`. */
export const userDataIn = (url: string): string[] =>
  [...new URL(url).searchParams.keys()].filter((name) => name === 'crmid' || name.startsWith('hashed_'));

/** Long enough for a request, had one been made, to reach the receiver. */
export const quiet = () => new Promise((resolve) => setTimeout(resolve, 300));

/** After a quiet spell: no request started (`tried`), none received, nothing kept in the browser. */
export async function expectNothingSentOrStored(
  browserRig: BrowserRig,
  { context, page, tried }: { context: BrowserContext; page: Page; tried: readonly string[] },
): Promise<void> {
  await quiet();
  expect(tried).toEqual([]);
  expect(browserRig.rig.receiver.requests).toEqual([]);
  expect(await stored(context, page)).toEqual(NOTHING);
}

/** The landing page view waits for the visitor's answer (queued, `consent_pending`); meanwhile nothing is sent or stored. */
export async function expectLandingHeld(
  browserRig: BrowserRig,
  opened: { context: BrowserContext; page: Page; tried: readonly string[] },
): Promise<void> {
  expect(await results(opened.page, 1)).toEqual([
    { event: 'page_view', status: 'queued', reason: 'consent_pending', errors: [] },
  ]);
  await expectNothingSentOrStored(browserRig, opened);
}

/**
 * Once the visitor consents: the held landing page view arrives with the
 * click id `clickId` (from `?gclid=`) and PROFILE's user data, the SDK's
 * cookies are set, and no error was reported. Returns what the browser keeps.
 */
export async function expectLandingSent(
  browserRig: BrowserRig,
  { context, page, tried }: { context: BrowserContext; page: Page; tried: readonly string[] },
  clickId: string,
): Promise<{ cookies: string[]; local: string[] }> {
  const { receiver } = browserRig.rig;
  await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
  expect(receiver.events[0]!.record).toMatchObject({ channel: 'google', channel_click_id: clickId });
  expect(userDataIn(tried[0]!).sort()).toEqual(['crmid', 'hashed_email', 'hashed_phone_e164_user']);
  const after = await stored(context, page);
  expect(after.cookies).toEqual(['_sym_sid', '_sym_vid']);
  expect(await errorsIn(page)).toEqual([]);
  return after;
}

/** With storage granted and user data denied: the landing page view and ORDER both go, neither URL with user data. */
export async function expectSentWithoutUserData(
  browserRig: BrowserRig,
  { page, tried }: { page: Page; tried: readonly string[] },
): Promise<void> {
  await track(page, 'order', ORDER);
  await expect.poll(() => browserRig.rig.receiver.events.length, { timeout: 5000 }).toBe(2);
  expect(tried).toHaveLength(2);
  for (const url of tried) expect(userDataIn(url)).toEqual([]);
}

export const PROFILE = { email: 'jane@example.com', phone_e164: '+33612345678', crm_id: 'crm-7' };
export const ORDER = {
  order_id: 'consent-1',
  crm_id: 'crm-7',
  customer: { email: 'jane@example.com', first_name: 'Jane' },
  items: [{ product_id: '170830', quantity: 1 }],
};
