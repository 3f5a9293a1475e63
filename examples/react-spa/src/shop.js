// The shop's data: three products, a cart and placed orders in sessionStorage
// (so the thank-you page can be reloaded, which is the point of the example).

export const PRODUCTS = [
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
];

export const productById = (id) => PRODUCTS.find((product) => product.product_id === id);

/** What a page view or an order item says about a product. */
export const productFields = ({ product_id, item_group_id, category_id, seller_id, brand }) => ({
  product_id,
  item_group_id,
  category_id,
  seller_id,
  brand,
});

const read = (key, fallback) => JSON.parse(sessionStorage.getItem(key) ?? 'null') ?? fallback;

/** `{ [product_id]: quantity }` */
export const readCart = () => read('cart', {});

export function addToCart(id) {
  const cart = readCart();
  sessionStorage.setItem('cart', JSON.stringify({ ...cart, [id]: (cart[id] ?? 0) + 1 }));
}

/** Turns the cart into an order (the `track('order')` input), keeps it under its id, empties the cart. */
export function placeOrder(email) {
  const items = Object.entries(readCart()).flatMap(([id, quantity]) => {
    const p = productById(id);
    if (!p) return [];
    return [
      {
        ...productFields(p),
        quantity,
        regular_unit_price: p.price,
        ...(p.sale ? { discount_unit_price: p.sale } : {}),
      },
    ];
  });
  const order = { order_id: String(Date.now()), items, ...(email ? { customer: { email } } : {}) };
  sessionStorage.setItem(`order:${order.order_id}`, JSON.stringify(order));
  sessionStorage.removeItem('cart');
  return order.order_id;
}

export const orderById = (id) => read(`order:${id}`, undefined);
