/**
 * The law behind "nothing is sent that the API refuses": for random,
 * valid-looking input (ids as strings and numbers, quantities and prices of
 * every sign and shape, timestamps of 10 to 14 digits, `~` in values, lines
 * without their required fields, people's PII), whatever the SDK decides to
 * send, the project's receiver (on 127.0.0.1) accepts: the browser's GET
 * (the pipeline's own URL) and the server's POST (the server client itself).
 * What the SDK will not send, it does not send: an order with no line left,
 * an unreadable time.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymbiosysServerClient, type SymbiosysError } from '@acme/symbiosys/server';
import { startReceiver, type Receiver } from '@acme/symbiosys/receiver';
import { PageViewGate } from '../../src/browser/page-view-gate.js';
import { sha256Hex } from '../../src/browser/hash.js';
import { runPipeline, type BrowserState, type PipelineOptions } from '../../src/browser/pipeline.js';
import type { Delivery } from '../../src/browser/delivery.js';
import { anyText, person, profile } from './arbitraries.js';

const RUNS = 300;
const PROPERTY_TIMEOUT_MS = 120_000;
const API_KEY = 'test-key';
const VISITOR = `${Date.now().toString(16).padStart(12, '0')}${'a'.repeat(33)}`;
const SESSION = String(Date.now() - 60_000);

/** Ids as shops write them: digits, SKUs, numbers (some negative or fractional), blanks, a `~`. */
const id = fc.oneof(
  fc.integer({ min: -5, max: 10_000_000 }),
  fc.double({ min: -1, max: 1e6 }),
  fc.stringMatching(/^[0-9]{1,8}$/),
  fc.stringMatching(/^sku-[a-z0-9]{1,6}$/),
  fc.constantFrom('', ' ', 'a~b', '170830 '),
  anyText,
);
const quantity = fc.oneof(
  fc.integer({ min: -2, max: 20 }),
  fc.double({ min: -2, max: 20 }),
  fc.constantFrom('2', 1.5, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, null),
);
const price = fc.oneof(
  fc.integer({ min: -100, max: 100_000 }).map((cents) => cents / 100),
  fc.double({ min: -10, max: 1e16 }),
  fc.constantFrom('10.00', Number.NaN, 1e21, 0),
);
const item = fc.record(
  {
    product_id: id,
    item_group_id: id,
    category_id: id,
    seller_id: id,
    brand: fc.oneof(anyText, fc.constantFrom('nike', 'a~b')),
    quantity,
    regular_unit_price: price,
    discount_unit_price: price,
  },
  { requiredKeys: [] },
);
const timestamp = fc.oneof(
  fc.integer({ min: 1_000_000_000, max: 99_999_999_999_999 }),
  fc.constantFrom(Date.now(), 999_999_999_999, 1_000_000_000_000, 9_999_999_999_999, 1e13, Date.now() + 0.5),
  fc.date({ min: new Date('1990-01-01'), max: new Date('2300-01-01'), noInvalidDate: true }),
);
const pageUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'https://shop.example/p?email=jane@example.com',
    'https%3A%2F%2Fshop.example%2Fp%3Fq%3Da%20b',
    'not a url',
    '',
  ),
  anyText,
);
const order = fc.record(
  {
    order_id: id,
    order_ts: timestamp,
    crm_id: id,
    page_view_url: pageUrl,
    items: fc.array(item, { minLength: 0, maxLength: 4 }),
    customer: person,
  },
  { requiredKeys: ['order_id', 'items'] },
);
const pageView = fc.record(
  {
    page_view_ts: timestamp,
    crm_id: id,
    page_view_url: pageUrl,
    product_id: id,
    brand: anyText,
    channel: fc.oneof(anyText, fc.constant('google')),
    channel_click_id: anyText,
    external_campaign_id: id,
    use_att_click_id: fc.oneof(fc.boolean(), fc.constant('true')),
    att_click_id: anyText,
  },
  { requiredKeys: [] },
);

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ apiKeys: [API_KEY], quiet: true });
});
afterAll(() => receiver.close());

/** The browser pipeline as the client runs it, with the URL it would deliver handed back instead. */
async function browserUrl(event: 'page_view' | 'order', input: unknown, user: unknown): Promise<string | undefined> {
  let url: string | undefined;
  const delivery = {
    send: (entry: { url: string }) => {
      url = entry.url;
      return Promise.resolve({ status: 'sent', transport: 'fetch', confirmed: true });
    },
  } as unknown as Delivery;
  const state = {
    identity: { idsForEvent: () => ({ visitorId: VISITOR, sessionId: SESSION }) },
    attribution: { forPageView: () => undefined },
  } as unknown as BrowserState;
  const options: PipelineOptions = {
    apiKey: API_KEY,
    base: receiver.url,
    sha256: sha256Hex,
    pageViews: new PageViewGate({ windowMs: 0 }),
    delivery,
    report: () => undefined,
  };
  const { hashProfile } = await import('../../src/browser/pipeline.js');
  const fields = hashProfile(user as never, options);
  const call = { event, input, at: Date.now(), url: 'https://shop.example/cart' };
  const result = await runPipeline(call, state, fields, options);
  return result.status === 'sent' ? url : undefined;
}

/** A random event of either kind, with a signed-in user, for both routes. */
const anyEvent = fc.record({ event: fc.constantFrom('page_view', 'order'), pageView, order, user: profile });

describe('whatever the SDK sends, the receiver accepts', () => {
  it(
    `browser GET, ${RUNS} random page views and orders`,
    async () => {
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(anyEvent, async ({ event, pageView: pv, order: o, user }) => {
          const url = await browserUrl(event, event === 'order' ? o : pv, user);
          if (url === undefined) return;
          sent += 1;
          const response = await fetch(url);
          expect(response.status, `${url}\n${await response.text()}`).toBe(200);
        }),
        { numRuns: RUNS },
      );
      // The law is not vacuous: most random events are sendable.
      expect(sent).toBeGreaterThan(RUNS / 3);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    `server POST, ${RUNS} random page views and orders`,
    async () => {
      const errors: SymbiosysError[] = [];
      const client = new SymbiosysServerClient({
        apiKey: API_KEY,
        endpoint: receiver.url,
        retry: { limit: 0 },
        batch: { maxCount: 1 },
        onError: (error) => errors.push(error),
      });
      let queued = 0;
      await fc.assert(
        fc.asyncProperty(anyEvent, async ({ event, pageView: pv, order: o, user }) => {
          const ids = { visitor_id: VISITOR, session_id: SESSION, user };
          const result =
            event === 'order'
              ? client.track('order', { ...o, ...ids } as never)
              : client.track('page_view', { ...pv, ...ids } as never);
          if (result.status !== 'queued') return;
          queued += 1;
          await client.flush();
          const refused = errors.filter((error) => error.code === 'rejected');
          expect(refused.map((error) => error.message)).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      expect(queued).toBeGreaterThan(RUNS / 3);
      await client.close();
    },
    PROPERTY_TIMEOUT_MS,
  );
});
