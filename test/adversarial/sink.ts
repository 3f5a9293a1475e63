/**
 * A real HTTP sink on 127.0.0.1 for the server client's adversarial tests:
 * each request is recorded (path and parsed JSON body) and answered as the
 * test says: a status with a body that arrives whole, one whose body starts
 * and then stalls forever, or no answer at all. `close()` ends every socket,
 * so nothing a test left stalled outlives it.
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';

export type SinkAnswer =
  | { status: number; body?: string }
  /** Headers and the first bytes of a body that never ends. */
  | { status: number; stall: true }
  /** Nothing at all: the request hangs until the client gives up. */
  | 'silent';

export interface SinkRequest {
  path: string;
  body: unknown;
}

export interface Sink {
  readonly url: string;
  readonly requests: SinkRequest[];
  close(): Promise<void>;
}

export async function startSink(answer: (request: SinkRequest) => SinkAnswer): Promise<Sink> {
  const requests: SinkRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const request = { path: req.url ?? '', body: text ? (JSON.parse(text) as unknown) : undefined };
      requests.push(request);
      const reply = answer(request);
      if (reply === 'silent') return;
      if ('stall' in reply) {
        res.writeHead(reply.status, { 'content-type': 'text/plain', 'content-length': '1000' });
        res.write('the body starts, then never ends');
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain' });
      res.end(reply.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the sink has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The order ids of a `POST /orders` body. */
export function orderIds(body: unknown): string[] {
  return Array.isArray(body) ? body.map((order) => (order as { order_id: string }).order_id) : [];
}
