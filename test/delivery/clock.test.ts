// @vitest-environment happy-dom
/**
 * A page whose `Date.now()` returns fractional milliseconds (a
 * high-resolution polyfill) still sends integer `ts` and `sid`, which the
 * Event API requires (issue 24, item 9).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { faultClient, order, resetBrowser } from './faulty.js';

let sent: URL[];

beforeEach(() => {
  resetBrowser();
  sent = [];
  const beacon = (url: string) => sent.push(new URL(url)) > 0;
  Object.defineProperty(navigator, 'sendBeacon', { configurable: true, writable: true, value: beacon });
  const now = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => now() + 0.625);
});
afterEach(() => {
  vi.restoreAllMocks();
  delete (navigator as { sendBeacon?: unknown }).sendBeacon;
});

describe('a fractional Date.now', () => {
  it.each([
    ['page_view', { product_id: 'pv-1' }],
    ['order', order('o-frac')],
  ] as const)('a %s goes out with integer ts and sid', async (event, input) => {
    const { client, errors } = faultClient({ transport: 'beacon' });
    expect(await client.track(event, input)).toMatchObject({ status: 'sent', transport: 'beacon' });
    expect(errors).toEqual([]);
    const [url] = sent;
    expect(url?.searchParams.get('ts')).toMatch(/^\d{13}$/);
    expect(url?.searchParams.get('sid')).toMatch(/^\d{13}$/);
  });
});
