/**
 * The server client and the records stream over hostile input: nothing
 * throws, a value that cannot be read costs its field (an error naming it)
 * and never the event, and the text of a caller's exception (which may hold
 * anything) never comes back: not in an error's message, its field, its
 * `cause`, nor in a request body.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SymbiosysServerClient, toRecords } from '../../src/server/index.js';
import type { PostEvent, ServerTrackResult, SymbiosysError } from '../../src/server/index.js';
import { SECRET, boom, build, expectNoSecret, hostile, hostileInput } from './hostile.js';
import { VISITOR_ID } from './receiver-bodies.js';

const bodies: string[] = [];
const reported: SymbiosysError[] = [];
const client = new SymbiosysServerClient({
  apiKey: 'test-key',
  endpoint: 'http://127.0.0.1:9',
  batch: { flushIntervalMs: 60_000 },
  retry: { limit: 0 },
  maxQueueSize: 1_000_000,
  fetch: async (input, init) => {
    bodies.push(await new Request(input, init).text());
    return new Response(null, { status: 200 });
  },
  onError: (error: SymbiosysError, events: readonly PostEvent[]) => {
    reported.push(error);
    for (const event of events) bodies.push(JSON.stringify(event.body));
  },
});
afterAll(() => client.close({ timeoutMs: 100 }));

const ids = { visitor_id: VISITOR_ID, session_id: '1729694623545' };
describe('server track', () => {
  it('any hostile input, either event: never throws, never echoes what the caller threw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('page_view', 'order'), hostileInput, async (event, input) => {
        reported.length = 0;
        bodies.length = 0;
        let result: ServerTrackResult | undefined;
        expect(() => {
          result = client.track(event as 'order', build(input) as never);
        }).not.toThrow();
        expect(['queued', 'invalid', 'dropped']).toContain(result?.status);
        await client.flush();
        expectNoSecret(reported);
        expectNoSecret(result?.errors ?? []);
        for (const body of bodies) expect(body).not.toContain(SECRET);
      }),
      { numRuns: 400 },
    );
  });

  it('the same hostile values as ids, items and persons of an otherwise good order', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (items, customer, user) => {
        reported.length = 0;
        const result = client.track('order', {
          ...ids,
          order_id: 'o1',
          items: build(items),
          customer: build(customer),
          user: build(user),
        } as never);
        await client.flush();
        expectNoSecret([...reported, ...result.errors]);
      }),
      { numRuns: 300 },
    );
  });

  it('any hostile value as the event name: invalid, named, nothing thrown', () => {
    fc.assert(
      fc.property(hostile, (name) => {
        const result = client.track(build(name) as 'order', { ...ids, order_id: 'o1', items: [] });
        expect(result.status).toBe('invalid');
        expect(result.errors.map((error) => error.field)).toEqual(['event']);
        expectNoSecret(result.errors);
      }),
      { numRuns: 200 },
    );
    expect(client.track(Object.create(null) as 'order', {} as never).status).toBe('invalid');
  });

  it.each([1e21, 1e300, Number.MAX_VALUE])('a price of %d: that price is dropped, the order is sent', async (price) => {
    bodies.length = 0;
    const result = client.track('order', {
      ...ids,
      order_id: 'priced',
      items: [{ product_id: 'p1', quantity: 1, regular_unit_price: price, discount_unit_price: 5 }],
    });
    expect(result.errors.map((error) => error.field)).toEqual(['items.0.regular_unit_price']);
    await client.flush();
    expect(bodies.join('')).toContain('"discount_unit_price":5');
    expect(bodies.join('')).not.toMatch(/regular_unit_price|e\+/);
  });

  it('a getter that throws costs its field, not the event', () => {
    const item = { product_id: 'p1', quantity: 1 };
    Object.defineProperty(item, 'brand', { enumerable: true, get: boom });
    const customer = { first_name: 'Jane' };
    Object.defineProperty(customer, 'email', { enumerable: true, get: boom });
    const result = client.track('order', { ...ids, order_id: 'o1', items: [item], customer });
    expect(result.status).toBe('queued');
    expect(result.errors.map((error) => [error.code, error.field])).toEqual([
      ['invalid_field', 'items.0.brand'],
      ['invalid_pii', 'customer.email'],
    ]);
    expect(result.status === 'queued' && result.event.body).toMatchObject({
      items: [{ product_id: 'p1', quantity: 1 }],
      hashed_first_name: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
  });

  it('a required field that cannot be read: the event is invalid, named, not "failed unexpectedly"', () => {
    const input = { ...ids, items: [] };
    Object.defineProperty(input, 'order_id', { enumerable: true, get: boom });
    const result = client.track('order', input as never);
    expect(result.status).toBe('invalid');
    expect(result.errors.map((error) => error.message)).toContain('order_id could not be read: dropped');
    expectNoSecret(result.errors);
  });

  it('an input that cannot be read at all (a Proxy whose traps throw)', () => {
    const input = new Proxy({}, { ownKeys: boom, get: boom, getOwnPropertyDescriptor: boom });
    const result = client.track('page_view', input as never);
    expect(result.status).toBe('invalid');
    expect(result.errors[0]).toMatchObject({ code: 'invalid_field', field: 'page_view' });
    expectNoSecret(result.errors);
  });

  it('a JSON `__proto__` key is a key like any other: reported, and the event still sent', () => {
    const input = JSON.parse(
      `{"visitor_id":"${ids.visitor_id}","session_id":"${ids.session_id}","__proto__":{"brand":"x"},"product_id":"p1"}`,
    ) as Record<string, unknown>;
    const result = client.track('page_view', input as never);
    expect(result.status).toBe('queued');
    expect(result.errors.map((error) => error.field)).toEqual(['__proto__']);
    expect(result.status === 'queued' && result.event.body).not.toHaveProperty('brand');
  });

  it('an input without a prototype is read as any object', () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, ids, { product_id: 'p1' });
    expect(client.track('page_view', input as never)).toMatchObject({ status: 'queued', errors: [] });
  });
});

describe('toRecords', () => {
  it('any hostile inputs, with an onError that throws: every input is read, the stream never ends early', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileInput, { maxLength: 5 }), async (inputs) => {
        const good = { ...ids, order_ts: 1729696661986, order_id: 'last', items: [{ product_id: 'p', quantity: 1 }] };
        const out: Array<{ order_id?: string }> = [];
        const errors: unknown[] = [];
        const onError = (error: unknown) => {
          errors.push(error);
          throw new Error('the handler broke');
        };
        for await (const record of toRecords([...inputs.map(build), good], { event: 'order', onError })) {
          out.push(record);
        }
        expect(out.at(-1)?.order_id).toBe('last');
        expectNoSecret(errors);
      }),
      { numRuns: 200 },
    );
  });
});
