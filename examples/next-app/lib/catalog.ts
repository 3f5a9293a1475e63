// The shop's products, read by the server (prices for the order) and the browser (page views).
import type { OrderItem, ProductFields } from '@acme/symbiosys';

export interface Product extends ProductFields {
  product_id: string;
  name: string;
  price: number;
  sale?: number;
}

export const PRODUCTS: readonly Product[] = [
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

export const productById = (id: string | undefined): Product | undefined =>
  PRODUCTS.find((product) => product.product_id === id);

/** What a page view or an order item says about a product. */
export function productFields({ product_id, item_group_id, category_id, seller_id, brand }: Product): ProductFields {
  return { product_id, item_group_id, category_id, seller_id, brand };
}

/** An order line priced from the catalog (never from what the browser says the price is). */
export function orderItem(product: Product, quantity: number): OrderItem {
  return {
    ...productFields(product),
    product_id: product.product_id,
    quantity,
    regular_unit_price: product.price,
    ...(product.sale === undefined ? {} : { discount_unit_price: product.sale }),
  };
}
