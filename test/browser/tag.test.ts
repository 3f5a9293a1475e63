/**
 * The tag-manager build from a plain <script src> tag: it defines
 * `window.Symbiosys` (and no other global), keeps a call made before `init`,
 * and its events reach the receiver; also on a page whose `Object.prototype`
 * was polluted, and when the page includes the script twice.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';

const browserRig = useBrowserRig();
const fixture = (name: string) => `${browserRig.rig.site.url}/fixtures/${name}`;
const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';

type TagWindow = {
  Symbiosys: {
    init: (options: unknown) => unknown;
    track: (event: string, input: object) => Promise<{ status: string; reason?: string }>;
  };
  SYMBIOSYS_CONFIG: unknown;
};

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

  it('loads and sends on a page whose Object.prototype has an enumerable property', async () => {
    const page = await browserRig.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(fixture('blank.html'));
    // As a vulnerable query-string parser or an old library leaves it.
    await page.evaluate(() => {
      (Object.prototype as Record<string, unknown>).polluted = 'yes';
    });
    await page.addScriptTag({ url: '/dist/symbiosys.tag.js' });
    expect(pageErrors).toEqual([]);
    const result = await page.evaluate(() => {
      const { Symbiosys, SYMBIOSYS_CONFIG } = window as unknown as TagWindow;
      Symbiosys.init(SYMBIOSYS_CONFIG);
      return Symbiosys.track('page_view', { product_id: 'polluted-page' });
    });
    expect(result).toMatchObject({ status: 'sent' });
    const view = await browserRig.rig.receiver.waitFor(isPageView);
    expect(view.record.product_id).toBe('polluted-page');
    expect(pageErrors).toEqual([]);
  });

  it("included twice (the README's plain <script src> form), keeps the live instance: later calls are sent", async () => {
    const page = await browserRig.newPage();
    const { receiver } = browserRig.rig;
    await page.goto(fixture('tag.html'));
    await receiver.waitFor(isPageView);
    await page.evaluate(() => {
      (window as unknown as { first: unknown }).first = (window as unknown as TagWindow).Symbiosys;
    });
    // The second copy: a template and a tag manager both include the script.
    await page.addScriptTag({ url: '/dist/symbiosys.tag.js' });
    // A later tag that only tracks (the page's init ran once, before the second copy).
    const result = await page.evaluate(() =>
      (window as unknown as TagWindow).Symbiosys.track('page_view', { product_id: 'after-second-copy' }),
    );
    expect(result).toMatchObject({ status: 'sent' });
    expect(
      await page.evaluate(
        () =>
          (window as unknown as TagWindow & { first: unknown }).first === (window as unknown as TagWindow).Symbiosys,
      ),
    ).toBe(true);
    await expect
      .poll(() => receiver.events.filter(isPageView).map((view) => view.record.product_id))
      .toEqual(['170830', 'after-second-copy']);
  });
});
