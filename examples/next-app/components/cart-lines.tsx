'use client';
import Link from 'next/link';
import { productById } from '../lib/catalog';
import { useCart } from '../lib/cart';

export function CartLines() {
  const lines = Object.entries(useCart());
  if (lines.length === 0) return <p>Your cart is empty.</p>;
  return (
    <>
      <ul>
        {lines.map(([id, quantity]) => (
          <li key={id}>
            {productById(id)?.name} × {quantity}
          </li>
        ))}
      </ul>
      <Link href="/checkout">Checkout</Link>
    </>
  );
}
