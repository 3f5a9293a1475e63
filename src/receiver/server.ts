/**
 * The receiver's HTTP surface: the four event endpoints of `docs/contract.md`
 * (plus POST to the GET paths, which is what a URL-only `sendBeacon` sends),
 * CORS, the API key check, and the small JSON and HTML routes for people and
 * tests, each open to whom `access.ts` says. Nothing is stored for a refused
 * request; what one request can cost is bounded by `limits.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GET_PATH, POST_PATH } from '../core/fields.js';
import type { EventName, EventRecords } from '../core/model.js';
import { header, isLoopbackHost, isNonSimple, isSameOrigin } from './access.js';
import { decodeBody } from './body.js';
import { callSafely } from './callbacks.js';
import { MAX_BODY_BYTES, MAX_PROBLEM_TEXT } from './limits.js';
import { pageHtml } from './page.js';
import { listProblems } from './problems.js';
import type { Problem } from './problems.js';
import { decodeQuery } from './query.js';
import type { RequestMeta, Store, Via } from './store.js';
import { eventSummary, rejectSummary } from './summary.js';
import { terminalLine } from './terminal.js';
import { shorten } from './text.js';

function invert(paths: Readonly<Record<EventName, string>>): ReadonlyMap<string, EventName> {
  return new Map(Object.entries(paths).map(([event, path]) => [path, event as EventName]));
}

const GET_EVENTS = invert(GET_PATH);
const POST_EVENTS = invert(POST_PATH);

export interface HandlerOptions {
  apiKeys: ReadonlySet<string>;
  store: Store;
  /** Gets one summary line per event-endpoint request; absent when quiet. */
  log: ((line: string) => void) | undefined;
  /** The host the server listens on: a name it answers to, besides the loopback ones. */
  listenHost: string;
}

class BodyTooLarge extends Error {}

/** Reads the whole body even past the bound (discarding it), so the client can read the 413. */
function readBody(request: IncomingMessage): Promise<string> {
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
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** An event endpoint's answers may be read from any origin: the SDK runs on the user's own site, another origin. */
function allowAnyOrigin(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  response.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin !== undefined) {
    // sendBeacon always sends credentials, which a `*` origin would refuse.
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Vary', 'Origin');
  }
}

