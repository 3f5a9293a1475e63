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
import { Readable } from 'node:stream';
import { SMALL_BODY } from '../core/dispatch/post.js';
import type { Exchange, Requester } from '../core/dispatch/post.js';
import { responseReason } from '../core/response-reason.js';

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
    reason: (signal) => responseReason(new Response(Readable.toWeb(response) as ReadableStream), undefined, signal),
    // A short body is drained (the connection is kept); any other ends the connection, which no server can hold.
    discard: () =>
      Number(response.headers['content-length'] ?? Number.NaN) <= SMALL_BODY ? response.resume() : response.destroy(),
  };
}
