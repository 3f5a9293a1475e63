/**
 * Request level, server SDK (in Node, where it runs): for thousands of
 * generated users, order customers and page URLs, no POST body holds a raw
 * PII value given to it, every `hashed_*` field is 64 lowercase hex, and no
 * reported error holds a raw value. The client's `fetch` option is a recorder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SymbiosysServerClient, type SymbiosysError } from '@acme/symbiosys/server';
import {
  buildPageUrl,
  defaultCountry,
  forShoppers,
  items,
  pageSkeleton,
  profile,
  type PageSkeleton,
} from './arbitraries.js';
import { errorLeaks, probesOf } from './leaks.js';
import { inspectPostBody } from './wire.js';

// ky's per-request work makes a server run ~3x a browser run: fewer runs, same coverage of shapes.
const RUNS = 1000;
const URL_RUNS = 500;
// A few seconds alone; several times that on a shared 2-core machine under load.
const PROPERTY_TIMEOUT_MS = 120_000;
const API_KEY = 'sk_test_privacy';
const BASE = 'https://collect.example';
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0';

interface Posted {
  url: string;
  apiKey: string | null;
  body: string;
}

function recorder(posted: Posted[]): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    posted.push({ url: request.url, apiKey: request.headers.get('api_key'), body: await request.text() });
    return new Response(null, { status: 200 });
  };
}

/** One property run: a page view and an order from one server client, every body inspected. */
async function run(
  user: Record<string, unknown>,
  customer: Record<string, unknown>,
  orderItems: unknown[],
  skeleton: PageSkeleton,
  how: { defaultCountry: string | undefined; preEncoded?: boolean; runNumber: number },
  tally: { events: number; hashes: number; placed: number },
): Promise<void> {
  const posted: Posted[] = [];
  const errors: SymbiosysError[] = [];
  const server = new SymbiosysServerClient({
    apiKey: API_KEY,
    endpoint: BASE,
    fetch: recorder(posted),
    retry: { limit: 0 },
    onError: (error) => errors.push(error),
    ...(how.defaultCountry ? { defaultCountry: how.defaultCountry } : {}),
  });
  const page = buildPageUrl('https://shop.example', skeleton, user);
  tally.placed += page.placed;
  const ids = {
    visitor_id: `018f3a${how.runNumber.toString(16).padStart(6, '0')}${'0'.repeat(33)}`,
    session_id: `${1729694623545 + how.runNumber}`,
  };
  const orderId = `order-${how.runNumber}`;
  const results = [
    server.track('page_view', {
      ...ids,
      user_agent: USER_AGENT,
      user,
      page_view_url: how.preEncoded ? encodeURIComponent(page.url) : page.url,
      product_id: '170830',
      brand: 'nike',
    }),
    server.track('order', {
      ...ids,
      user_agent: USER_AGENT,
      order_id: orderId,
      items: orderItems as never,
      customer,
      user,
    }),
  ];
  await server.flush();

  const problems: string[] = [];
  for (const result of results) if (result.status !== 'queued') problems.push(`an event was ${result.status}`);
  const probes = [...probesOf(user, 'user'), ...probesOf(customer, 'customer')];
  const ownText = [
    BASE,
    USER_AGENT,
    ids.visitor_id,
    ids.session_id,
    orderId,
    '170830',
    'nike',
    'web',
    JSON.stringify(orderItems),
    typeof user['crm_id'] === 'string' || typeof user['crm_id'] === 'number' ? String(user['crm_id']) : '',
    page.ownText,
  ]
    .join('\n')
    .toLowerCase();
  let events = 0;
  for (const request of posted) {
    const inspection = inspectPostBody(request, { base: BASE, apiKey: API_KEY, ids, probes, ownText });
    problems.push(...inspection.problems);
    tally.hashes += inspection.hashes;
    events += inspection.events;
  }
  if (events !== 2) problems.push(`${events} events posted instead of 2`);
  tally.events += events;
  problems.push(...errorLeaks(errors, probes));
  if (problems.length > 0)
    throw new Error(`${problems.join('\n')}\nbodies:\n${posted.map((p) => `${p.url} ${p.body}`).join('\n')}`);
}

const settings = fc.record({ defaultCountry });

describe('server SDK requests, for any user and customer', () => {
  it(
    `no POST body carries a raw PII value; every hashed_* is 64 lowercase hex (${RUNS} runs)`,
    async () => {
      const tally = { events: 0, hashes: 0, placed: 0 };
      const seconds = await forShoppers(
        RUNS,
        settings,
        async ({ user, customer, orderItems, skeleton, how, runNumber }) => {
          // Page URLs here hold no PII (see the next test): this one is about `user` and `customer`.
          await run(user, customer, orderItems, { ...skeleton, placements: [] }, { ...how, runNumber }, tally);
        },
      );
      console.info(
        `server requests: ${RUNS} runs, ${tally.events} events, ${tally.hashes} hashed_* values, ${seconds.toFixed(1)} s`,
      );
      expect(tally.events).toBe(RUNS * 2);
      expect(tally.hashes).toBeGreaterThan(RUNS * 3);
    },
    PROPERTY_TIMEOUT_MS,
  );

  // The server takes a plain URL or one already percent-encoded (the vendor's POST example): both are scrubbed.
  it(
    `a page view's page_view_url loses the PII it carries, as in the browser (${URL_RUNS} runs)`,
    async () => {
      const tally = { events: 0, hashes: 0, placed: 0 };
      let runNumber = 0;
      await fc.assert(
        fc.asyncProperty(
          profile,
          items,
          pageSkeleton,
          settings,
          fc.boolean(),
          async (user, orderItems, skeleton, how, preEncoded) => {
            runNumber += 1;
            await run(user, {}, orderItems, skeleton, { ...how, preEncoded, runNumber }, tally);
          },
        ),
        { numRuns: URL_RUNS },
      );
      expect(tally.placed).toBeGreaterThan(URL_RUNS / 2);
    },
    PROPERTY_TIMEOUT_MS,
  );
});