function preflight(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  response.setHeader('Access-Control-Allow-Headers', 'content-type, api_key');
  response.setHeader('Access-Control-Max-Age', '600');
  // Chromium's Private Network Access: a public page may reach this localhost server only if it agrees.
  if (request.headers['access-control-request-private-network'] === 'true') {
    response.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  response.writeHead(204);
  response.end();
}

/** Answers one request. Never throws: a failure becomes a 500. */
export function createHandler({ apiKeys, store, log, listenHost }: HandlerOptions) {
  const print = (line: string): void => {
    if (log) callSafely(log, terminalLine(line), 'the log callback');
  };

  const refuse = (
    response: ServerResponse,
    meta: RequestMeta,
    status: number,
    error: string,
    { message, problems = [] }: { message?: string; problems?: Problem[] } = {},
  ): void => {
    const listed = listProblems(problems);
    store.reject(meta, status, listed, message);
    print(rejectSummary(meta, status, listed, message));
    send(response, status, {
      error,
      ...(message === undefined ? {} : { message }),
      ...(listed.problems.length > 0 ? { problems: listed.problems } : {}),
      ...(listed.omittedProblems > 0 ? { omittedProblems: listed.omittedProblems } : {}),
    });
  };

  const checkKey = (response: ServerResponse, meta: RequestMeta, key: string | null | undefined): boolean => {
    if (key !== null && key !== undefined && apiKeys.has(key)) return true;
    const where = meta.via === 'POST' ? 'the api_key header' : 'the api_key query parameter';
    const message = key === null || key === undefined ? `${where} is missing` : `${where} is not a known key`;
    refuse(response, meta, 403, 'forbidden', { message });
    return false;
  };

  const accept = <E extends EventName>(
    response: ServerResponse,
    meta: RequestMeta & { event: E; via: Via },
    records: Array<EventRecords[E]>,
  ): void => {
    const stored = store.accept(meta, records);
    for (const event of stored) print(eventSummary(event));
    send(response, 200, { ok: true, received: stored.length });
  };

  async function eventEndpoint(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    event: EventName,
  ): Promise<void> {
    const method = request.method ?? 'GET';
    const isGetPath = GET_EVENTS.has(url.pathname);
    const allowed = isGetPath ? ['GET', 'POST'] : ['POST'];
    const via: Via = !isGetPath ? 'POST' : method === 'GET' ? 'GET' : 'beacon';
    const meta = { method, path: url.pathname, event, via };
    if (!allowed.includes(method)) {
      response.setHeader('Allow', [...allowed, 'OPTIONS'].join(', '));
      refuse(response, meta, 405, 'method_not_allowed', { message: `${url.pathname} takes ${allowed.join(' or ')}` });
      return;
    }
    let body = '';
    if (method === 'POST') {
      try {
        // A beacon's body is ignored, but read all the same so the connection stays usable.
        body = await readBody(request);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        refuse(response, meta, 413, 'payload_too_large', { message: `the body is over ${MAX_BODY_BYTES} bytes` });
        return;
      }
    }
    const key = via === 'POST' ? header(request, 'api_key') : url.searchParams.get('api_key');
    if (!checkKey(response, meta, key)) return;
    const decoded = via === 'POST' ? decodeBody(event, body) : decodeQuery(event, url.searchParams);
    if (!decoded.ok) {
      refuse(response, meta, 400, 'bad_request', { problems: decoded.problems });
      return;
    }
    accept(response, meta, Array.isArray(decoded.value) ? decoded.value : [decoded.value]);
  }

  /** The live page and the event log: the page for anyone who navigates to it, the log for its own origin only. */
  function toolRoute(request: IncomingMessage, response: ServerResponse, url: URL): void {
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /') {
      // No other site may frame the page and steal a click on its Clear button.
      response.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
      send(response, 200, pageHtml(), 'text/html; charset=utf-8');
      return;
    }
    if (route === 'GET /favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    if (!isSameOrigin(request)) {
      send(response, 403, { error: 'forbidden', message: 'the event log answers only pages of its own origin' });
      return;
    }
    // Old browsers send no Sec-Fetch-Site: this keeps their no-cors reads opaque.
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    switch (route) {
      case 'GET /events':
        send(response, 200, store.events);
        return;
      case 'GET /requests':
        send(response, 200, store.requests);
        return;
      case 'DELETE /events':
      case 'POST /events/clear': {
        if (!isNonSimple(request)) {
          send(response, 403, {
            error: 'forbidden',
            message:
              'clear with DELETE /events, or POST /events/clear with Content-Type: application/json (requests no other site can send unasked)',
          });
          return;
        }
        const cleared = store.events.length;
        store.clear();
        send(response, 200, { ok: true, cleared });
        return;
      }
      default:
        send(response, 404, { error: 'not_found' });
    }
  }

  return async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://receiver.invalid');
      // no-cache, not no-store: Chromium frees a keepalive request's budget late for no-store answers.
      response.setHeader('Cache-Control', 'no-cache');
      const event = GET_EVENTS.get(url.pathname) ?? POST_EVENTS.get(url.pathname);
      if (event !== undefined) allowAnyOrigin(request, response);
      const host = request.headers.host;
      if (!isLoopbackHost(host, listenHost)) {
        const message = `the Host header ${JSON.stringify(shorten(host ?? '', MAX_PROBLEM_TEXT))} is not a name of this machine: the receiver answers to localhost, 127.0.0.1, [::1] and the --host it was started with`;
        // An event the receiver refuses is logged, so a developer on another host name sees why.
        if (event !== undefined && request.method !== 'OPTIONS') {
          refuse(response, { method: request.method ?? 'GET', path: url.pathname, event }, 403, 'forbidden_host', {
            message,
          });
        } else send(response, 403, { error: 'forbidden_host', message });
        return;
      }
      if (event === undefined) toolRoute(request, response, url);
      else if (request.method === 'OPTIONS') preflight(request, response);
      else await eventEndpoint(request, response, url, event);
    } catch (error) {
      console.error('[symbiosys-receiver]', error);
      if (!response.headersSent) send(response, 500, { error: 'internal_error' });
      else response.destroy();
    }
  };
}
