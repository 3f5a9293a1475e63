/**
 * The server's exchange for the dispatcher's POST loop (`core/dispatch/post.ts`):
 * `node:http` / `node:https` over keep-alive connections. Node's global
 * `fetch` spends about four times the CPU per request (WHATWG streams around
 * every body), which a busy server pays on every batch; a caller's own
 * `fetch` option still goes through `fetch` (`fetchRequester`).
 */
// The modules themselves, read at each call: an interceptor that patches `http.request` (msw, nock) still applies.
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { SMALL_BODY } from '../core/dispatch/post.js';
import type { Exchange, Requester } from '../core/dispatch/post.js';
import { READ_TIMEOUT_MS, quotedReason } from '../core/response-reason.js';

// One pool per process, as `fetch` has: connections are kept between batches and shared by clients.
const HTTP_AGENT = new http.Agent({ keepAlive: true });
const HTTPS_AGENT = new https.Agent({ keepAlive: true });

export const nodeRequester: Requester = (url, { headers, body, signal }) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const request = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        agent: secure ? HTTPS_AGENT : HTTP_AGENT,
        signal,
      },
      (response) => resolve(exchange(response)),
    );
    request.on('error', reject);
    request.end(body);
  });

function exchange(response: IncomingMessage): Exchange {
  const retryAfter = response.headers['retry-after'];
  return {
    status: response.statusCode ?? 0,
    retryAfter: retryAfter ?? null,
    reason: (signal) => reason(response, signal),
    // A short body is drained (the connection is kept); any other ends the connection, which no server can hold.
    discard: () =>
      Number(response.headers['content-length'] ?? Number.NaN) <= SMALL_BODY ? response.resume() : response.destroy(),
  };
}

/**
 * The server's words on a refusal, read from the message itself: wrapping it
 * in a web `Response` would load Node's `fetch` machinery on the first
 * refusal, which can be inside `close()`'s deadline. The connection is let go
 * of once the first chunk is in. As `core/response-reason.ts` reads a
 * `Response`: the first chunk, within a second and the caller's signal.
 */
function reason(response: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (text: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      response.destroy();
      resolve(quotedReason(text));
    };
    const stop = (): void => done('');
    const timer = setTimeout(stop, READ_TIMEOUT_MS);
    if (signal.aborted) {
      stop();
      return;
    }
    signal.addEventListener('abort', stop, { once: true });
    response.once('data', (chunk: Buffer) => done(chunk.toString('utf8')));
    response.once('end', stop);
    response.once('error', stop);
  });
}
