/**
 * In real Chromium, on the package's ESM build: input of any length costs
 * `track` bounded main-thread time. A 64 KB email is refused before any
 * pattern reads it; a page URL longer than any GET can carry (given, or the
 * page's own `location.href`) is left out unread, and the event still goes.
 * Before, these froze `track` for seconds (quadratic patterns) and then
 * dropped the page view as `too_large`.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEventOf } from '../../src/receiver/index.js';
import { openSdkPage, useBrowserRig } from '../browser/helpers/hooks.js';

const browserRig = useBrowserRig();
/** Far above what these calls cost (a few ms), far below what the quadratic patterns took (1.7 to 12 s). */
const MAX_SYNC_MS = 250;
const KB64 = 64 * 1024;

interface Timed {
  /** The synchronous part of `track`: the time the page's main thread was held. */
  syncMs: number;
  status: string;
  errors: string[];
}

/** Runs `track(...call)` in a fresh client of the page's SDK. */
async function timedTrack(page: Page, call: [event: string, input: unknown, options?: unknown]): Promise<Timed> {
  return page.evaluate(async ([event, input, options]) => {
    type Sdk = typeof import('../../src/index.js');
    const { SymbiosysClient } = (window as unknown as { sdk: Sdk }).sdk;
    const config = (window as unknown as { SYMBIOSYS_CONFIG: { apiKey: string; endpoint: string } }).SYMBIOSYS_CONFIG;
    const errors: string[] = [];
    const client = new SymbiosysClient({
      ...config,
      transport: 'fetch',
      onError: (error) => errors.push(`${error.code} ${error.field ?? ''}`.trim()),
    });
    const started = performance.now();
    const pending = client.track(event as 'order', input as never, options as never);
    const syncMs = performance.now() - started;
    const result = await pending;
    return { syncMs, status: result.status, errors };
  }, call);
}

async function receivedPageView(): Promise<ReceivedEventOf<'page_view'>> {
  const { receiver } = browserRig.rig;
  await expect.poll(() => receiver.events.length, { timeout: 5000 }).toBe(1);
  return receiver.events[0] as ReceivedEventOf<'page_view'>;
}

describe('track holds the main thread briefly, whatever the length of its input', () => {
  it('a 64 KB customer email (its domain all dots): refused unread, the order still sent', async () => {
    const page = await browserRig.newPage();
    await openSdkPage(page, browserRig.rig.site.url);
    const timed = await timedTrack(page, [
      'order',
      {
        order_id: 'o1',
        items: [{ product_id: 'p', quantity: 1 }],
        customer: { email: `a@${'b.'.repeat(KB64 / 2 - 4)} x`, first_name: 'Jane' },
      },
    ]);
    expect(timed.syncMs).toBeLessThan(MAX_SYNC_MS);
    expect(timed).toMatchObject({ status: 'sent', errors: ['invalid_pii customer.email'] });
  });

  it('a 64 KB page URL given to track: left out, the page view still sent', async () => {
    const page = await browserRig.newPage();
    await openSdkPage(page, browserRig.rig.site.url);
    const timed = await timedTrack(page, [
      'page_view',
      { product_id: 'p1' },
      { pageUrl: `https://shop.example/?q=${'jane@example.com&'.repeat(KB64 / 16)}` },
    ]);
    expect(timed.syncMs).toBeLessThan(MAX_SYNC_MS);
    expect(timed).toMatchObject({ status: 'sent', errors: ['too_large page_view_url'] });
    const pageView = await receivedPageView();
    expect(pageView.record.product_id).toBe('p1');
    expect(pageView.record).not.toHaveProperty('page_view_url');
  });

  it("the page's own location.href of 64 KB: left out, the page view still sent", async () => {
    const page = await browserRig.newPage();
    await openSdkPage(page, browserRig.rig.site.url);
    await page.evaluate((length) => history.replaceState(null, '', `?q=${'a'.repeat(length)}`), KB64);
    const timed = await timedTrack(page, ['page_view', { product_id: 'p2' }]);
    expect(timed.syncMs).toBeLessThan(MAX_SYNC_MS);
    expect(timed).toMatchObject({ status: 'sent', errors: ['too_large page_view_url'] });
    expect((await receivedPageView()).record).not.toHaveProperty('page_view_url');
  });

  it('a long page URL (3.6 KB) full of addresses: every one stripped', async () => {
    const page = await browserRig.newPage();
    await openSdkPage(page, browserRig.rig.site.url);
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    const timed = await timedTrack(page, [
      'page_view',
      {},
      { pageUrl: `https://shop.example/${'to/jane.doe@example.com/'.repeat(150)}` },
    ]);
    expect(timed.syncMs).toBeLessThan(MAX_SYNC_MS);
    expect(timed).toMatchObject({ status: 'sent', errors: [] });
    const pageView = await receivedPageView();
    expect(pageView.record.page_view_url).toBe(`https://shop.example/${'to//'.repeat(150)}`);
    for (const url of urls) expect(decodeURIComponent(url)).not.toContain('jane');
  });
});
