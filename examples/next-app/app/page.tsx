import Link from 'next/link';
import { PRODUCTS } from '../lib/catalog';

export default function Home() {
  return (
    <ul>
      {PRODUCTS.map((product) => (
        <li key={product.product_id}>
          <Link href={`/product/${product.product_id}`}>{product.name}</Link>
        </li>
      ))}
    </ul>
  );
}
