'use client';
import { useRouter } from 'next/navigation';
import { useState, type SyntheticEvent } from 'react';
import type { OrderInput } from '@acme/symbiosys';
import { keepOrder, useCart } from '../lib/cart';

/** Places the order with the shop's server (app/api/orders), which also reports it to Symbiosys. */
export function CheckoutForm() {
  const cart = useCart();
  const router = useRouter();
  const [problem, setProblem] = useState<string>();

  async function placeOrder(event: SyntheticEvent<HTMLFormElement, SubmitEvent>) {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get('email');
    const response = await fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cart, email: typeof email === 'string' ? email : '' }),
    });
    if (!response.ok) {
      setProblem(`The order failed (${response.status}).`);
      return;
    }
    const order = (await response.json()) as OrderInput;
    keepOrder(order);
    router.push(`/thank-you?order=${encodeURIComponent(String(order.order_id))}`);
  }

  return (
    <form onSubmit={(event) => void placeOrder(event)}>
      <label>
        Email <input name="email" type="email" />
      </label>
      <button type="submit">Place order</button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}
