// The headless demo's shopper: lands on a product from an ad click, follows a
// client-side link, signs in, and places an order, in the demo storefront.

/** What the shopper types (the sign-in form starts with these values) and buys. */
export const SHOPPER = {
  email: 'Jane.Doe@Example.com',
  phone: '(650) 555-1212',
  first_name: 'Jane',
  last_name: 'Doe',
  date_of_birth: '1990-01-31',
  zip_code: '10001',
  city: 'New York',
  state: 'NY',
};

/** The visit, step by step: the events each step must produce, in order. */
export const VISIT = [
  {
    step: 'land on a product from an ad click',
    pageView: '/shop/product/170830?gclid=demo-click-1',
    product: '170830',
    signedIn: false,
  },
  {
    step: 'follow a link (pushState route change)',
    pageView: '/shop/product/310552',
    product: '310552',
    signedIn: false,
  },
  { step: 'open the sign-in page', pageView: '/shop/sign-in', signedIn: false },
  { step: 'sign in (identify), land on the cart', pageView: '/shop/cart', signedIn: true },
  { step: 'go to checkout', pageView: '/shop/checkout', signedIn: true },
  { step: 'place the order', order: true, signedIn: true },
  { step: 'see the thank-you page', pageView: '/shop/thank-you', signedIn: true },
];

/** Drives the storefront at `shopUrl` (`http://host:port`) through VISIT; returns the order id shown. */
export async function shop(page, shopUrl) {
  await page.goto(`${shopUrl}/shop/product/170830?gclid=demo-click-1`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Court Cap' }).click();
  await page.waitForURL('**/shop/product/310552');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL('**/shop/sign-in');
  for (const [name, value] of Object.entries(SHOPPER)) await page.locator(`form [name="${name}"]`).fill(value);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/shop/cart');
  await page.getByRole('link', { name: 'Checkout' }).click();
  await page.waitForURL('**/shop/checkout');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL('**/shop/thank-you?order=*');
  return new URL(page.url()).searchParams.get('order');
}
