/**
 * A slow network in front of the receiver: each request is held for a while
 * before it is forwarded, and dropped if the browser hung up meanwhile (a
 * request the page cancelled never reaches the collector). On loopback a
 * request is otherwise on the wire before a navigation can cancel it.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  /** `http://127.0.0.1:PORT`: use it as the SDK's `endpoint`. */
  readonly url: string;
  /** Requests whose client went away before they were forwarded. */
  readonly dropped: string[];
  close(): Promise<void>;
}

/** Hop-by-hop or recomputed headers that must not be copied onto the answer. */
const SKIP_HEADERS = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding']);

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startSlowProxy(target: string, delayMs: number): Promise<SlowProxy> {
  const dropped: string[] = [];
  const server = createServer(async (request, response) => {
    let gone = false;
    response.on('close', () => {
      if (!response.writableFinished) gone = true;
    });
    try {
      const body = await readBody(request);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (gone) {
        dropped.push(`${request.method} ${request.url}`);
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of [
        'origin',
        'content-type',
        'api_key',
        'access-control-request-method',
        'access-control-request-headers',
      ]) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(`${target}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!SKIP_HEADERS.has(name)) out[name] = value;
      });
      response.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
