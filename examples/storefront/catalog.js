// The shop's products. The id fields are the ones the Event API knows
// (product_id, item_group_id, category_id, seller_id, brand).

/** @typedef {{ product_id: string, item_group_id: string, category_id: string, seller_id: string, brand: string, name: string, price: number, sale?: number }} Product */

/** @type {readonly Product[]} */
export const PRODUCTS = Object.freeze([
  {
    product_id: '170830',
    item_group_id: '3845239',
    category_id: '30087',
    seller_id: '18231233',
    brand: 'nike',
    name: 'Air Runner',
    price: 10,
    sale: 5,
  },
  {
    product_id: '238443',
    item_group_id: '3845240',
    category_id: '30087',
    seller_id: '18231233',
    brand: 'nike',
    name: 'Trail Sock',
    price: 10,
  },
  {
    product_id: '310552',
    item_group_id: '4100001',
    category_id: '30112',
    seller_id: '20045511',
    brand: 'puma',
    name: 'Court Cap',
    price: 24.5,
    sale: 19.9,
  },
]);

/** @param {string} id */
export function productById(id) {
  return PRODUCTS.find((product) => product.product_id === id);
}

/** The fields a page view or an order item carries for a product. @param {Product} product */
export function productFields({ product_id, item_group_id, category_id, seller_id, brand }) {
  return { product_id, item_group_id, category_id, seller_id, brand };
}

/** What one unit costs now. @param {Product} product */
export function unitPrice(product) {
  return product.sale ?? product.price;
}

/** @param {number} amount */
export function money(amount) {
  return `$${amount.toFixed(2)}`;
}
