'use client';
import { useSearchParams } from 'next/navigation';
import { useOrder } from '@acme/symbiosys/react';
import { useKeptOrder } from '../lib/cart';

/**
 * Sends the order once: `useOrder` waits until the order is read from this
 * tab's storage, and a reload resolves as a duplicate in the SDK.
 */
export function ThankYou() {
  const order = useKeptOrder(useSearchParams().get('order'));
  useOrder(order);
  return <h1>{order ? `Thank you for order ${order.order_id}` : 'No such order in this tab'}</h1>;
}
