// @vitest-environment happy-dom
/**
 * Request level, browser SDK: for thousands of generated profiles, order
 * customers and page URLs (which sometimes carry the person's email, phone,
 * name, ZIP or birth date in the path, query or fragment), no GET URL the SDK
 * sends holds a raw PII value given to it, every `hashed_*` parameter is 64
 * lowercase hex, and no error reported holds a raw value either.
 * `fetch` is replaced by a recorder (much faster than msw over thousands of runs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLICK_IDS, SymbiosysClient, type SymbiosysError, type TrackResult } from '@acme/symbiosys';
import { buildPageUrl, defaultCountry, forShoppers, pageSkeleton } from './arbitraries.js';
import { errorLeaks, probesOf } from './leaks.js';
import { inspectGetUrl } from './wire.js';
import { recordFetch } from '../helpers/fetch-recorder.js';

const RUNS = 1500;
// A few seconds alone; several times that on a shared 2-core machine under load.
const PROPERTY_TIMEOUT_MS = 120_000;
const API_KEY = 'pk_test_privacy';
const BASE = 'https://collect.example';

const sent = recordFetch();

function clearBrowserState(): void {
  localStorage.clear();
  for (const cookie of document.cookie.split(';')) {
    const name = cookie.split('=')[0]!.trim();
    if (name) document.cookie = `${name}=; max-age=0; path=/`;
  }
}

describe('browser SDK requests, for any profile, customer and page URL', () => {
  it(
    `no GET URL carries a raw PII value; every hashed_* is 64 lowercase hex (${RUNS} runs)`,
    async () => {
      let requests = 0;
      let hashes = 0;
      let placedInUrl = 0;
      const seconds = await forShoppers(
        RUNS,
        fc.record({
          orderSkeleton: pageSkeleton,
          viaLocation: fc.boolean(),
          orderUrl: fc.boolean(),
          defaultCountry,
          product: fc.constantFrom('170830', '238443', 'sku-88'),
        }),
        async ({ user, customer, orderItems, skeleton: viewSkeleton, how, runNumber }) => {
          clearBrowserState();
          sent.length = 0;
          const errors: SymbiosysError[] = [];
          const client = new SymbiosysClient({
            apiKey: API_KEY,
            endpoint: BASE,
            transport: 'fetch',
            onError: (error) => errors.push(error),
            ...(how.defaultCountry ? { defaultCountry: how.defaultCountry } : {}),
          });
          // The page view's URL carries the profile's PII, the order's the customer's.
          const view = buildPageUrl(location.origin, viewSkeleton, user);
          const orderPage = buildPageUrl('https://shop.example', how.orderSkeleton, customer);
          placedInUrl += view.placed + orderPage.placed;
          if (how.viaLocation) history.replaceState(null, '', view.url);
          const orderId = `order-${runNumber}-${Math.random().toString(36).slice(2)}`;

          client.identify(user);
          const results: TrackResult[] = [
            await client.track('page_view', {
              product_id: how.product,
              ...(how.viaLocation ? {} : { page_view_url: view.url }),
            }),
            await client.track('order', {
              order_id: orderId,
              items: orderItems,
              customer,
              ...(how.orderUrl ? { page_view_url: orderPage.url } : {}),
            }),
          ];
          await client.flush();

          const problems: string[] = [];
          for (const result of results)
            if (result.status !== 'sent')
              problems.push(`${result.event} was ${result.status} (${'reason' in result ? result.reason : ''})`);
          if (sent.length !== 2) problems.push(`${sent.length} requests instead of 2`);
          const probes = [...probesOf(user, 'user'), ...probesOf(customer, 'customer')];
          const ownText = [
            BASE,
            API_KEY,
            how.product,
            orderId,
            JSON.stringify(orderItems),
            String((user as { crm_id?: string | number }).crm_id ?? ''),
            view.ownText,
            orderPage.ownText,
            location.origin,
            ...Object.values(DEFAULT_CLICK_IDS),
          ]
            .join('\n')
            .toLowerCase();
          for (const url of sent) {
            const inspection = inspectGetUrl(url, { base: BASE, apiKey: API_KEY, probes, ownText });
            problems.push(...inspection.problems);
            hashes += inspection.hashes;
            requests += 1;
          }
          problems.push(...errorLeaks(errors, probes));
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\nrequests:\n${sent.join('\n')}`);
        },
      );
      console.info(
        `browser requests: ${RUNS} runs, ${requests} requests, ${hashes} hashed_* values, ${placedInUrl} PII values placed in page URLs, ${seconds.toFixed(1)} s`,
      );
      // The property was not vacuous: requests went out, hashes were checked, PII sat in URLs.
      expect(requests).toBe(RUNS * 2);
      expect(hashes).toBeGreaterThan(RUNS * 3);
      expect(placedInUrl).toBeGreaterThan(RUNS / 2);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

// Browsers spell non-ASCII in a path or query percent-encoded (`location.href`
// of `/a/jane@exämple.de` is `/a/jane@ex%C3%A4mple.de`): such an address is
// still an email address, and must go like any other.
describe('addresses with non-ASCII characters in the page URL', () => {
  it.each([
    ['domain, in the path, as typed', 'https://shop.example/a/jane@exämple.de', 'jane@exämple.de'],
    [
      'domain, in the path, as location.href spells it',
      'https://shop.example/a/jane@ex%C3%A4mple.de',
      'jane@exämple.de',
    ],
    [
      'domain, in a query value, as location.href spells it',
      'https://shop.example/a?ref=jane%40ex%C3%A4mple.de',
      'jane@exämple.de',
    ],
    [
      'domain, in the fragment, as location.href spells it',
      'https://shop.example/a#jane@ex%C3%A4mple.de',
      'jane@exämple.de',
    ],
    [
      'local part, in a query value, as location.href spells it',
      'https://shop.example/a?ref=j%C3%B6rg%40example.com',
      'jörg@example.com',
    ],
  ])('%s', async (_, pageUrl, address) => {
    clearBrowserState();
    sent.length = 0;
    const client = new SymbiosysClient({ apiKey: API_KEY, endpoint: BASE, transport: 'fetch' });
    expect((await client.track('page_view', { page_view_url: pageUrl })).status).toBe('sent');
    expect(sent).toHaveLength(1);
    const probes = probesOf({ email: address }, 'url');
    expect(
      inspectGetUrl(sent[0]!, { base: BASE, apiKey: API_KEY, probes, ownText: 'https://shop.example/a?ref=' }).problems,
    ).toEqual([]);
  });
});

// The inspector must find what it looks for, and only that: a property that
// can not fail proves nothing.
describe('inspectGetUrl itself', () => {
  const probes = probesOf(
    { email: ' Jane.Doe@Example.com ', first_name: 'Face', zip_code: '98121', phone: '(650) 555-1212' },
    'user',
  );
  const url = (query: string) =>
    `${BASE}/page_viewjs?api_key=${API_KEY}&ts=1729696661986&vid=${'a'.repeat(45)}&${query}`;
  const inspect = (query: string) =>
    inspectGetUrl(url(query), { base: BASE, apiKey: API_KEY, probes, ownText: '' }).problems;
  const HASH_WITH_FACE_AND_ZIP = `face98121${'0'.repeat(55)}`;

  it.each([
    [
      'an address in page_url, encoded once',
      `page_url=${encodeURIComponent('https://s.example/?x=jane.doe@example.com')}`,
      /raw user\.email/,
    ],
    [
      'an address in page_url, encoded twice',
      `page_url=${encodeURIComponent(`https://s.example/?x=${encodeURIComponent('Jane.Doe@Example.com')}`)}`,
      /raw user\.email/,
    ],
    ['a ZIP as a brand', 'brand=98121', /raw user\.zip_code/],
    ['phone digits in an item list', 'prodid=1~16505551212', /raw user\.phone/],
    ['a name under an unknown parameter', 'fn=face', /unknown parameter "fn"[\s\S]*raw user\.first_name/],
    ['an upper-case hash', `hashed_email=${'A'.repeat(64)}`, /hashed_email is not 64 lowercase hex/],
    ['a raw value as a hash', 'hashed_first_name=face', /hashed_first_name is not 64 lowercase hex/],
  ])('finds %s', (_, query, problem) => {
    expect(inspect(query).join('\n')).toMatch(problem);
  });

  it('does not count a name or ZIP that happens to sit inside a hash or the visitor id', () => {
    expect(inspect(`hashed_email=${HASH_WITH_FACE_AND_ZIP}&sid=1729696661986`)).toEqual([]);
  });
});
