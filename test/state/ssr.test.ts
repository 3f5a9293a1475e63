// No DOM here: plain Node, as in server-side rendering.
import { describe, expect, test } from 'vitest';

describe('browser-state modules in plain Node', () => {
  test('there is no window, document or localStorage', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    expect(typeof localStorage).toBe('undefined');
  });

  test('import without throwing and work in memory', async () => {
    const { createKeyValueStore } = await import('../../src/browser/storage.js');
    const { Identity } = await import('../../src/browser/identity.js');
    const { Attribution, readAttribution } = await import('../../src/browser/attribution.js');
    const { OrderClaims } = await import('../../src/browser/order-claims.js');
    const { PageViewGate } = await import('../../src/browser/page-view-gate.js');

    const store = createKeyValueStore('cookie+localStorage');
    store.set('k', 'v', 1000);
    expect(store.get('k')).toBe('v');
    expect(store.readLocal('k')).toBe('v');

    const ids = new Identity(store).idsForEvent();
    expect(ids.visitorId).toMatch(/^[0-9a-f]{45}$/);
    expect(ids.isNewSession).toBe(true);
    expect(new Identity(store).idsForEvent().sessionId).toBe(ids.sessionId);

    expect(new Attribution(store).forPageView('https://a.example/?gclid=G', ids)).toEqual({
      channel: 'google',
      channel_click_id: 'G',
    });
    expect(readAttribution('/?fbclid=F')).toEqual({ channel: 'facebook', channel_click_id: 'F' });
    expect(new PageViewGate().admit({ page_view_url: '/' })).toBe(true);
    const orders = new OrderClaims();
    expect(orders.markSent('o1')).toBe(true);
    expect(orders.has('o1')).toBe(true);
  });
});
