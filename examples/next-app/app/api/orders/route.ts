import { after } from 'next/server';
import type { OrderInput } from '@acme/symbiosys';
import { readIdsFromCookieHeader } from '@acme/symbiosys/server';
import { orderItem, productById } from '../../../lib/catalog';
import { symbiosysServer } from '../../../lib/symbiosys-server';

/**
 * Places an order from the browser's cart, priced from the catalog, and
 * reports it to Symbiosys from the server too, joined to the browser's
 * visitor and session through the SDK's first-party cookies. Answers with
 * the order, which the thank-you page tracks in the browser (same order id).
 */
export async function POST(request: Request): Promise<Response> {
  const body = (await request.json().catch(() => null)) as { cart?: unknown; email?: unknown } | null;
  const cart = typeof body?.cart === 'object' && body.cart !== null ? Object.entries(body.cart) : [];
  const items = cart.flatMap(([id, quantity]) => {
    const product = productById(id);
    return product && Number.isSafeInteger(quantity) && (quantity as number) > 0
      ? [orderItem(product, quantity as number)]
      : [];
  });
  if (items.length === 0) return Response.json({ error: 'The cart is empty.' }, { status: 400 });
  const email = typeof body?.email === 'string' ? body.email.trim() : '';
  const order: OrderInput = {
    order_id: String(Date.now()),
    items,
    ...(email ? { customer: { email } } : {}),
  };
  // … charge the card, store the order …

  const symbiosys = symbiosysServer();
  const { visitor_id, session_id } = readIdsFromCookieHeader(request.headers.get('cookie') ?? undefined);
  if (symbiosys && visitor_id && session_id) {
    symbiosys.track('order', {
      ...order,
      visitor_id,
      session_id,
      user_agent: request.headers.get('user-agent') ?? undefined,
    });
    // Sent once the response is out: the shopper does not wait for the batch.
    after(() => symbiosys.flush());
  }
  return Response.json(order);
}
