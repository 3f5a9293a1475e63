/* global getType, makeNumber, makeString */
/* eslint-disable no-unused-vars -- the templates this is pasted into use each function. */
// GA4's shapes mapped to the SDK's (docs: README, "Google Tag Manager").
// Pasted into both templates by scripts/build-gtm.mjs: sandboxed JavaScript
// imports nothing.
const present = (value) => value !== undefined && value !== null && value !== '';

/** A finite number from a number or a numeric string; undefined for anything else. */
function toNumber(value) {
  if (!present(value)) return undefined;
  const type = getType(value);
  if (type !== 'number' && type !== 'string') return undefined;
  const number = makeNumber(value);
  // Finite: NaN and ±Infinity minus themselves are NaN (the sandbox may not name Infinity).
  return getType(number) === 'number' && number - number === 0 ? number : undefined;
}

/** An id as the wire writes it: a string (GA4 sends strings or numbers). */
const toId = (value) => {
  const type = getType(value);
  return type === 'string' || type === 'number' ? makeString(value) : undefined;
};

/** Sums of prices without binary fractions showing (19.99 + 5.01 is 25, not 25.000000000000004). */
const roundPrice = (value) => Math.round(value * 1000000) / 1000000;

/**
 * One GA4 item as an order item: `item_id` -> `product_id`, `item_brand` ->
 * `brand`, `item_group_id` -> `item_group_id`, `item_category` ->
 * `category_id`, `quantity` (GA4 counts an item without one as 1). GA4's
 * `price` is the unit price after the unit `discount`. An item already in the
 * SDK's shape (`product_id`) is kept as it is.
 */
function ga4Item(item) {
  if (getType(item) !== 'object') return item;
  if (!present(item.item_id) && present(item.product_id)) return item;
  const out = {};
  const fields = [
    ['item_id', 'product_id'],
    ['item_group_id', 'item_group_id'],
    ['item_category', 'category_id'],
    ['item_brand', 'brand'],
  ];
  fields.forEach((pair) => {
    const value = toId(item[pair[0]]);
    if (value !== undefined) out[pair[1]] = value;
  });
  out.quantity = present(item.quantity) ? toNumber(item.quantity) : 1;
  const price = toNumber(item.price);
  const discount = toNumber(item.discount);
  if (price !== undefined && discount !== undefined && discount !== 0) {
    out.regular_unit_price = roundPrice(price + discount);
    out.discount_unit_price = price;
  } else if (price !== undefined) {
    out.regular_unit_price = price;
  }
  return out;
}

const ga4Items = (items) => (getType(items) === 'array' ? items.map(ga4Item) : undefined);

const firstOf = (value) => (getType(value) === 'array' ? value[0] : value);

/** Google's user-provided data (`email`, `phone_number`, `address`, `sha256_*`), as opposed to the SDK's person. */
function isGoogleShape(value) {
  const keys = ['email_address', 'phone_number', 'address', 'sha256_email_address', 'sha256_phone_number'];
  return keys.some((key) => value[key] !== undefined);
}

/**
 * A person in the SDK's shape, from the SDK's shape or Google's
 * user-provided data (web: `email`; server: `email_address`; `address` may
 * be a list: its first). Google's `sha256_*` values are hashes of the
 * normalized value: `sha256_phone_number` hashes the E.164 form (`+…`).
 */
function toPerson(value) {
  if (getType(value) !== 'object') return undefined;
  if (!isGoogleShape(value)) return value;
  const address = getType(firstOf(value.address)) === 'object' ? firstOf(value.address) : {};
  const person = {};
  const put = (field, given) => {
    const text = firstOf(given);
    if (present(text)) person[field] = text;
  };
  put('email', value.sha256_email_address || value.email_address || value.email);
  put('phone', value.phone_number);
  put('phone_e164', value.sha256_phone_number);
  put('first_name', address.sha256_first_name || address.first_name);
  put('last_name', address.sha256_last_name || address.last_name);
  put('city', address.city);
  put('state', address.region);
  put('zip_code', address.postal_code);
  put('country', address.country);
  return person;
}
