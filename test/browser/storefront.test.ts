/**
 * The demo storefront in real Chromium, against the local receiver: page
 * views on client-side route changes (pushState, popstate), a sign-in, and an
 * order at checkout, each decoded by the receiver as the contract says.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HEX64 = /^[0-9a-f]{64}$/;

const browserRig = useBrowserRig();
const shop = (path: string) => `${browserRig.rig.site.url}/shop${path}`;
const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';
const pageViewAt =
  (url: string) =>
  (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> =>
    isPageView(event) && event.pageUrl === url;

/** A new page, on the shop's `path`. */
async function openShop(path: string): Promise<Page> {
  const page = await browserRig.newPage();
  await page.goto(shop(path));
  return page;
}
const addToCart = (page: Page) => page.getByRole('button', { name: 'Add to cart' }).click();

describe('storefront page views', () => {
  it('each client-side route change sends one page view with its own page_url and product', async () => {
    const { receiver } = browserRig.rig;
    const page = await openShop('/product/170830');
    await receiver.waitFor(pageViewAt(shop('/product/170830')));

    const routes = [
      { click: 'Trail Sock', url: shop('/product/238443'), product_id: '238443' },
      { click: 'Cart (', url: shop('/cart'), product_id: undefined },
      { click: 'Court Cap', url: shop('/product/310552'), product_id: '310552', via: '/shop/' },
    ];
    for (const route of routes) {
      if (route.via) await page.goto(shop('/')); // A full load between, then SPA links again.
      await page.getByRole('link', { name: route.click }).first().click();
      await page.waitForURL(route.url);
      const event = await receiver.waitFor(pageViewAt(route.url));
      expect(event.record.product_id).toBe(route.product_id);
    }
    await page.goBack(); // popstate: back to the shop's home page.
    await expect.poll(() => receiver.events.filter(pageViewAt(shop('/'))).length, { timeout: 5000 }).toBe(2);

    const views = receiver.events.filter(isPageView);
    expect(views.map((event) => event.pageUrl)).toEqual([
      shop('/product/170830'),
      shop('/product/238443'),
      shop('/cart'),
      shop('/'),
      shop('/product/310552'),
      shop('/'),
    ]);
    expect(views[0]?.record).toMatchObject({
      product_id: '170830',
      item_group_id: '3845239',
      category_id: '30087',
      seller_id: '18231233',
      brand: 'nike',
    });
    // One visitor and one session across the SPA and the full reload.
    expect(new Set(views.map((event) => event.record.visitor_id)).size).toBe(1);
    expect(new Set(views.map((event) => event.record.session_id)).size).toBe(1);
    // Every page view was accepted: nothing refused.
    expect(receiver.requests.every((request) => request.status === 200)).toBe(true);
  });
});

describe('storefront checkout', () => {
  it('an order placed at checkout arrives with its items, prices and hashed customer', async () => {
    const { receiver } = browserRig.rig;
    const page = await openShop('/product/170830');
    await addToCart(page);
    await addToCart(page);
    await page.getByRole('link', { name: 'Court Cap' }).click();
    await addToCart(page);
    await page.getByRole('link', { name: /Cart \(3\)/ }).click();
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByLabel('Email').fill('  Pat.Buyer@Example.com ');
    await page.getByLabel('Phone').fill('+1 (212) 555-0188');
    await page.getByLabel('First name').fill('Pat');
    await page.getByLabel('Last name').fill('Buyer');
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.waitForURL(/\/shop\/thank-you\?order=\d+$/);
    const orderId = new URL(page.url()).searchParams.get('order');
    const order = await receiver.waitFor((event): event is ReceivedEventOf<'order'> => event.event === 'order');
    expect(order.via).toBe('GET'); // Orders go by fetch, so delivery is confirmed.
    expect(order.pageUrl).toBe(shop('/checkout'));
    expect(order.record.order_id).toBe(orderId);
    expect(order.record.items).toEqual([
      {
        product_id: '170830',
        item_group_id: '3845239',
        category_id: '30087',
        seller_id: '18231233',
        brand: 'nike',
        quantity: 2,
        regular_unit_price: 10,
        discount_unit_price: 5,
      },
      {
        product_id: '310552',
        item_group_id: '4100001',
        category_id: '30112',
        seller_id: '20045511',
        brand: 'puma',
        quantity: 1,
        regular_unit_price: 24.5,
        discount_unit_price: 19.9,
      },
    ]);
    expect(order.record).toMatchObject({
      hashed_email: sha256('pat.buyer@example.com'),
      hashed_phone: sha256('12125550188'),
      hashed_phone_e164: sha256('+12125550188'),
      hashed_first_name: sha256('pat'),
      hashed_last_name: sha256('buyer'),
    });
    expect(Object.keys(order.record).filter((key) => key.endsWith('_user'))).toEqual([]); // Not signed in.
    await expect.poll(() => page.locator('.tracked').textContent()).toContain('order: sent (fetch, confirmed)');
    await receiver.waitFor(pageViewAt(`${shop('/thank-you')}?order=${orderId}`));
  });

  it('after sign-in, page views and the order carry the profile as *_user hashes', async () => {
    const { receiver } = browserRig.rig;
    const page = await openShop('/product/238443');
    await addToCart(page);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click(); // The form starts filled with the demo shopper.
    await page.waitForURL(shop('/cart'));
    const cartView = await receiver.waitFor(pageViewAt(shop('/cart')));
    const profileHashes = {
      hashed_email: sha256('jane.doe@example.com'),
      hashed_phone_user: sha256('16505551212'),
      hashed_phone_e164_user: sha256('+16505551212'),
      hashed_first_name_user: sha256('jane'),
      hashed_last_name_user: sha256('doe'),
      hashed_date_of_birth_user: sha256('19900131'),
      hashed_zip_code_user: sha256('10001'),
      hashed_city_user: sha256('newyork'),
      hashed_state_user: sha256('ny'),
    };
    expect(cartView.record).toMatchObject(profileHashes);
    // The page view before sign-in had none of them.
    const before = receiver.events.find(pageViewAt(shop('/product/238443')));
    expect(Object.keys(before?.record ?? {}).filter((key) => key.startsWith('hashed_'))).toEqual([]);

    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByRole('button', { name: 'Place order' }).click(); // Checkout is prefilled from the account.
    const order = await receiver.waitFor((event): event is ReceivedEventOf<'order'> => event.event === 'order');
    expect(order.record).toMatchObject({
      ...profileHashes,
      hashed_first_name: sha256('jane'),
      hashed_city: sha256('newyork'),
    });
    for (const value of Object.entries(order.record)
      .filter(([key]) => key.startsWith('hashed_'))
      .map(([, v]) => v)) {
      expect(value).toMatch(HEX64);
    }
  });
});
