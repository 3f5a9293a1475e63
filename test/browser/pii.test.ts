/**
 * PII in real Chromium against the local receiver, through both browser
 * builds (ESM and tag-manager script): a signed-in page view and an order
 * carry exactly the hashes of docs/normalization.md's vectors, no request the
 * browser sent holds a raw value, and an email in the page URL is stripped
 * from page_url while campaign parameters stay.
 *
 * The expected hashes are copied from docs/normalization.md, never recomputed with
 * our own code: they are the contract.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { API_KEY } from './helpers/rig.js';
import { useBrowserRig } from './helpers/hooks.js';
import { findLeaks, probesOf } from '../privacy/leaks.js';
import { inspectGetUrl } from '../privacy/wire.js';
import { vendorOrderItems } from '../helpers/vendor.js';

const browserRig = useBrowserRig();

/** Raw inputs of docs/normalization.md's vectors: the signed-in profile. */
const PROFILE = {
  crm_id: '119583788',
  email: '  Person@Example.com ',
  phone: '(650)555-1212',
  country: 'US',
  first_name: 'Valéry',
  last_name: '  Smith-Jones ',
  city: 'Washington D.C',
  state: 'California',
  zip_code: '98121-4892',
  date_of_birth: '1997-02-16',
};
/** docs/normalization.md's SHA-256 column for PROFILE. */
const PROFILE_HASHES = {
  hashed_email: '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345',
  hashed_phone_user: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
  hashed_phone_e164_user: '1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8',
  hashed_first_name_user: '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c',
  hashed_last_name_user: '6a77f47e3dec33252edbebb457d65e90501b643806c50cf8d6c3e2bd9cb74681',
  hashed_city_user: '911fa18df8b2a4ff2652c32a0efa25516115d6fb0170849a41f38113e5371fe0',
  hashed_state_user: '6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126',
  hashed_zip_code_user: 'a77c0363c8e376696caa1c871266c54476d5ac554bfd6eeb4f42f6a8d607e8fe',
  hashed_date_of_birth_user: '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c',
};
/** Other vectors' raw inputs: the order's customer (a British phone in national format). */
const CUSTOMER = {
  email: 'JaneSaoirse+Work@example.com',
  phone: '020 7183 8750',
  country: 'GB',
  first_name: 'Raphaël',
  last_name: '정',
  city: 'Seattle-98121',
  state: 'Ontario',
  zip_code: 'NR9 5AL',
  date_of_birth: '19970216',
};
const CUSTOMER_HASHES = {
  hashed_email: '28aaee4815230cd3b4ebd88c515226550666e91ac019929e3adac3f66c288180',
  hashed_phone: '8d5f937f3a5590634cbe975951a6aa1543170671ce6e73cce4062f4e8c288417',
  hashed_phone_e164: 'e631c2534428c6c9b48c2167604a8983046085e43a2c00ed748733c544c0bb4d',
  hashed_first_name: 'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7',
  hashed_last_name: '8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14',
  hashed_city: '3151a8f227c0e11fd9a7fd1aa24ebfee734503dea095c22c3b2fae09d62eeb25',
  hashed_state: 'b8d31e852725afb1e26d53bab6095b2bff1749c9275be13ed1c05a56ed31ec09',
  hashed_zip_code: '1d62287dd0994fc3728f000dea1ee560d7a81120de2a911871adbad59d64701d',
  hashed_date_of_birth: '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c',
};
/** The vendor document's example order's first item. */
const ITEMS = vendorOrderItems().slice(0, 1);

/** The page's event endpoints requests, as Chromium sent them (URL and any body). */
interface Sent {
  url: string;
  body: string | null;
}

interface Session {
  page: Page;
  sent: Sent[];
  errors(): Promise<Array<{ code: string; field?: string; message: string }>>;
}

