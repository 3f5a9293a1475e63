/**
 * Connections that fail (a real socket on 127.0.0.1 reset as soon as it is
 * accepted): every order is reported undelivered once, and the client adds
 * no listener pile-up to any signal, so Node prints no
 * `MaxListenersExceededWarning`, however many requests are in flight.
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { SymbiosysServerClient } from '../../src/server/index.js';
import type { PostEvent, SymbiosysError } from '../../src/server/index.js';

const VISITOR_ID = '01929d42ae1a0016c0cebe6dd43a0508900160810056a';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A TCP server that resets every connection it accepts. */
async function resettingServer(): Promise<number> {
  server = createServer((socket) => socket.resetAndDestroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

it('connections that fail: each order reported once, and no MaxListenersExceededWarning', async () => {
  const port = await resettingServer();
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const failed: PostEvent[] = [];
    const errors: SymbiosysError[] = [];
    const client = new SymbiosysServerClient({
      apiKey: 'test_key',
      endpoint: `http://127.0.0.1:${port}`,
      // Many requests in flight, each retried: every one of them would listen to a shared signal.
      concurrency: 16,
      batch: { maxCount: 1 },
      retry: { limit: 2, backoffLimitMs: 20 },
      onError: (error, events) => {
        errors.push(error);
        failed.push(...events);
      },
    });
    for (let n = 0; n < 40; n++) {
      client.track('order', {
        visitor_id: VISITOR_ID,
        session_id: '1729694623545',
        order_id: `o${n}`,
        items: [{ product_id: 'p1', quantity: 1, regular_unit_price: 9.99 }],
      });
    }
    const closed = await client.close({ timeoutMs: 10_000 });
    // Node emits process warnings on a later tick.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed.undelivered).toHaveLength(40);
    expect(errors.every((error) => error.code === 'network')).toBe(true);
    expect(failed.map((event) => (event.body as { order_id: string }).order_id).sort()).toEqual(
      Array.from({ length: 40 }, (_, n) => `o${n}`).sort(),
    );
    expect(warnings).toEqual([]);
  } finally {
    process.off('warning', onWarning);
  }
});
