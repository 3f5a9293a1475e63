/**
 * The tag-manager build from a plain <script src> tag: it defines
 * `window.Symbiosys` (and no other global), keeps a call made before `init`,
 * and its events reach the receiver.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';

const browserRig = useBrowserRig();
const fixture = (name: string) => `${browserRig.rig.site.url}/fixtures/${name}`;

describe('dist/symbiosys.tag.js in a <script> tag', () => {
  it('sends the page view tracked before init and the order tracked after it', async () => {
    const page = await browserRig.newPage();
    const { receiver } = browserRig.rig;
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(fixture('tag.html'));

    const view = await receiver.waitFor((event): event is ReceivedEventOf<'page_view'> => event.event === 'page_view');
    expect(view.record).toMatchObject({ product_id: '170830', brand: 'nike' });
    expect(view.pageUrl).toBe(fixture('tag.html'));
    // The early page view was replayed at init, before identify: no profile on it.
    expect(view.record.hashed_email).toBeUndefined();

    const order = await receiver.waitFor((event): event is ReceivedEventOf<'order'> => event.event === 'order');
    expect(order.record).toMatchObject({
      order_id: 'tag-1',
      items: [{ product_id: '170830', quantity: 2, regular_unit_price: 10 }],
      hashed_email: createHash('sha256').update('tag.user@example.com').digest('hex'),
      visitor_id: view.record.visitor_id,
    });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { orderResult?: unknown }).orderResult))
      .toMatchObject({
        event: 'order',
        status: 'sent',
        transport: 'fetch',
        confirmed: true,
      });
    expect(pageErrors).toEqual([]);
  });

  it('adds exactly one global, Symbiosys, with the browser entry functions', async () => {
    const page = await browserRig.newPage();
    await page.goto(fixture('sdk.html'));
    await page.waitForFunction(() => 'sdk' in window);
    const before = await page.evaluate(() => Object.keys(window));
    expect(before).not.toContain('Symbiosys');
    await page.addScriptTag({ url: '/dist/symbiosys.tag.js' });
    const after = await page.evaluate(() => Object.keys(window));
    expect(after.filter((key) => !before.includes(key))).toEqual(['Symbiosys']);
    const surface = await page.evaluate(() => {
      const tag = (window as unknown as { Symbiosys: Record<string, unknown> }).Symbiosys;
      return Object.fromEntries(Object.keys(tag).map((key) => [key, typeof tag[key]]));
    });
    expect(surface).toEqual({
      SymbiosysClient: 'function',
      flush: 'function',
      getClient: 'function',
      googleConsentMode: 'function',
      identify: 'function',
      init: 'function',
      reset: 'function',
      setConsent: 'function',
      tcfConsent: 'function',
      track: 'function',
    });
  });
});
