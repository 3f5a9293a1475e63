/**
 * The server template over real HTTP to the local receiver, as sGTM would
 * run it for the GA4 client's events; and the same purchase and page view
 * through `@acme/symbiosys/server` give records identical to the tag's.
 */
import { SymbiosysServerClient } from '@acme/symbiosys/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type ReceivedEventOf } from '../../src/receiver/index.js';
import { runServerTag } from './runner/server-tag.js';

const API_KEY = 'test-key';
const VISITOR = '0192b9f481e20123456789abcdef0123456789abcdef0';
const SESSION = '1729696000000';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ quiet: true, apiKeys: [API_KEY] });
});
afterAll(() => receiver.close());
beforeEach(() => receiver.clear());

const userData = {
  email_address: '  Person@Example.com ',
  phone_number: '020 7183 8750',
  address: {
    first_name: 'Vale\u0301ry',
    last_name: 'Smith-Jones',
    city: 'London',
    region: 'Greater London',
    postal_code: 'NR9 5AL',
    country: 'GB',
  },
};
/** `userData` in the SDK's shape. */
const person = {
  email: '  Person@Example.com ',
  phone: '020 7183 8750',
  first_name: 'Vale\u0301ry',
  last_name: 'Smith-Jones',
  city: 'London',
  state: 'Greater London',
  zip_code: 'NR9 5AL',
  country: 'GB',
};
const cookies = { _sym_vid: [VISITOR], _sym_sid: [`${SESSION}.${Date.now() - 60_000}`] };
const tag = (eventData: Record<string, unknown>, apiKey = API_KEY) =>
  runServerTag({ data: { apiKey, endpoint: receiver.url }, eventData, cookies, fetch });

async function sdkRecord<E extends 'order' | 'page_view'>(
  event: E,
  input: Record<string, unknown>,
): Promise<ReceivedEventOf<E>> {
  receiver.clear();
  const client = new SymbiosysServerClient({
    apiKey: API_KEY,
    endpoint: receiver.url,
    onError: (error) => expect.fail(error.message),
  });
  expect(client.track(event, input as never).status).toBe('queued');
  await client.close({ timeoutMs: 5000 });
  return (await receiver.waitFor((received) => received.event === event)) as ReceivedEventOf<E>;
}

describe('the server template to the local receiver', () => {
  it('sends a GA4 purchase to POST /orders, the same record as the server SDK', async () => {
    const run = await tag({
      event_name: 'purchase',
      transaction_id: 'T-1001',
      user_agent: 'Mozilla/5.0 (e2e)',
      items: [
        { item_id: 'SKU-1', item_brand: 'nike', item_category: 'shoes', price: 8, discount: 2, quantity: 2 },
        { item_id: 'SKU-2', price: 10.5 },
      ],
      user_data: userData,
    });
    expect(run.outcome).toBe('success');
    const fromTag = await receiver.waitFor((event): event is ReceivedEventOf<'order'> => event.event === 'order');
    expect(fromTag.path).toBe('/orders');
    expect(fromTag.record).toMatchObject({ order_id: 'T-1001', visitor_id: VISITOR, session_id: SESSION });
    // docs/normalization.md's vectors: the person went hashed, not lost.
    expect(fromTag.record.hashed_email).toBe('542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345');
    expect(fromTag.record.hashed_first_name).toBe('08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c');

    const fromSdk = await sdkRecord('order', {
      visitor_id: VISITOR,
      session_id: SESSION,
      order_ts: fromTag.record.order_ts,
      user_agent: 'Mozilla/5.0 (e2e)',
      order_id: 'T-1001',
      items: [
        {
          product_id: 'SKU-1',
          category_id: 'shoes',
          brand: 'nike',
          quantity: 2,
          regular_unit_price: 10,
          discount_unit_price: 8,
        },
        { product_id: 'SKU-2', quantity: 1, regular_unit_price: 10.5 },
      ],
      customer: person,
    });
    expect(fromTag.record).toEqual(fromSdk.record);
  });

  it('sends a GA4 page_view to POST /page_view, the same record as the server SDK', async () => {
    const location = 'https://shop.example/p/170830?gclid=Cj0K&utm_id=42';
    const run = await tag({
      event_name: 'page_view',
      page_location: location,
      user_agent: 'UA/1',
      user_data: userData,
    });
    expect(run.outcome).toBe('success');
    const fromTag = await receiver.waitFor(
      (event): event is ReceivedEventOf<'page_view'> => event.event === 'page_view',
    );
    expect(fromTag.pageUrl).toBe(location);
    expect(fromTag.record).toMatchObject({ channel: 'google', channel_click_id: 'Cj0K', external_campaign_id: '42' });
    expect(fromTag.record.hashed_phone_e164_user).toBe(
      'e631c2534428c6c9b48c2167604a8983046085e43a2c00ed748733c544c0bb4d',
    );

    const fromSdk = await sdkRecord('page_view', {
      visitor_id: VISITOR,
      session_id: SESSION,
      page_view_ts: fromTag.record.page_view_ts,
      user_agent: 'UA/1',
      page_view_url: location,
      channel: 'google',
      channel_click_id: 'Cj0K',
      external_campaign_id: '42',
      user: person,
    });
    expect(fromTag.record).toEqual(fromSdk.record);
  });

  it('fails the tag on a refusal (a wrong key: 403), and sends nothing for other events', async () => {
    expect((await tag({ event_name: 'purchase', transaction_id: 'T-2', items: [] }, 'wrong-key')).outcome).toBe(
      'failure',
    );
    expect(receiver.requests.at(-1)?.status).toBe(403);
    const before = receiver.requests.length;
    expect((await tag({ event_name: 'add_to_cart' })).outcome).toBe('success');
    expect(receiver.requests.length).toBe(before);
  });

  it('mints the ids where no cookie has them, and sets both cookies', async () => {
    const run = await runServerTag({
      data: { apiKey: API_KEY, endpoint: receiver.url },
      eventData: { event_name: 'page_view', page_location: 'https://shop.example/' },
      fetch,
    });
    const view = await receiver.waitFor((event): event is ReceivedEventOf<'page_view'> => event.event === 'page_view');
    expect(view.record.visitor_id).toMatch(/^[0-9a-f]{45}$/);
    expect(view.record.session_id).toMatch(/^\d{13}$/);
    expect(run.setCookies.map((cookie) => [cookie.name, cookie.value])).toEqual([
      ['_sym_vid', view.record.visitor_id],
      ['_sym_sid', `${view.record.session_id}.${view.record.page_view_ts}`],
    ]);
  });
});
