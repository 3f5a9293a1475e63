/**
 * A user's code against the installed package, compiled by `tarball.test.ts`
 * in each consumer project (bundler, node16 ESM and CommonJS, nodenext).
 * What must compile does; each `@ts-expect-error` line must fail to compile,
 * or tsc reports the directive unused. No top-level await: it is CommonJS too.
 */
import { SymbiosysClient, init, isSymbiosysError, track } from '@acme/symbiosys';
import type { OrderInput, TrackResult } from '@acme/symbiosys';
import { startReceiver } from '@acme/symbiosys/receiver';
import { SymbiosysServerClient, readIdsFromCookieHeader } from '@acme/symbiosys/server';

const items = [{ product_id: '170830', quantity: 1, regular_unit_price: 10 }];

export async function browserEvents(): Promise<string> {
  init({ apiKey: 'pk_test', onError: (error) => console.warn(error.code, error.field) });
  const order: OrderInput = { order_id: '238476923', items };
  const result: TrackResult = await track('order', order);
  // @ts-expect-error 'pageview' is not an event name.
  void track('pageview');
  // @ts-expect-error An order needs its order_id.
  void track('order', { items });
  // @ts-expect-error `reason` is there only once `status` says which result this is.
  console.log(result.reason);
  void new SymbiosysClient({ apiKey: 'pk_test' }).track('page_view', { product_id: '170830' });
  return result.status === 'sent' ? result.transport : result.reason;
}

export function serverEvents(cookieHeader: string | undefined): string {
  const client = new SymbiosysServerClient({ apiKey: 'sk_test', onError: (error) => isSymbiosysError(error) });
  const ids = readIdsFromCookieHeader(cookieHeader);
  // @ts-expect-error The ids are optional (no cookie, no ids): check them first.
  client.track('order', { ...ids, order_id: '238476923', items });
  const { visitor_id, session_id } = ids;
  if (visitor_id === undefined || session_id === undefined) return 'no ids';
  // @ts-expect-error 'orders' is not an event name.
  client.track('orders', { visitor_id, session_id, order_id: '238476923', items });
  // @ts-expect-error An order needs its order_id.
  client.track('order', { visitor_id, session_id, items });
  const result = client.track('order', { visitor_id, session_id, order_id: '238476923', items });
  if (result.status === 'failed') return result.error.code;
  return result.status === 'invalid' ? result.errors.map((error) => error.field).join() : result.event.event;
}

export async function localReceiver(): Promise<number> {
  const receiver = await startReceiver({ apiKeys: ['pk_test'], quiet: true });
  const count = receiver.events.length;
  await receiver.close();
  return count;
}
