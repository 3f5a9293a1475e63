// The storefront's wiring: the SDK, the client-side router, the forms.
// No build step: the browser loads the package's ESM build as it is.
import { identify, init, track } from '/dist/index.js';
import { cartLines, clearCart, addToCart, cartCount, account, setAccount } from './state.js';
import { productById, productFields, unitPrice } from './catalog.js';
import { viewFor } from './views.js';

// /config.js (served by `npm run demo`) sets apiKey and endpoint (the local receiver).
const config = window.SYMBIOSYS_CONFIG ?? {};
const log = document.querySelector('#sdk-log');

function note(text) {
  const line = document.createElement('li');
  line.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  log.prepend(line);
}

/** What the SDK did with an event, in a few words. */
function describe(result) {
  const how = result.status === 'sent' ? `${result.transport}${result.confirmed ? ', confirmed' : ''}` : result.reason;
  return `${result.event}: ${result.status} (${how})`;
}

if (!config.apiKey) {
  note('No /config.js: start the shop with `npm run demo`.');
} else {
  init({
    ...config,
    onError: (error) => note(`${error.code}${error.field ? ` (${error.field})` : ''}: ${error.message}`),
  });
  const profile = account();
  if (profile) identify(profile);
}

function renderHeader() {
  const profile = account();
  document.querySelector('#cart-count').textContent = String(cartCount());
  const slot = document.querySelector('#account');
  if (profile) {
    slot.innerHTML = ' · <a href="#" data-sign-out>Sign out</a>';
    slot.prepend(profile.first_name ?? 'Signed in');
  } else {
    slot.innerHTML = '<a data-link href="/shop/sign-in">Sign in</a>';
  }
}

/** Renders the current location and tracks its page view. */
async function show() {
  const view = viewFor(location, history.state);
  document.title = `${view.title} · Storefront`;
  document.querySelector('#view').innerHTML = view.html;
  renderHeader();
  note(describe(await track('page_view', view.pageView)));
}

function navigate(url, state = null) {
  history.pushState(state, '', url);
  void show();
}

function formValues(form) {
  return Object.fromEntries([...new FormData(form)].filter(([, value]) => String(value).trim() !== ''));
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const link = target?.closest('a[data-link]');
  if (link && !event.metaKey && !event.ctrlKey && !event.shiftKey && event.button === 0) {
    event.preventDefault();
    navigate(link.href);
  }
  const add = target?.closest('[data-add]');
  if (add) {
    addToCart(add.getAttribute('data-add'));
    renderHeader();
    note('added to cart');
  }
  if (target?.closest('[data-sign-out]')) {
    event.preventDefault();
    setAccount(null);
    identify(null);
    navigate('/shop/');
  }
});

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  event.preventDefault();
  if (form.dataset.form === 'sign-in') {
    const profile = formValues(form);
    setAccount(profile);
    identify(profile); // Hashed here, in the page; sent with every later event as the *_user fields.
    navigate('/shop/cart');
  } else if (form.dataset.form === 'checkout') {
    form.querySelector('button').disabled = true;
    const orderId = String(Date.now());
    const items = cartLines().flatMap(({ product_id, quantity }) => {
      const product = productById(product_id);
      if (!product) return [];
      return [
        {
          ...productFields(product),
          quantity,
          regular_unit_price: product.price,
          ...(product.sale === undefined ? {} : { discount_unit_price: unitPrice(product) }),
        },
      ];
    });
    const result = await track('order', { order_id: orderId, items, customer: formValues(form) });
    clearCart();
    navigate(`/shop/thank-you?order=${orderId}`, { tracked: describe(result) });
  }
});

window.addEventListener('popstate', () => void show());
void show();
