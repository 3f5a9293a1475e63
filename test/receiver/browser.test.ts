/**
 * In real Chromium, from a page on another origin: a URL-only beacon, a
 * keepalive GET and a JSON POST with the api_key header (preflighted) all
 * reach the receiver, and their answers are readable (CORS). Then the
 * receiver's own page shows them, decoded.
 */
import { describe, expect, it } from 'vitest';
import { vendorPostExample } from '../helpers/vendor.js';
import { KEY, useReceiver, vendorGetUrl } from './harness.js';
import { useOtherOriginSite } from './other-origin.js';

const receiver = useReceiver();
const shop = useOtherOriginSite('shop');

describe('from a page on another origin', () => {
  it('a URL-only sendBeacon is stored as a beacon', async () => {
    const page = await shop.sitePage();
    const queued = await page.evaluate(
      (url) => navigator.sendBeacon(url),
      `${receiver().url}${vendorGetUrl('/orderjs')}`,
    );
    expect(queued).toBe(true);
    const event = await receiver().waitFor((received) => received.via === 'beacon');
    expect(event).toMatchObject({ event: 'order', path: '/orderjs', record: { order_id: '238476923' } });
    await page.close();
  });

  it('a keepalive GET, a preflighted JSON POST and a 400 are all readable by the page', async () => {
    const page = await shop.sitePage();
    const answers = await page.evaluate(
      async ({ base, getUrl, body, key }) => {
        const get = await fetch(base + getUrl, { keepalive: true });
        const post = await fetch(`${base}/page_view`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', api_key: key },
          body: JSON.stringify(body),
        });
        const bad = await fetch(`${base}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', api_key: key },
          body: '[{}]',
        });
        return [
          [get.status, await get.json()],
          [post.status, await post.json()],
          [bad.status, await bad.json()],
        ];
      },
      {
        base: receiver().url,
        getUrl: vendorGetUrl('/page_viewjs'),
        body: vendorPostExample('/page_view').body,
        key: KEY,
      },
    );
    expect(answers[0]).toEqual([200, { ok: true, received: 1 }]);
    expect(answers[1]).toEqual([200, { ok: true, received: 1 }]);
    expect(answers[2]?.[0]).toBe(400);
    const refusal = answers[2]?.[1] as { problems: Array<{ field: string }> };
    expect(refusal.problems.map((problem) => problem.field)).toEqual([
      '0.order_ts',
      '0.visitor_id',
      '0.session_id',
      '0.order_id',
      '0.items',
    ]);
    expect(receiver().events.map((event) => [event.via, event.path])).toEqual([
      ['GET', '/page_viewjs'],
      ['POST', '/page_view'],
    ]);
    await page.close();
  });
});

describe("the receiver's page", () => {
  it('lists events live, shows every field decoded on click, and the refused requests', async () => {
    const page = await shop.browser.newPage();
    await page.goto(`${receiver().url}/`);
    await fetch(`${receiver().url}/page_view`, {
      method: 'POST',
      headers: { api_key: KEY },
      body: JSON.stringify(vendorPostExample('/page_view').body),
    });
    await fetch(`${receiver().url}/orderjs?api_key=${KEY}&ts=1`);

    const row = page.locator('#events tr.event');
    await row.first().waitFor({ timeout: 5000 });
    await expect.poll(() => row.count(), { timeout: 5000 }).toBe(1);
    expect(await row.first().textContent()).toContain('https://www.retailer.com/shop/product/product170830');

    await row.first().click();
    const detail = page.locator('#events tr.detail');
    await detail.waitFor({ timeout: 5000 });
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('user_agent');
    expect(text).toContain('"Mozilla/5.0 (iPhone; CPU iPhone OS 16_2 like Mac OS X)');
    expect(text).toContain('as sent: https%3A%2F%2Fwww.retailer.com');

    const refused = page.locator('#rejected tr');
    await expect.poll(() => refused.count(), { timeout: 5000 }).toBe(1);
    expect(await refused.first().textContent()).toContain('ts: expected integer milliseconds');

    await page.locator('#clear').click();
    await expect.poll(() => row.count(), { timeout: 5000 }).toBe(0);
    expect(receiver().events).toEqual([]);
    await page.close();
  });
});
