// @vitest-environment happy-dom
/** Each error code, produced through the public API, with the field named and the value never shown. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DeliveryError,
  DropError,
  InputError,
  SymbiosysClient,
  isSymbiosysError,
  type TrackResult,
} from '@acme/symbiosys';
import { startCollector } from '../helpers/collector.js';
import { keepingErrors } from '../helpers/errors-kept.js';

const collector = startCollector();
beforeEach(() => localStorage.clear());
afterEach(() => collector.reset());
afterAll(() => collector.close());

function client(extra: Record<string, unknown> = {}) {
  const { client: c, errors } = keepingErrors(
    (onError) => new SymbiosysClient({ apiKey: 'test-key', transport: 'fetch', retryBaseMs: 5, onError, ...extra }),
  );
  return { c, errors };
}

const item = { product_id: 'p1', quantity: 1, regular_unit_price: 10 };

interface Case {
  name: string;
  run: (c: SymbiosysClient) => Promise<TrackResult>;
  code: string;
  field?: string;
  kind: typeof InputError | typeof DeliveryError | typeof DropError;
  status: TrackResult['status'];
  /** A request still goes out with the rest of the event. */
  sent?: boolean;
}

const cases: Case[] = [
  {
    name: 'a negative quantity drops that line; the rest of the order is sent',
    run: (c) => c.track('order', { order_id: 'o1', items: [{ ...item, quantity: -1 }, item] }),
    code: 'invalid_field',
    field: 'items.0.quantity',
    kind: InputError,
    status: 'sent',
    sent: true,
  },
  {
    name: 'an order left with no line is not sent, and says why',
    run: (c) => c.track('order', { order_id: 'o1b', items: [{ ...item, quantity: 1.5 }] }),
    code: 'invalid_field',
    field: 'items',
    kind: InputError,
    status: 'dropped',
  },
  {
    name: 'an order without order_id is not sent',
    // @ts-expect-error order_id is required by the types too
    run: (c) => c.track('order', { items: [item] }),
    code: 'invalid_field',
    field: 'order_id',
    kind: InputError,
    status: 'dropped',
  },
  {
    name: 'an invalid customer email drops that field only',
    run: (c) =>
      c.track('order', { order_id: 'o2', items: [item], customer: { email: 'not-an-address', first_name: 'Jane' } }),
    code: 'invalid_pii',
    field: 'customer.email',
    kind: InputError,
    status: 'sent',
    sent: true,
  },
  {
    name: 'a ~ inside a list value is never split',
    run: (c) => c.track('order', { order_id: 'o3', items: [{ ...item, brand: 'a~b' }, item] }),
    code: 'tilde_in_value',
    field: 'items.0.brand',
    kind: InputError,
    status: 'sent',
    sent: true,
  },
  {
    name: 'an order too long for a GET URL is reported, not truncated',
    run: (c) =>
      c.track('order', {
        order_id: 'o4',
        items: Array.from({ length: 400 }, (_, i) => ({ ...item, product_id: `product-${i}` })),
      }),
    code: 'too_large',
    kind: InputError,
    status: 'dropped',
  },
  {
    name: 'the same order id twice is a duplicate',
    run: async (c) => {
      await c.track('order', { order_id: 'o5', items: [item] });
      return c.track('order', { order_id: 'o5', items: [item] });
    },
    code: 'duplicate',
    field: 'order_id',
    kind: DropError,
    status: 'dropped',
  },
];

describe('error codes', () => {
  it.each(cases)('$name: $code', async ({ run, code, field, kind, status, sent }) => {
    const { c, errors } = client();
    const result = await run(c);
    expect(result.status).toBe(status);
    const error = result.errors.find((e) => e.code === code && (field === undefined || e.field === field));
    expect(error, `result errors: ${result.errors.map((e) => e.code).join(',')}`).toBeInstanceOf(kind);
    expect(isSymbiosysError(error)).toBe(true);
    if (field) expect(error?.field).toBe(field);
    if (code !== 'duplicate') expect(errors).toContain(error);
    if (sent) expect(collector.received.length).toBeGreaterThan(0);
    expect(error?.message).not.toContain('not-an-address');
  });

  it('an invalid optional field keeps the rest of its line, aligned; a line missing a required field is dropped', async () => {
    const { c, errors } = client();
    await c.track('order', {
      order_id: 'o6',
      items: [
        { ...item, regular_unit_price: -1, brand: 'nike' },
        { ...item, quantity: 0, brand: 'adidas' },
        // @ts-expect-error product_id is required by the types too
        { quantity: 2, brand: 'puma' },
        { ...item, quantity: 3 },
      ],
    });
    const params = collector.received[0]!.params;
    expect(params.get('qty')).toBe('1~3');
    expect(params.get('brand')).toBe('nike~');
    expect(params.get('prodid')).toBe('p1~p1');
    expect(params.get('regunitpr')).toBe('~10.00');
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ['items.0.regular_unit_price', 'items.0.regular_unit_price must be a number from 0 to 90071992547409.9: dropped'],
      ['items.1.quantity', 'items.1.quantity must be a positive integer: line dropped'],
      ['items.2.product_id', 'items.2.product_id is required: line dropped'],
    ]);
  });

  it('network failure and 5xx are queued for retry, with their code', async () => {
    collector.respondWith('/page_viewjs', 'network');
    collector.respondWith('/orderjs', 503);
    const { c } = client();
    const network = await c.track('page_view');
    const server = await c.track('order', { order_id: 'o7', items: [item] });
    expect(network).toMatchObject({ status: 'queued', reason: 'retrying' });
    expect(network.errors.map((e) => e.code)).toEqual(['network']);
    expect(server).toMatchObject({ status: 'queued', reason: 'retrying' });
    expect(server.errors[0]).toMatchObject({ code: 'server_error', status: 503 });
    await c.flush(2000);
    expect(collector.received.filter((r) => r.path === '/orderjs')).toHaveLength(2);
  });

  it('consent denied drops with consent_denied; a throwing onError does not break tracking', async () => {
    const c = new SymbiosysClient({
      apiKey: 'k',
      consent: 'denied',
      onError: () => {
        throw new Error('boom');
      },
    });
    const result = await c.track('page_view');
    expect(result).toMatchObject({ status: 'dropped', reason: 'consent_denied' });
    expect(result.errors[0]?.code).toBe('consent_denied');
    const ok = new SymbiosysClient({
      apiKey: 'k',
      transport: 'fetch',
      onError: () => {
        throw new Error('boom');
      },
    });
    expect(await ok.track('order', { order_id: 'x', items: [item, { ...item, quantity: -5 }] })).toMatchObject({
      status: 'sent',
    });
  });

  it('a missing API key is a programming mistake: the constructor throws', () => {
    // @ts-expect-error apiKey is required
    expect(() => new SymbiosysClient({})).toThrow(/apiKey/);
    expect(() => new SymbiosysClient({ apiKey: '  ' })).toThrow(/apiKey/);
  });

  it('never rejects, even on input of the wrong type', async () => {
    const { c } = client();
    // @ts-expect-error not an event name
    const odd = await c.track('click', 42);
    expect(odd).toMatchObject({ status: 'dropped', reason: 'invalid' });
    expect(odd.errors[0]).toMatchObject({ code: 'invalid_field', field: 'event' });
    // @ts-expect-error not an order
    const bad = await c.track('order', 'nope');
    expect(bad).toMatchObject({ status: 'dropped', reason: 'invalid' });
  });
});
