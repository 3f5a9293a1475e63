/** Bodies for the receiver's adversarial tests: the smallest valid order, and the flood of empty ones. */

/** A visitor id in the contract's shape (the vendor example's). */
export const VISITOR_ID = '01929d42ae1a0016c0cebe6dd43a0508900160810056a';

/** An order with only the required fields: `POST /orders` takes `[minimalOrder('o1')]`. */
export function minimalOrder(orderId: string, items: unknown[] = [{ product_id: 'p', quantity: 1 }]) {
  return { order_ts: 1729696661986, visitor_id: VISITOR_ID, session_id: '1', order_id: orderId, items };
}

/** `[{},{},…]`: three bytes an entry, five problems an entry (every required order field). */
export function emptyOrders(count: number): string {
  return `[${Array<string>(count).fill('{}').join(',')}]`;
}

/** The probe: exactly 1 MiB of `[{},{},…]`. */
export const ONE_MIB_OF_EMPTY_ORDERS = emptyOrders(349_525);
