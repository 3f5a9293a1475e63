import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SymbiosysServerClient } from '../../src/server/index.js';
import { API_KEY, inputFromVendor, startApi, vendorBody } from './helpers.js';

const api = startApi();
afterEach(() => api.reset());
afterAll(() => api.close());

function client() {
  const errors: unknown[] = [];
  const server = new SymbiosysServerClient({
    apiKey: API_KEY,
    onError: (error) => errors.push(error),
    batch: { flushIntervalMs: 5 },
  });
  return { server, errors };
}

describe('POST bodies equal the vendor document, field by field and in order', () => {
  it.each([
    ['page_view', '/page_view'],
    ['order', '/orders'],
  ] as const)('%s', async (event, path) => {
    const { server, errors } = client();
    const result = server.track(event, inputFromVendor(path) as never);
    expect(result.status).toBe('queued');
    await server.flush();
    expect(errors).toEqual([]);
    expect(api.received).toHaveLength(1);
    const request = api.received[0]!;
    expect(request.path).toBe(path);
    expect(request.apiKey).toBe(API_KEY);
    expect(request.contentType).toBe('application/json');
    const expected = vendorBody(path);
    const body = (path === '/orders' ? (request.body as unknown[])[0] : request.body) as Record<string, unknown>;
    if (path === '/orders') expect(Array.isArray(request.body)).toBe(true);
    expect(Object.keys(body)).toEqual(Object.keys(expected));
    expect(body).toEqual(expected);
  });
});

