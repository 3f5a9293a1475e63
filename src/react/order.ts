import { useContext, useEffect } from 'react';
import { track, type OrderInput } from '@acme/symbiosys';
import { ClientContext } from './context.js';
import { ledgerOf } from './ledger.js';

/**
 * Sends the order once per `order_id`, when `order` becomes defined: for the
 * thank-you page, where the order may load after the first render.
 * StrictMode's doubled effects, re-renders and remounts send nothing more;
 * reloads and other tabs are covered by the SDK, which remembers sent order
 * ids in this browser (48 hours) and resolves them as `duplicate`.
 *
 * @example
 * const order = useOrderFromYourStore(orderId); // undefined while loading
 * useOrder(order);
 */
export function useOrder(order: OrderInput | null | undefined): void {
  const client = useContext(ClientContext);
  const orderId = order == null ? undefined : String(order.order_id);
  useEffect(() => {
    if (order == null || orderId === undefined || client === null) return;
    const { orderIds } = ledgerOf(client);
    if (orderIds.has(orderId)) return;
    orderIds.add(orderId);
    void (client ? client.track('order', order) : track('order', order));
    // Keyed by the id: the same order as a new object is not a new order.
  }, [client, orderId]);
}
