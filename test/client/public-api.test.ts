/**
 * The public surface the README documents, in Node (no window): the names exist with
 * their behaviour, the types refuse wrong events, and a server-side render
 * that calls the SDK gets a harmless "does nothing" once.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as sdk from '@acme/symbiosys';
import { SymbiosysClient, type TrackResult } from '@acme/symbiosys';

describe('types', () => {
  it('refuse wrong event names and orders without order_id or items', () => {
    const c = new SymbiosysClient({ apiKey: 'k' });
    // Compile-time checks: tsc fails if any @ts-expect-error is not an error.
    const typeChecks = () => {
      // @ts-expect-error not an event name
      void c.track('purchase', {});
      // @ts-expect-error order_id is required
      void c.track('order', { items: [] });
      // @ts-expect-error items are required
      void c.track('order', { order_id: 1 });
      // @ts-expect-error quantity is required on an item
      void c.track('order', { order_id: 1, items: [{ product_id: 'p' }] });
      // @ts-expect-error page views take no order_id
      void c.track('page_view', { order_id: 1 });
      // @ts-expect-error environment is production or development
      new SymbiosysClient({ apiKey: 'k', environment: 'staging' });
      // @ts-expect-error consent has three states
      c.setConsent('maybe');
      // Ids take strings or numbers.
      void c.track('order', { order_id: 238476923, items: [{ product_id: 170830, quantity: 1 }] });
    };
    expect(typeof typeChecks).toBe('function');
    expectTypeOf(c.track('page_view')).toEqualTypeOf<Promise<TrackResult>>();
  });
});

describe('server-side rendering (no window)', () => {
  it('a client in Node does nothing, says so once, and never throws', async () => {
    const codes: string[] = [];
    const c = new SymbiosysClient({ apiKey: 'k', onError: (e) => codes.push(e.code) });
    const first = await c.track('page_view');
    const second = await c.track('order', { order_id: 1, items: [{ product_id: 'p', quantity: 1 }] });
    expect(first).toMatchObject({ status: 'dropped', reason: 'unsupported_environment' });
    expect(second).toMatchObject({ status: 'dropped', reason: 'unsupported_environment' });
    expect(codes).toEqual(['unsupported_environment']);
    // It says where the Node SDK is, for whoever reached for the browser entry on a server.
    expect(first.errors[0]?.message).toContain('@acme/symbiosys/server');
    c.identify({ email: 'jane@example.com' });
    c.setConsent('denied');
    await expect(c.flush()).resolves.toBeUndefined();
  });

  it('the default client keeps calls made before init, and a second init returns the first client', async () => {
    const early = await sdk.track('page_view');
    expect(early).toMatchObject({ status: 'queued', reason: 'not_initialized' });
    const client = sdk.init({ apiKey: 'k' });
    expect(sdk.init({ apiKey: 'other' })).toBe(client);
    expect(sdk.getClient()).toBe(client);
  });
});
