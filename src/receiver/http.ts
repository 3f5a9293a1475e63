/** Writing answers, and reading a request body within the bound of `limits.ts`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from './limits.js';

export function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json; charset=utf-8',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** The body was past `MAX_BODY_BYTES`: a 413. */
export class BodyTooLarge extends Error {}

/** The client went away before its body ended: nobody is left to answer, and nothing went wrong here. */
export class ClientGone extends Error {}

/** Reads the whole body even past the bound (discarding it), so the client can read the 413. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      size > MAX_BODY_BYTES ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    // An abort mid-body is an `error` (ECONNRESET), then `close`; once the body has ended, both are no-ops here.
    request.on('error', () => reject(new ClientGone()));
    request.on('close', () => reject(new ClientGone()));
  });
}
