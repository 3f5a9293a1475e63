// The shop's own state: the cart (localStorage) and the signed-in account
// (sessionStorage, so each page load can call identify() again: the SDK keeps
// the profile in memory only).

const CART_KEY = 'storefront.cart';
const ACCOUNT_KEY = 'storefront.account';

function read(storage, key, fallback) {
  try {
    return JSON.parse(storage.getItem(key) ?? '') ?? fallback;
  } catch {
    return fallback;
  }
}

/** @returns {Array<{ product_id: string, quantity: number }>} */
export function cartLines() {
  return read(localStorage, CART_KEY, []);
}

/** @param {string} productId */
export function addToCart(productId) {
  const lines = cartLines();
  const line = lines.find((l) => l.product_id === productId);
  if (line) line.quantity += 1;
  else lines.push({ product_id: productId, quantity: 1 });
  localStorage.setItem(CART_KEY, JSON.stringify(lines));
}

export function clearCart() {
  localStorage.removeItem(CART_KEY);
}

export function cartCount() {
  return cartLines().reduce((sum, line) => sum + line.quantity, 0);
}

/** The signed-in profile (raw, as typed: it never leaves this page unhashed), or null. */
export function account() {
  return read(sessionStorage, ACCOUNT_KEY, null);
}

export function setAccount(profile) {
  if (profile) sessionStorage.setItem(ACCOUNT_KEY, JSON.stringify(profile));
  else sessionStorage.removeItem(ACCOUNT_KEY);
}
