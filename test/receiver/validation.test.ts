/**
 * Every kind of bad input gets a 400 naming each bad field (and nothing
 * else), a missing or unknown key gets a 403, and a refused request stores
 * nothing. Each case is one change to a vendor example that is otherwise
 * accepted (see vendor-examples.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/receiver/index.js';
import { vendorPostExample } from '../helpers/vendor.js';
import { KEY, call, postJson, useReceiver, vendorGetUrl } from './harness.js';
import type { Answer } from './harness.js';

const receiver = useReceiver();

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const UPPER_HASH = 'C61CA4013045D4992166ED703A736FBB7E6D0C3B831FF0721EAF953D460FF0A9';

/** `[field, code, index?]`, sorted: compares the whole set of problems, not just one. */
type Named = [string, Problem['code'], number?];

function named(problems: Problem[]): Named[] {
  return problems
    .map((problem): Named =>
      problem.index === undefined ? [problem.field, problem.code] : [problem.field, problem.code, problem.index],
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The JSON body of a 400. */
interface BadRequestBody {
  error: string;
  problems: Problem[];
}

/** The JSON body of a 403. */
interface ForbiddenBody {
  error: string;
  message: string;
}

function expectRefused(answer: Answer, expected: Named[]): void {
  expect(answer.status).toBe(400);
  const body = answer.body as BadRequestBody;
  expect(body.error).toBe('bad_request');
  for (const problem of body.problems) expect(problem.message).not.toBe('');
  expect(named(body.problems)).toEqual(
    named(
      expected.map(([field, code, index]) => ({ field, code, message: '', ...(index === undefined ? {} : { index }) })),
    ),
  );
  expect(receiver().events).toEqual([]);
  expect(receiver().requests.map((request) => [request.status, request.eventIds])).toEqual([[400, []]]);
}

function getWith(path: '/page_viewjs' | '/orderjs', change: (params: URLSearchParams) => void): string {
  const url = new URL(vendorGetUrl(path), 'http://x');
  change(url.searchParams);
  return `${path}?${url.searchParams}`;
}

const set = (name: string, value: string) => (params: URLSearchParams) => params.set(name, value);
const drop =
  (...names: string[]) =>
  (params: URLSearchParams) =>
    names.forEach((name) => params.delete(name));
const add = (name: string, value: string) => (params: URLSearchParams) => params.append(name, value);

describe('GET /page_viewjs: 400 naming each bad parameter', () => {
  it.each<[string, (params: URLSearchParams) => void, Named[]]>([
    ['an unknown parameter', add('foo', '1'), [['foo', 'unknown_field']]],
    ['a POST-only field', add('platform', 'web'), [['platform', 'unknown_field']]],
    ['an order field', add('qty', '1'), [['qty', 'unknown_field']]],
    ['a long name instead of the shorthand', add('visitor_id', 'abc'), [['visitor_id', 'unknown_field']]],
    ['ts in seconds', set('ts', '1729696661'), [['ts', 'invalid_value']]],
    ['ts not an integer', set('ts', '1729696661986.5'), [['ts', 'invalid_value']]],
    ['ts as a date', set('ts', '2024-10-23T15:17:41Z'), [['ts', 'invalid_value']]],
    ['vid not hex', set('vid', '01929d42-ae1a'), [['vid', 'invalid_value']]],
    ['vid in upper case', set('vid', '01929D42AE1A'), [['vid', 'invalid_value']]],
    ['sid not digits', set('sid', 's1729694623545'), [['sid', 'invalid_value']]],
    [
      'a hash of 63 characters',
      set('hashed_email', 'c61ca4013045d4992166ed703a736fbb7e6d0c3b831ff0721eaf953d460ff0a'),
      [['hashed_email', 'invalid_value']],
    ],
    ['a hash in upper case', set('hashed_city_user', UPPER_HASH), [['hashed_city_user', 'invalid_value']]],
    ['the hash of an empty string', set('hashed_state_user', EMPTY_SHA256), [['hashed_state_user', 'invalid_value']]],
    ['uaclid not true/false', set('uaclid', '0'), [['uaclid', 'invalid_value']]],
    ['page_url not a URL', set('page_url', '/shop/product'), [['page_url', 'invalid_value']]],
    ['page_url encoded twice', set('page_url', 'https%3A%2F%2Fwww.retailer.com%2F'), [['page_url', 'invalid_value']]],
    ['an empty value', set('brand', ''), [['brand', 'invalid_value']]],
    ['a stringified undefined', set('crmid', 'undefined'), [['crmid', 'invalid_value']]],
    [
      'a duplicate parameter',
      add('vid', '01929d42ae1a0016c0cebe6dd43a0508900160810056a'),
      [['vid', 'duplicate_field']],
    ],
    [
      'ts, vid and sid missing',
      drop('ts', 'vid', 'sid'),
      [
        ['ts', 'missing_field'],
        ['vid', 'missing_field'],
        ['sid', 'missing_field'],
      ],
    ],
    [
      'several bad fields at once',
      (params) => {
        params.set('ts', 'now');
        params.set('vid', 'xyz');
        params.set('uaclid', 'no');
        params.append('zz', '1');
      },
      [
        ['ts', 'invalid_value'],
        ['vid', 'invalid_value'],
        ['uaclid', 'invalid_value'],
        ['zz', 'unknown_field'],
      ],
    ],
  ])('%s', async (_, change, expected) => {
    expectRefused(await call(receiver(), getWith('/page_viewjs', change)), expected);
  });
});

describe('GET /orderjs: 400 naming each bad parameter (and item slot)', () => {
  it.each<[string, (params: URLSearchParams) => void, Named[]]>([
    ['a page-view field', add('uaclid', 'false'), [['uaclid', 'unknown_field']]],
    ['qty of zero', set('qty', '1~0'), [['qty', 'invalid_value', 1]]],
    ['qty negative', set('qty', '-1~1'), [['qty', 'invalid_value', 0]]],
    ['qty not an integer', set('qty', '1~1.5'), [['qty', 'invalid_value', 1]]],
    ['a price without decimals', set('regunitpr', '10~20.00'), [['regunitpr', 'invalid_value', 0]]],
    ['a price with three decimals', set('disunitpr', '5.000~20.00'), [['disunitpr', 'invalid_value', 0]]],
    ['a price with one decimal', set('disunitpr', '5.00~20.0'), [['disunitpr', 'invalid_value', 1]]],
    ['a price with a comma', set('regunitpr', '10,00~20.00'), [['regunitpr', 'invalid_value', 0]]],
    ['a list one slot short', set('brand', 'nike'), [['brand', 'list_length_mismatch']]],
    ['a list one slot long', set('qty', '1~1~1'), [['qty', 'list_length_mismatch']]],
    [
      'two lists of another length',
      (params) => {
        params.set('brand', 'nike');
        params.set('seller_id', '1~2~3');
      },
      [
        ['brand', 'list_length_mismatch'],
        ['seller_id', 'list_length_mismatch'],
      ],
    ],
    ['an empty prodid slot', set('prodid', '170830~'), [['prodid', 'missing_field', 1]]],
    ['an empty qty slot', set('qty', '~1'), [['qty', 'missing_field', 0]]],
    ['oid missing', drop('oid'), [['oid', 'missing_field']]],
    ['prodid missing', drop('prodid'), [['prodid', 'missing_field']]],
    ['qty missing', drop('qty'), [['qty', 'missing_field']]],
    ['a duplicate list', add('qty', '1~1'), [['qty', 'duplicate_field']]],
    ['a customer hash not hex', set('hashed_phone', 'z'.repeat(64)), [['hashed_phone', 'invalid_value']]],
  ])('%s', async (_, change, expected) => {
    expectRefused(await call(receiver(), getWith('/orderjs', change)), expected);
  });

  it('empty slots of optional lists are accepted and leave the field out of that item', async () => {
    const answer = await call(
      receiver(),
      getWith('/orderjs', (params) => {
        params.set('brand', '~reebok');
        params.set('disunitpr', '5.00~');
      }),
    );
    expect(answer.status).toBe(200);
    const received = receiver().events[0];
    const [first, second] = received?.event === 'order' ? received.record.items : [];
    expect(first).not.toHaveProperty('brand');
    expect(first).toHaveProperty('discount_unit_price', 5);
    expect(second).toHaveProperty('brand', 'reebok');
    expect(second).not.toHaveProperty('discount_unit_price');
  });
});

const pageView = (): Record<string, unknown> => ({
  ...(vendorPostExample('/page_view').body as Record<string, unknown>),
});
/** An order of the vendor's example, as the cases below edit it. */
type OrderBody = Record<string, unknown> & { items: Array<Record<string, unknown>> };
const order = (): OrderBody => structuredClone((vendorPostExample('/orders').body as OrderBody[])[0]!);
/** A batch of one such order, with these fields set on its item `index`. */
const withItem =
  (index: number, fields: Record<string, unknown>): (() => OrderBody[]) =>
  () => {
    const o = order();
    Object.assign(o.items[index]!, fields);
    return [o];
  };

describe('POST /page_view: 400 naming each bad field', () => {
  it.each<[string, () => unknown, Named[]]>([
    ['invalid JSON', () => '{"page_view_ts": 1', [['body', 'invalid_json']]],
    ['an array', () => [pageView()], [['body', 'invalid_value']]],
    [
      "the vendor example's {headers, body} wrapper",
      () => vendorPostExample('/page_view'),
      [['body', 'invalid_value']],
    ],
    ['a GET shorthand name', () => ({ ...pageView(), vid: 'abc' }), [['vid', 'unknown_field']]],
    [
      'page_view_ts as a string',
      () => ({ ...pageView(), page_view_ts: '1649171323777' }),
      [['page_view_ts', 'invalid_value']],
    ],
    [
      'page_view_ts in seconds',
      () => ({ ...pageView(), page_view_ts: 1649171323 }),
      [['page_view_ts', 'invalid_value']],
    ],
    ['session_id as a number', () => ({ ...pageView(), session_id: 1729694623545 }), [['session_id', 'invalid_value']]],
    [
      'use_att_click_id as a string',
      () => ({ ...pageView(), use_att_click_id: 'false' }),
      [['use_att_click_id', 'invalid_value']],
    ],
    [
      'page_view_url not percent-encoded',
      () => ({ ...pageView(), page_view_url: 'https://www.retailer.com/' }),
      [['page_view_url', 'invalid_value']],
    ],
    ['a null field', () => ({ ...pageView(), brand: null }), [['brand', 'invalid_value']]],
    [
      'a hash of the empty string',
      () => ({ ...pageView(), hashed_email: EMPTY_SHA256 }),
      [['hashed_email', 'invalid_value']],
    ],
    [
      'visitor_id and session_id missing',
      () => {
        const body = pageView();
        delete body['visitor_id'];
        delete body['session_id'];
        return body;
      },
      [
        ['visitor_id', 'missing_field'],
        ['session_id', 'missing_field'],
      ],
    ],
  ])('%s', async (_, body, expected) => {
    expectRefused(await postJson(receiver(), '/page_view', body()), expected);
  });
});

describe('POST /orders: 400 naming each bad field, the whole batch refused', () => {
  it.each<[string, () => unknown, Named[]]>([
    ['one order, not an array', () => order(), [['body', 'invalid_value']]],
    ['an empty batch', () => [], [['body', 'invalid_value']]],
    ['no items', () => [{ ...order(), items: [] }], [['0.items', 'invalid_value']]],
    [
      'items missing',
      () => {
        const body: Record<string, unknown> = order();
        delete body['items'];
        return [body];
      },
      [['0.items', 'missing_field']],
    ],
    ['quantity zero', withItem(0, { quantity: 0 }), [['0.items.0.quantity', 'invalid_value']]],
    ['quantity fractional', withItem(1, { quantity: 1.5 }), [['0.items.1.quantity', 'invalid_value']]],
    [
      'a price as a string',
      withItem(1, { regular_unit_price: '20.00' }),
      [['0.items.1.regular_unit_price', 'invalid_value']],
    ],
    [
      'a negative price',
      withItem(0, { discount_unit_price: -5 }),
      [['0.items.0.discount_unit_price', 'invalid_value']],
    ],
    [
      'product_id missing from an item',
      () => {
        const o = order();
        delete o.items[0]!.product_id;
        return [o];
      },
      [['0.items.0.product_id', 'missing_field']],
    ],
    [
      'page_view_url (GET only for orders)',
      () => [{ ...order(), page_view_url: 'https%3A%2F%2Fa.example%2F' }],
      [['0.page_view_url', 'unknown_field']],
    ],
    ['a product field outside items', () => [{ ...order(), brand: 'nike' }], [['0.brand', 'unknown_field']]],
    ['an unknown item field', withItem(0, { qty: 1 }), [['0.items.0.qty', 'unknown_field']]],
    [
      'the second order of a batch bad',
      () => {
        const second = order();
        delete second['order_id'];
        return [order(), second];
      },
      [['1.order_id', 'missing_field']],
    ],
  ])('%s', async (_, body, expected) => {
    expectRefused(await postJson(receiver(), '/orders', body()), expected);
  });
});

describe('API key: 403, nothing stored', () => {
  const withKey = (key: string | null) => (params: URLSearchParams) =>
    key === null ? params.delete('api_key') : params.set('api_key', key);
  it.each<[string, () => Promise<Answer>]>([
    ['GET without api_key', () => call(receiver(), getWith('/page_viewjs', withKey(null)))],
    ['GET with an unknown key', () => call(receiver(), getWith('/orderjs', withKey('wrong')))],
    [
      'GET with the key as a header only',
      () => call(receiver(), getWith('/page_viewjs', withKey(null)), { headers: { api_key: KEY } }),
    ],
    ['a beacon without api_key', () => call(receiver(), getWith('/page_viewjs', withKey(null)), { method: 'POST' })],
    ['POST without the api_key header', () => postJson(receiver(), '/page_view', pageView(), null)],
    ['POST with an unknown key', () => postJson(receiver(), '/orders', [order()], 'wrong')],
    [
      'POST with the key in the query only',
      () => call(receiver(), `/page_view?api_key=${KEY}`, { method: 'POST', body: JSON.stringify(pageView()) }),
    ],
  ])('%s', async (_, send) => {
    const answer = await send();
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual<Record<keyof ForbiddenBody, unknown>>({
      error: 'forbidden',
      message: expect.stringMatching(/api_key (header|query parameter) is (missing|not a known key)/),
    });
    expect(receiver().events).toEqual([]);
    expect(receiver().requests.map((request) => [request.status, request.message])).toEqual([
      [403, (answer.body as ForbiddenBody).message],
    ]);
  });

  it('a bad key is refused before the body is judged', async () => {
    const answer = await postJson(receiver(), '/page_view', '{not json', 'wrong');
    expect(answer.status).toBe(403);
  });
});
