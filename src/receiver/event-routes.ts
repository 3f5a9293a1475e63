/**
 * The four event endpoints of `docs/contract.md` (plus POST to the GET paths,
 * which is what a URL-only `sendBeacon` sends): CORS, the API key check,
 * decoding, and the answer. Nothing is stored for a refused request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GET_PATH, POST_PATH } from '../core/fields.js';
import type { EventName, EventRecords } from '../core/model.js';
import { header } from './access.js';
import { decodeBody } from './body.js';
import type { EventLog, RequestMeta, Via } from './event-log.js';
import { BodyTooLarge, ClientGone, readBody, send } from './http.js';
import { MAX_BODY_BYTES } from './limits.js';
import { eventLine, goneLine, refusalLine } from './log-line.js';
import { listProblems } from './problems.js';
import type { Problem } from './problems.js';
import { decodeQuery } from './query.js';

function invert(paths: Readonly<Record<EventName, string>>): ReadonlyMap<string, EventName> {
  return new Map(Object.entries(paths).map(([event, path]) => [path, event as EventName]));
}

const GET_EVENTS = invert(GET_PATH);
const POST_EVENTS = invert(POST_PATH);

/** The event an endpoint path takes; undefined for every other path. */
export function eventOfPath(path: string): EventName | undefined {
  return GET_EVENTS.get(path) ?? POST_EVENTS.get(path);
}

/** What the event routes answer with. */
export interface EventRoutes {
  apiKeys: ReadonlySet<string>;
  eventLog: EventLog;
  /** Prints one line to the terminal (or nowhere, when quiet). */
  print: (line: string) => void;
}

/** An event endpoint's answers may be read from any origin: the SDK runs on the user's own site, another origin. */
export function allowAnyOrigin(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  response.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin !== undefined) {
    // sendBeacon always sends credentials, which a `*` origin would refuse.
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Vary', 'Origin');
  }
}

export function preflight(request: IncomingMessage, response: ServerResponse): void {
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

/** Answers a refusal, logs it in the event log and on the terminal. */
export function refuse(
  { eventLog, print }: EventRoutes,
  response: ServerResponse,
  meta: RequestMeta,
  status: number,
  error: string,
  { message, problems = [] }: { message?: string; problems?: Problem[] } = {},
): void {
  const listed = listProblems(problems);
  eventLog.reject(meta, status, listed, message);
  print(refusalLine(meta, status, listed, message));
  send(response, status, {
    error,
    ...(message === undefined ? {} : { message }),
    ...(listed.problems.length > 0 ? { problems: listed.problems } : {}),
    ...(listed.omittedProblems > 0 ? { omittedProblems: listed.omittedProblems } : {}),
  });
}

function keyProblem(
  meta: RequestMeta,
  key: string | null | undefined,
  apiKeys: ReadonlySet<string>,
): string | undefined {
  if (key !== null && key !== undefined && apiKeys.has(key)) return undefined;
  const where = meta.via === 'POST' ? 'the api_key header' : 'the api_key query parameter';
  return key === null || key === undefined ? `${where} is missing` : `${where} is not a known key`;
}

/** The POST body, or undefined once the request has been answered (413) or its client has gone. */
async function bodyOf(
  routes: EventRoutes,
  request: IncomingMessage,
  response: ServerResponse,
  meta: RequestMeta,
): Promise<string | undefined> {
  try {
    return await readBody(request);
  } catch (error) {
    if (error instanceof ClientGone) {
      routes.print(goneLine(meta));
      response.destroy();
    } else if (error instanceof BodyTooLarge) {
      refuse(routes, response, meta, 413, 'payload_too_large', { message: `the body is over ${MAX_BODY_BYTES} bytes` });
    } else throw error;
    return undefined;
  }
}

/** Answers a request to an event endpoint (OPTIONS apart). */
export async function eventEndpoint(
  routes: EventRoutes,
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
    refuse(routes, response, meta, 405, 'method_not_allowed', {
      message: `${url.pathname} takes ${allowed.join(' or ')}`,
    });
    return;
  }
  // A beacon's body is ignored, but read all the same so the connection stays usable.
  const body = method === 'POST' ? await bodyOf(routes, request, response, meta) : '';
  if (body === undefined) return;
  const key = via === 'POST' ? header(request, 'api_key') : url.searchParams.get('api_key');
  const message = keyProblem(meta, key, routes.apiKeys);
  if (message !== undefined) {
    refuse(routes, response, meta, 403, 'forbidden', { message });
    return;
  }
  const decoded = via === 'POST' ? decodeBody(event, body) : decodeQuery(event, url.searchParams);
  if (!decoded.ok) {
    refuse(routes, response, meta, 400, 'bad_request', { problems: decoded.problems });
    return;
  }
  const records: Array<EventRecords[typeof event]> = Array.isArray(decoded.value) ? decoded.value : [decoded.value];
  const stored = routes.eventLog.accept(meta, records);
  for (const received of stored) routes.print(eventLine(received));
  send(response, 200, { ok: true, received: stored.length });
}