describe('defaults and omissions', () => {
  const ids = { visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a', session_id: '1729694623545' };

  it('fills platform web and the timestamp, omits absent fields, sends ids as strings and prices as numbers', async () => {
    const { server } = client();
    const before = Date.now();
    server.track('page_view', { ...ids, product_id: 170830, brand: '', channel: undefined } as never);
    server.track('order', {
      ...ids,
      order_id: 238476923,
      items: [{ product_id: 1, quantity: 2, regular_unit_price: 10 }],
    });
    await server.flush();
    const pageView = api.received.find((r) => r.path === '/page_view')!.body as Record<string, unknown>;
    expect(pageView).toEqual<Record<string, unknown>>({
      page_view_ts: expect.any(Number),
      platform: 'web',
      ...ids,
      product_id: '170830',
    });
    expect(pageView.page_view_ts as number).toBeGreaterThanOrEqual(before);
    const [order] = api.orders() as Array<Record<string, unknown>>;
    expect(order).toEqual<Record<string, unknown>>({
      order_ts: expect.any(Number),
      platform: 'web',
      ...ids,
      order_id: '238476923',
      items: [{ product_id: '1', quantity: 2, regular_unit_price: 10 }],
    });
    expect(Object.values(order!).some((v) => v === null || v === '')).toBe(false);
  });

  it('percent-encodes page_view_url once, and passes an already encoded one through', async () => {
    const { server } = client();
    server.track('page_view', { ...ids, page_view_url: 'https://shop.example/p?q=a b&x=1' });
    server.track('page_view', { ...ids, page_view_url: 'https%3A%2F%2Fshop.example%2Fp' });
    await server.flush();
    const urls = api.received.map((r) => (r.body as Record<string, unknown>).page_view_url).sort();
    expect(urls).toEqual(
      ['https%3A%2F%2Fshop.example%2Fp', 'https%3A%2F%2Fshop.example%2Fp%3Fq%3Da%20b%26x%3D1'].sort(),
    );
  });

  it('an order carries no page_view_url, and says so', async () => {
    const { server } = client();
    // The type refuses it too; a plain JavaScript caller can still pass it.
    const order = {
      ...ids,
      order_id: '1',
      items: [{ product_id: '1', quantity: 1 }],
      page_view_url: 'https://x.example/',
    };
    const result = server.track('order', order);
    await server.flush();
    expect(result.errors.map((e) => e.field)).toEqual(['page_view_url']);
    expect(api.orders()[0]).not.toHaveProperty('page_view_url');
  });

  it('hashed_email is the customer’s, else the user’s; raw PII never leaves', async () => {
    const { server } = client();
    server.track('order', {
      ...ids,
      order_id: '1',
      items: [{ product_id: '1', quantity: 1 }],
      user: { email: 'Profile@Example.com', first_name: 'Jane' },
      customer: { email: 'John_Smith@gmail.com', phone: '(650)555-1212', country: 'US' },
    });
    server.track('order', {
      ...ids,
      order_id: '2',
      items: [{ product_id: '1', quantity: 1 }],
      user: { email: '  Person@Example.com ' },
    });
    await server.flush();
    const [first, second] = api.orders() as Array<Record<string, unknown>>;
    expect(first!.hashed_email).toBe('62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
    expect(first!.hashed_phone).toBe('e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176');
    expect(first!.hashed_phone_e164).toBe('1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8');
    expect(first!.hashed_first_name_user).toMatch(/^[0-9a-f]{64}$/);
    expect(second!.hashed_email).toBe('542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345');
    const wire = JSON.stringify(api.received.map((r) => r.body));
    for (const raw of ['Example.com', 'example.com', 'gmail', 'Jane', 'jane', '555']) expect(wire).not.toContain(raw);
  });
});

describe('invalid input: the field is dropped and reported, the rest is sent', () => {
  const ids = { visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a', session_id: '1729694623545' };

  it.each([
    [
      'a bad PII field',
      { ...ids, user: { email: 'not-an-email', first_name: 'Jane' } },
      'user.email',
      'hashed_first_name_user',
    ],
    ['a bad product id', { ...ids, product_id: { nested: true }, brand: 'nike' }, 'product_id', 'brand'],
    ['a timestamp in seconds', { ...ids, page_view_ts: 1729696661, brand: 'nike' }, 'page_view_ts', 'brand'],
    ['a non-string platform', { ...ids, platform: 7, brand: 'nike' }, 'platform', 'brand'],
  ])('%s', async (_name, input, badField, keptField) => {
    const { server, errors } = client();
    const result = server.track('page_view', input as never);
    await server.flush();
    expect(result.status).toBe('queued');
    expect(result.errors.map((e) => e.field)).toEqual([badField]);
    expect(errors).toHaveLength(1);
    const body = api.received[0]!.body as Record<string, unknown>;
    expect(body).toHaveProperty(keptField);
    expect(JSON.stringify(body)).not.toContain('not-an-email');
  });

  it.each([
    ['no visitor_id', 'page_view', { session_id: '1' }, 'visitor_id'],
    ['no session_id', 'order', { visitor_id: 'v', order_id: '1', items: [] }, 'session_id'],
    ['no order_id', 'order', { ...ids, items: [{ product_id: '1', quantity: 1 }] }, 'order_id'],
    ['items not an array', 'order', { ...ids, order_id: '1', items: 'x' }, 'items'],
    // The ids' rule (core/ids.ts): an id the API would refuse loses the event here, not its whole batch there.
    [
      'an email as visitor_id',
      'order',
      { ...ids, visitor_id: 'jane@example.com', order_id: '1', items: [] },
      'visitor_id',
    ],
    ['a 44-hex visitor_id', 'page_view', { ...ids, visitor_id: ids.visitor_id.slice(1) }, 'visitor_id'],
    ['an upper-case visitor_id', 'page_view', { ...ids, visitor_id: ids.visitor_id.toUpperCase() }, 'visitor_id'],
    ['a session_id that is not digits', 'page_view', { ...ids, session_id: '-5' }, 'session_id'],
    ['a negative session_id', 'page_view', { ...ids, session_id: -5 }, 'session_id'],
  ] as const)('%s: nothing is sent', async (_name, event, input, field) => {
    const { server, errors } = client();
    const result = server.track(event, input as never);
    await server.flush();
    expect(result.status).toBe('invalid');
    expect(result.errors.map((e) => e.field)).toContain(field);
    expect(errors.length).toBeGreaterThan(0);
    expect(api.received).toHaveLength(0);
  });

  it('track never throws, even on nonsense', () => {
    const { server } = client();
    expect(server.track('page_view', null as never).status).toBe('invalid');
    expect(server.track('refund' as never, {} as never).status).toBe('invalid');
  });

  it('a missing API key is a programming error: it throws at construction', () => {
    expect(() => new SymbiosysServerClient({} as never)).toThrow(/apiKey/);
    expect(() => new SymbiosysServerClient({ apiKey: ' ' })).toThrow(/apiKey/);
  });
});
