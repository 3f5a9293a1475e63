/**
 * The consent browser tests' view of test/browser/fixtures/consent.html:
 * what the page tracked, what the SDK keeps in the browser, and every request
 * the browser starts towards the receiver.
 */
import type { BrowserContext, Page } from 'playwright-core';
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

export const PROFILE = { email: 'jane@example.com', phone_e164: '+33612345678', crm_id: 'crm-7' };
export const ORDER = {
  order_id: 'consent-1',
  crm_id: 'crm-7',
  customer: { email: 'jane@example.com', first_name: 'Jane' },
  items: [{ product_id: '170830', quantity: 1 }],
};
