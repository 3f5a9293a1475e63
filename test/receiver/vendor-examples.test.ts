/**
 * The vendor document's four example requests reach the receiver as
 * documented (GET query, URL-only beacon, JSON POST with the key as a header)
 * and come out as the long-name records they stand for.
 */
import { describe, expect, it } from 'vitest';
import { encodeGet } from '../../src/core/get-encoder.js';
import type { OrderRecord, PageViewRecord } from '../../src/core/model.js';
import { vendorOrderItems, vendorPostExample } from '../helpers/vendor.js';
import { KEY, call, postJson, useReceiver, vendorGetUrl } from './harness.js';

const receiver = useReceiver();

const PROFILE_HASHES = {
  hashed_email: 'c61ca4013045d4992166ed703a736fbb7e6d0c3b831ff0721eaf953d460ff0a9',
  hashed_phone_user: '7b7bc2512ee1fedcd76bdc68926d4f7b4ad6eec7e1f1abf2a5e93df18bafad8e',
  hashed_phone_e164_user: 'bd99f4a2bda3f841d3f9a78cf39aa0d6ed7ac712a967351a51915d6c9837c1c3',
  hashed_date_of_birth_user: '32d10c7b8cf96570ca04ce37f2a19d84240d3a89e9c171a8f2f64d4e6b8f6e63',
  hashed_first_name_user: 'a7d3e6d93b41f6a4941347ecb2e3cb5debe8272b2f8a60d2411b5acb739e6ef3',
  hashed_last_name_user: '77b7bbefbf6b6317014acded918b6e253a652d48970ee2f40f9f0f7d11f9e5f6',
  hashed_zip_code_user: 'dc5a53bbedf238b49ef3ea7f41b5d64c8b993c79b7ae9c5b314ab29fa96cf6fa',
  hashed_city_user: '8e9b752be8b1b1c8a76f96e50794e9d45ed4cb16a4fa1a6f2b70f8eebd8ef1be',
  hashed_state_user: 'f84e3c5642a9074536bb68bcb1b99c6a8a97aaab618c2d70ae007eac8315c6ff',
};

const PAGE_URL =
  'https://www.retailer.com/shop/product/product170830?gclid=CjwKCAiAneK8BhAVEiwAoy2HYQpFqiwODAaicabsXW_8vWawqji1354WiCHj15ZEygWv4sAnqfOBUxoCg-MQAvD_BwE';

/** What `GET /page_viewjs`'s example means, in long names and typed values. */
const GET_PAGE_VIEW: PageViewRecord = {
  page_view_ts: 1729696661986,
  visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a',
  session_id: '1729694623545',
  crm_id: '119583788',
  ...PROFILE_HASHES,
  use_att_click_id: false,
  att_click_id: 'zxck87hwbasduuvgaosdf_afl',
  page_view_url: PAGE_URL,
  channel: 'google',
  channel_click_id: 'CjwKCAiAneK8BhAVEiwAoy2HYQpFqiwODAaicabsXW_8vWawqji1354WiCHj15ZEygWv4sAnqfOBUxoCg-MQAvD_BwE',
  external_campaign_id: '342524',
  product_id: '170830',
  item_group_id: '3845239',
  category_id: '30087',
  seller_id: '18231233',
  brand: 'nike',
};

/** What `GET /orderjs`'s example means: tilde lists back into items, prices and quantities as numbers. */
const GET_ORDER: OrderRecord = {
  order_ts: 1729696661986,
  visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a',
  session_id: '1729694623545',
  crm_id: '119583788',
  ...PROFILE_HASHES,
  hashed_phone: '9f9d51bc70ef21ca5c14f307980a29d8d6eb68e4b5cf1e6a0e94d1c2c84e6f4d',
  hashed_phone_e164: 'ee26b0dd4af7e749aa1a8ee3c10ae992e9a9d7e40452a7c3a2e0a69fef6f1f7c',
  hashed_date_of_birth: '98b2979503d318edb1f6d1b802b4e6e0f90d43e5c5c91c1057b5d8a455b53c9b',
  hashed_first_name: 'fbade9e36a3f36d3d676c1b808451dd7f7d011e7e50ddaa6f31bfb4e08b0e4a8',
  hashed_last_name: '4d186321c1a7f0f354b297e8914ab240e1dbb3f9842f53c111ed84fd0f9f9c5b',
  hashed_zip_code: '0b4e7a0e5fe84ad35fb5f95b9ceeac79e4f9c11edaaef9c13d37b12cc9cfcc76',
  hashed_city: '6c3e226b4d4795d518ab341b0824ec29d996fc862f451c3dfe2a4ed29fc4b8e2',
  hashed_state: '907d14fb3af2b0d4f18c2d46abe8aedce17367bd2d46c9fa3c8f1b60c2549cd8',
  page_view_url: 'https://www.retailer.com/checkout',
  order_id: '238476923',
  items: vendorOrderItems(),
};