async function open(fixture: string): Promise<Session> {
  const context: BrowserContext = await browserRig.newContext();
  const sent: Sent[] = [];
  const receiverOrigin = new URL(browserRig.rig.receiver.url).origin;
  context.on('request', (request) => {
    if (new URL(request.url()).origin === receiverOrigin) sent.push({ url: request.url(), body: request.postData() });
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${browserRig.rig.site.url}/fixtures/${fixture}`);
  await page.waitForFunction(() => 'pii' in window);
  expect(pageErrors).toEqual([]);
  return { page, sent, errors: () => page.evaluate(() => (window as unknown as { pii: { errors: [] } }).pii.errors) };
}

type Pii = {
  pii: {
    identify(p: unknown): void;
    track(e: string, i?: unknown): Promise<{ status: string }>;
    flush(): Promise<void>;
  };
};

const hashedOf = (record: object) =>
  Object.fromEntries(Object.entries(record).filter(([key]) => key.startsWith('hashed_')));
const isOrder = (event: ReceivedEvent): event is ReceivedEventOf<'order'> => event.event === 'order';
const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';

/** Every request Chromium sent to the receiver: one per request the receiver logged, each clean. */
function expectNoRawPii(sent: readonly Sent[], extraRaw: Record<string, string> = {}): void {
  const { receiver } = browserRig.rig;
  // Sorted: a beaconed page view and a fetched order may reach the receiver in either order.
  expect(sent.map((request) => new URL(request.url).pathname).sort()).toEqual(
    receiver.requests.map((request) => request.path).sort(),
  );
  expect(receiver.requests.every((request) => request.status === 200)).toBe(true);
  const probes = [...probesOf(PROFILE, 'user'), ...probesOf(CUSTOMER, 'customer'), ...probesOf(extraRaw, 'url')];
  // The vectors' raw values have at least one non-hex character, except the
  // ZIP's and birth date's digits, which are searched only outside the hex
  // structure (wire.ts): the search can not stumble on a hash.
  const ownText = [
    browserRig.rig.site.url,
    browserRig.rig.receiver.url,
    API_KEY,
    PROFILE.crm_id,
    JSON.stringify(ITEMS),
    'order-pii-1',
  ]
    .join('\n')
    .toLowerCase();
  for (const request of sent) {
    expect(request.body ?? '', 'a GET or URL-only beacon has no body').toBe('');
    expect(inspectGetUrl(request.url, { base: receiver.url, apiKey: API_KEY, probes, ownText }).problems).toEqual([]);
  }
  // And the receiver's decoded records: their free text (the page URL) holds none either.
  for (const event of receiver.events) {
    const texts: Array<[string, string]> = [
      ['record.page_view_url', event.record.page_view_url ?? ''],
      ['pageUrl', event.pageUrl ?? ''],
    ];
    expect(findLeaks(probes, texts, ownText)).toEqual([]);
  }
}

describe.each([
  ['ESM build (dist/index.js)', 'pii-esm.html'],
  ['tag-manager build (dist/symbiosys.tag.js)', 'pii-tag.html'],
])('PII in Chromium, %s', (_, fixture) => {
  it('a signed-in page view and an order carry exactly the vector hashes, and no raw value', async () => {
    const { receiver } = browserRig.rig;
    const session = await open(fixture);
    const results = await session.page.evaluate(
      async ({ profile, customer, items }) => {
        const { pii } = window as unknown as Pii;
        pii.identify(profile);
        const view = await pii.track('page_view', { product_id: '170830' });
        const order = await pii.track('order', { order_id: 'order-pii-1', items, customer });
        await pii.flush();
        return [view.status, order.status];
      },
      { profile: PROFILE, customer: CUSTOMER, items: ITEMS },
    );
    expect(results).toEqual(['sent', 'sent']);

    const view = await receiver.waitFor(isPageView);
    expect(hashedOf(view.record)).toEqual(PROFILE_HASHES);
    expect(view.record.crm_id).toBe(PROFILE.crm_id);

    const order = await receiver.waitFor(isOrder);
    expect(order.via).toBe('GET');
    // The customer's hashes without `_user`, the profile's with it; the customer's email wins.
    expect(hashedOf(order.record)).toEqual({ ...PROFILE_HASHES, ...CUSTOMER_HASHES });
    expect(order.record.order_id).toBe('order-pii-1');

    expectNoRawPii(session.sent);
    expect(session.sent).toHaveLength(2);
    // No error: every vector input is valid.
    expect(await session.errors()).toEqual([]);
  });

  it('an email in the page URL is stripped from page_url; PII parameters go, campaign parameters stay', async () => {
    const { receiver } = browserRig.rig;
    const site = browserRig.rig.site.url;
    const session = await open(fixture);
    const urls = [
      // The case: the address as a query value, a fragment after it.
      { path: '/account?email=jane@example.com#x', expected: `${site}/account#x` },
      // In the path, under a harmless name (%40-encoded), after a fragment's `=`; with a phone and a click id.
      {
        path: '/account/jane@example.com/orders?ref=jane%40example.com&utm_source=mail&gclid=Cj0KCQabc&tel=%2B16505551212#contact=jane@example.com',
        expected: undefined,
      },
    ];
    for (const { path } of urls) {
      const status = await session.page.evaluate(async (to) => {
        history.pushState(null, '', to);
        return (await (window as unknown as Pii).pii.track('page_view')).status;
      }, path);
      expect(status).toBe('sent');
    }
    await expect.poll(() => receiver.events.filter(isPageView).length).toBe(2);
    const [plain, rich] = receiver.events.filter(isPageView);
    expect(plain?.pageUrl).toBe(urls[0]!.expected);
    expect(rich?.pageUrl).toMatch(new RegExp(`^${site}/account/+orders\\?`));
    expect(rich?.pageUrl).toContain('utm_source=mail');
    expect(rich?.pageUrl).toContain('gclid=Cj0KCQabc');
    expect(rich?.pageUrl).not.toMatch(/jane|%40|@|tel=|6505551212/);
    // The click id still does its job.
    expect(rich?.record).toMatchObject({ channel: 'google', channel_click_id: 'Cj0KCQabc' });
    expectNoRawPii(session.sent, { email: 'jane@example.com', phone: '+16505551212' });
  });
});
