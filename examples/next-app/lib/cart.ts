'use client';
// The cart and placed orders live in sessionStorage, so the thank-you page can be reloaded
// (which is the point of the example). Read through useSyncExternalStore: empty on the server.
import { useSyncExternalStore } from 'react';
import type { OrderInput } from '@acme/symbiosys';

/** `{ [product_id]: quantity }` */
export type Cart = Record<string, number>;

const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const changed = () => listeners.forEach((listener) => listener());

const EMPTY = '{}';
const readCartText = () => sessionStorage.getItem('cart') ?? EMPTY;

/** The cart, re-read when it changes; empty while rendering on the server. */
export function useCart(): Cart {
  const text = useSyncExternalStore(subscribe, readCartText, () => EMPTY);
  return JSON.parse(text) as Cart;
}

export function addToCart(id: string): void {
  const cart = JSON.parse(readCartText()) as Cart;
  sessionStorage.setItem('cart', JSON.stringify({ ...cart, [id]: (cart[id] ?? 0) + 1 }));
  changed();
}

/** Keeps the placed order under its id for the thank-you page, and empties the cart. */
export function keepOrder(order: OrderInput): void {
  sessionStorage.setItem(`order:${order.order_id}`, JSON.stringify(order));
  sessionStorage.removeItem('cart');
  changed();
}

/** The order placed in this tab, or undefined (on the server, or for an unknown id). */
export function useKeptOrder(orderId: string | null): OrderInput | undefined {
  const text = useSyncExternalStore(
    subscribe,
    () => (orderId ? sessionStorage.getItem(`order:${orderId}`) : null),
    () => null,
  );
  return text ? (JSON.parse(text) as OrderInput) : undefined;
}