describe('GET examples of the vendor document', () => {
  it.each([
    { path: '/page_viewjs' as const, event: 'page_view', expected: GET_PAGE_VIEW },
    { path: '/orderjs' as const, event: 'order', expected: GET_ORDER },
  ])('$path: 200, and the record in long names', async ({ path, event, expected }) => {
    const answer = await call(receiver(), vendorGetUrl(path));
    expect(answer.status).toBe(200);
    expect(receiver().events).toHaveLength(1);
    const [received] = receiver().events;
    expect(received).toMatchObject({ id: 1, event, via: 'GET', path });
    // toStrictEqual: no extra keys, and typed values (numbers, booleans), not strings.
    expect(received?.record).toStrictEqual(expected);
    expect(received?.pageUrl).toBe(expected.page_view_url);
  });

  it.each(['/page_viewjs', '/orderjs'] as const)(
    '%s as a URL-only beacon (POST, query in the URL, body ignored)',
    async (path) => {
      const answer = await call(receiver(), vendorGetUrl(path), {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: 'ignored',
      });
      expect(answer.status).toBe(200);
      expect(receiver().events.map((event) => [event.via, event.path])).toEqual([['beacon', path]]);
      expect(receiver().events[0]?.record).toStrictEqual(path === '/orderjs' ? GET_ORDER : GET_PAGE_VIEW);
    },
  );

  it.each([
    { event: 'page_view' as const, record: GET_PAGE_VIEW },
    { event: 'order' as const, record: GET_ORDER },
  ])("the SDK's own GET encoder and the receiver agree on the $event example", async ({ event, record }) => {
    const encoding = encodeGet(event, record as never, { apiKey: KEY, base: receiver().url });
    if (!encoding.ok) throw encoding.error;
    expect((await fetch(encoding.request.url)).status).toBe(200);
    expect(receiver().events[0]?.record).toStrictEqual(record);
  });
});

describe('POST examples of the vendor document', () => {
  it('POST /page_view: the body is stored as sent; page_view_url shown decoded', async () => {
    const { headers, body } = vendorPostExample('/page_view');
    expect(Object.keys(headers)).toEqual(['api_key']);
    const answer = await postJson(receiver(), '/page_view', body);
    expect(answer).toMatchObject({ status: 200, body: { ok: true, received: 1 } });
    const [received] = receiver().events;
    expect(received).toMatchObject({ event: 'page_view', via: 'POST', path: '/page_view' });
    expect(received?.record).toStrictEqual(body);
    expect(received?.record.page_view_url).toMatch(/^https%3A%2F%2F/);
    expect(received?.pageUrl).toBe(PAGE_URL);
  });

  it('POST /orders: one event per order of the batch, items as numbers', async () => {
    const { body } = vendorPostExample('/orders');
    const single = (body as object[])[0] as Record<string, unknown>;
    const batch = [single, { ...single, order_id: '238476924' }];
    const answer = await postJson(receiver(), '/orders', batch);
    expect(answer).toMatchObject({ status: 200, body: { ok: true, received: 2 } });
    expect(receiver().events.map((event) => event.record)).toStrictEqual(batch);
    expect(receiver().events.map((event) => [event.id, event.event, event.via])).toEqual([
      [1, 'order', 'POST'],
      [2, 'order', 'POST'],
    ]);
    expect(receiver().requests).toMatchObject([{ status: 200, method: 'POST', path: '/orders', eventIds: [1, 2] }]);
  });
});
