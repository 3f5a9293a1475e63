// @vitest-environment happy-dom
/**
 * `reset()`, for logout on a shared computer: the profile is forgotten, a new
 * visitor and a new session start, the attribution captured from an ad click
 * is gone; the order ids already sent stay remembered (no duplicate orders).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as sdk from '@acme/symbiosys';
import { SymbiosysClient } from '@acme/symbiosys';
import { startCollector } from '../helpers/collector.js';

const collector = startCollector();
afterEach(() => {
  collector.reset();
  localStorage.clear();
  document.cookie.split(';').forEach((c) => (document.cookie = `${c.split('=')[0]}=; max-age=0; path=/`));
  history.replaceState(null, '', '/');
});
afterAll(() => collector.close());

const ORDER = { order_id: 'o-1', items: [{ product_id: 'p1', quantity: 1 }] };

describe('reset', () => {
  it('forgets the profile and the attribution, starts a new visitor and session, keeps the sent order ids', async () => {
    history.replaceState(null, '', '/landing?gclid=ad-click-1&utm_id=42');
    const client = new SymbiosysClient({ apiKey: 'test-key', transport: 'fetch' });
    client.identify({ crm_id: 'c-1', email: 'jane@example.com' });
    await client.track('page_view');
    await client.track('order', ORDER);
    const before = collector.received[0]!.params;
    expect(before.get('crmid')).toBe('c-1');
    expect(before.has('hashed_email')).toBe(true);
    expect(before.get('cclid')).toBe('ad-click-1');
    const idsBefore = client.getIds();

    client.reset();
    const idsAfter = client.getIds();
    expect(idsAfter.visitorId).toMatch(/^[0-9a-f]{45}$/);
    expect(idsAfter.visitorId).not.toBe(idsBefore.visitorId);
    expect(idsAfter.sessionId).toBeDefined();

    history.replaceState(null, '', '/next-page');
    await client.track('page_view');
    const after = collector.received[2]!.params;
    expect(after.get('vid')).toBe(idsAfter.visitorId);
    expect(after.get('sid')).toBe(idsAfter.sessionId);
    for (const name of ['crmid', 'hashed_email', 'ch', 'cclid', 'ccmp_id']) expect(after.has(name), name).toBe(false);

    // The order sent before the reset is still known: the thank-you page reloaded sends nothing.
    await expect(client.track('order', ORDER)).resolves.toMatchObject({ status: 'dropped', reason: 'duplicate' });
    expect(collector.received).toHaveLength(3);
  });

  it('is on the default API too, and kept until init like the other calls', async () => {
    sdk.identify({ crm_id: 'c-2' });
    sdk.reset();
    sdk.init({ apiKey: 'test-key', transport: 'fetch' });
    await sdk.track('page_view');
    expect(collector.received[0]!.params.has('crmid')).toBe(false);
  });
});
