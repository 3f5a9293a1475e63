/**
 * A one-page site on another origin than the receiver, as a storefront is:
 * served from 127.0.0.1 but opened as `http://localhost:<port>/`, against the
 * receiver's `http://127.0.0.1:<port>`, so every request from it is
 * cross-origin.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtherOrigin {
  /** `http://localhost:<port>/` */
  readonly url: string;
  close(): Promise<void>;
}

export async function startOtherOrigin(title: string): Promise<OtherOrigin> {
  const server = createServer((_, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${title}</title>`),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
