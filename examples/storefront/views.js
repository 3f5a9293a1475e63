// One view per route: its title, the page view it tracks, and its HTML.
// Links marked data-link are routed on the client (history.pushState).
import { PRODUCTS, money, productById, productFields, unitPrice } from './catalog.js';
import { account, cartLines } from './state.js';

/** @param {unknown} value */
function escape(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The sign-in form's starting values: a made-up shopper, so the demo takes one click. */
const DEMO_SHOPPER = {
  email: 'Jane.Doe@Example.com',
  phone: '(650) 555-1212',
  first_name: 'Jane',
  last_name: 'Doe',
  date_of_birth: '1990-01-31',
  zip_code: '10001',
  city: 'New York',
  state: 'NY',
  country: 'US',
};

const PERSON_FIELDS = [
  ['email', 'Email', 'email'],
  ['phone', 'Phone', 'tel'],
  ['first_name', 'First name', 'text'],
  ['last_name', 'Last name', 'text'],
  ['zip_code', 'ZIP code', 'text'],
  ['city', 'City', 'text'],
  ['state', 'State', 'text'],
  ['country', 'Country (ISO code)', 'text'],
];

function personInputs(values) {
  return PERSON_FIELDS.map(
    ([name, label, type]) =>
      `<label>${label} <input name="${name}" type="${type}" value="${escape(values[name])}" autocomplete="off"></label>`,
  ).join('');
}

function productCard(product) {
  return `<li><a data-link href="/shop/product/${product.product_id}">${escape(product.name)}</a>
    <span class="brand">${escape(product.brand)}</span> ${priceTag(product)}</li>`;
}

function priceTag(product) {
  return product.sale === undefined
    ? `<span class="price">${money(product.price)}</span>`
    : `<span class="price"><s>${money(product.price)}</s> ${money(product.sale)}</span>`;
}

const home = () => ({
  title: 'Shop',
  pageView: {},
  html: `<h1>Shop</h1><ul class="products">${PRODUCTS.map(productCard).join('')}</ul>`,
});

const product = (id) => {
  const item = productById(id);
  if (!item) return notFound();
  const others = PRODUCTS.filter((p) => p !== item);
  return {
    title: item.name,
    pageView: productFields(item),
    html: `<h1>${escape(item.name)}</h1>
      <p><span class="brand">${escape(item.brand)}</span> ${priceTag(item)}</p>
      <button data-add="${item.product_id}">Add to cart</button>
      <h2>You may also like</h2><ul class="products">${others.map(productCard).join('')}</ul>`,
  };
};

const cart = () => {
  const lines = cartLines().flatMap((line) => {
    const item = productById(line.product_id);
    return item ? [{ item, quantity: line.quantity }] : [];
  });
  const total = lines.reduce((sum, { item, quantity }) => sum + quantity * unitPrice(item), 0);
  return {
    title: 'Cart',
    pageView: {},
    html:
      lines.length === 0
        ? '<h1>Cart</h1><p>Your cart is empty. <a data-link href="/shop/">Keep shopping</a></p>'
        : `<h1>Cart</h1><table class="cart">${lines
            .map(
              ({ item, quantity }) =>
                `<tr><td>${escape(item.name)}</td><td>× ${quantity}</td><td>${money(quantity * unitPrice(item))}</td></tr>`,
            )
            .join('')}<tr><th colspan="2">Total</th><th>${money(total)}</th></tr></table>
        <p><a data-link class="button" href="/shop/checkout">Checkout</a></p>`,
  };
};

const signIn = () => ({
  title: 'Sign in',
  pageView: {},
  html: `<h1>Sign in</h1><form data-form="sign-in">${personInputs(DEMO_SHOPPER)}
    <label>Date of birth <input name="date_of_birth" type="date" value="${DEMO_SHOPPER.date_of_birth}"></label>
    <button type="submit">Sign in</button></form>`,
});

const checkout = () => {
  const lines = cartLines();
  if (lines.length === 0) return cart();
  return {
    title: 'Checkout',
    pageView: {},
    html: `<h1>Checkout</h1><p>${lines.length} product(s). Billing and contact details:</p>
      <form data-form="checkout">${personInputs(account() ?? {})}<button type="submit">Place order</button></form>`,
  };
};

const thankYou = (orderId, result) => ({
  title: 'Thank you',
  pageView: {},
  html: `<h1>Thank you!</h1><p>Order <strong class="order-id">${escape(orderId)}</strong> is placed.</p>
    <p class="tracked">The SDK says: ${escape(result ?? 'unknown (page reloaded)')}</p>
    <p><a data-link href="/shop/">Back to the shop</a></p>`,
});

const notFound = () => ({
  title: 'Not found',
  pageView: {},
  html: '<h1>Not found</h1><p><a data-link href="/shop/">Back to the shop</a></p>',
});

/** The view for a location; `state` is history.state. */
export function viewFor(location, state) {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const productMatch = /^\/shop\/product\/([^/]+)$/.exec(path);
  if (productMatch) return product(decodeURIComponent(productMatch[1]));
  switch (path) {
    case '/shop':
      return home();
    case '/shop/cart':
      return cart();
    case '/shop/sign-in':
      return signIn();
    case '/shop/checkout':
      return checkout();
    case '/shop/thank-you':
      return thankYou(new URLSearchParams(location.search).get('order'), state?.tracked);
    default:
      return notFound();
  }
}
