// Compile-time pins of the public server types (checked by `tsc`), plus the runtime shape of a result.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { SymbiosysServerClient } from '../../src/server/index.js';
import type { CloseResult, PostEvent, ServerTrackResult } from '../../src/server/index.js';

describe('server types', () => {
  it('track takes the POST long names and returns a result synchronously', () => {
    const client = new SymbiosysServerClient({ apiKey: 'k', endpoint: 'http://127.0.0.1:9' });
    expectTypeOf<SymbiosysServerClient['track']>().returns.toEqualTypeOf<ServerTrackResult>();
    expectTypeOf<SymbiosysServerClient['close']>().returns.resolves.toEqualTypeOf<CloseResult>();
    if (false as boolean) {
      // @ts-expect-error order_id and items are required
      client.track('order', { visitor_id: 'v', session_id: '1' });
      // @ts-expect-error visitor_id is required
      client.track('page_view', { session_id: '1' });
      // @ts-expect-error raw PII goes in user/customer, never as hashed fields' names
      client.track('page_view', { visitor_id: 'v', session_id: '1', email: 'a@b.co' });
    }
    const result = client.track('page_view', {
      visitor_id: '01929d42ae1a0016c0cebe6dd43a0508900160810056a',
      session_id: 1729694623545,
      brand: 'nike',
    });
    expect(result.status).toBe('queued');
    if (result.status === 'queued') expectTypeOf(result.event).toEqualTypeOf<PostEvent>();
    return client.close({ timeoutMs: 1 });
  });
});
