import { notFound } from 'next/navigation';
import { AddToCart } from '../../../components/add-to-cart';
import { PRODUCTS, productById } from '../../../lib/catalog';

export function generateStaticParams() {
  return PRODUCTS.map((product) => ({ id: product.product_id }));
}

export default async function ProductPage({ params }: { params: Promise<{ id: string }> }) {
  const product = productById((await params).id);
  if (!product) notFound();
  return (
    <section>
      <h1>{product.name}</h1>
      <p>${(product.sale ?? product.price).toFixed(2)}</p>
      <AddToCart productId={product.product_id} />
    </section>
  );
}
