// @vitest-environment happy-dom
/**
 * The browser client over hostile input (`hostile.ts`): `track` never
 * rejects, `identify` never throws, a value that cannot be read costs its
 * field and never the event, and the text of a caller's exception never
 * comes back, in an error, its `cause`, or a request. `fetch` is a recorder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SymbiosysClient, type SymbiosysError, type TrackResult } from '@acme/symbiosys';
import { SECRET, boom, build, expectNoSecret, hostile, hostileInput } from './hostile.js';
import { recordFetch } from '../helpers/fetch-recorder.js';

const sent = recordFetch();

const reported: SymbiosysError[] = [];
const client = new SymbiosysClient({
  apiKey: 'test-key',
  endpoint: 'https://collect.example',
  transport: 'fetch',
  storage: 'memory',
  pageViewDedupeMs: 0,
  onError: (error) => reported.push(error),
});
describe('browser track and identify', () => {
  it('any hostile input, options and profile: nothing thrown or rejected, nothing echoed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('page_view', 'order'),
        hostileInput,
        hostile,
        hostile,
        async (event, input, options, profile) => {
          reported.length = 0;
          sent.length = 0;
          expect(() => client.identify(build(profile) as never)).not.toThrow();
          const result: TrackResult = await client.track(
            event as 'order',
            build(input) as never,
            build(options) as never,
          );
          expect(['sent', 'queued', 'dropped']).toContain(result.status);
          expectNoSecret([...reported, ...result.errors]);
          for (const url of sent) expect(decodeURIComponent(url)).not.toContain(SECRET);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any hostile value as the event name: dropped as invalid, never rejected', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (name) => {
        const result = await client.track(build(name) as 'order', { order_id: 'o1', items: [] });
        expect(result).toMatchObject({ status: 'dropped', reason: 'invalid' });
        expectNoSecret(result.errors);
      }),
      { numRuns: 200 },
    );
  });

  it.each([1e21, 1e300, Number.MAX_VALUE])('a price of %d: that price is dropped, the order is sent', async (price) => {
    sent.length = 0;
    const result = await client.track('order', {
      order_id: `priced-${String(price).length}`,
      items: [{ product_id: 'p1', quantity: 1, regular_unit_price: price, discount_unit_price: 5 }],
    });
    expect(result.status).toBe('sent');
    expect(result.errors.map((error) => error.field)).toEqual(['items.0.regular_unit_price']);
    const query = new URL(sent[0]!).searchParams;
    expect(query.get('disunitpr')).toBe('5.00');
    expect(query.has('regunitpr')).toBe(false);
    expect(sent[0]).not.toMatch(/e\+|e%2B/i);
  });

  it('a getter that throws costs its field: the order is sent without it', async () => {
    reported.length = 0;
    const item = { product_id: 'p1', quantity: 1 };
    Object.defineProperty(item, 'brand', { enumerable: true, get: boom });
    const result = await client.track('order', { order_id: 'getter-1', items: [item] });
    expect(result.status).toBe('sent');
    expect(result.errors.map((error) => [error.code, error.field])).toEqual([['invalid_field', 'items.0.brand']]);
  });

  it('identify with a crm_id whose getter throws: the rest of the profile is kept', async () => {
    reported.length = 0;
    const profile = { email: 'jane@example.com' };
    Object.defineProperty(profile, 'crm_id', { enumerable: true, get: boom });
    client.identify(profile);
    expect(reported.map((error) => [error.code, error.field])).toEqual([['invalid_field', 'user.crm_id']]);
    sent.length = 0;
    await client.track('page_view', { product_id: 'after-identify' });
    expect(new URL(sent[0]!).searchParams.get('hashed_email')).toMatch(/^[0-9a-f]{64}$/);
    client.identify(null);
  });

  it('track options whose getters throw fall back to their defaults, reported', async () => {
    reported.length = 0;
    const options = {};
    Object.defineProperty(options, 'timestamp', { enumerable: true, get: boom });
    const result = await client.track('page_view', { product_id: 'options' }, options);
    expect(result.status).toBe('sent');
    expect(reported.map((error) => error.field)).toEqual(['options.timestamp']);
    expectNoSecret(reported);
  });
});
