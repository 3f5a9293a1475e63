/**
 * The routes for people and tests: the live page for anyone who navigates to
 * it, and the event log (`/events`, `/requests`, `/summary`, clearing) for
 * the receiver's own origin only (`access.ts` says why).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isNonSimple, isSameOrigin } from './access.js';
import type { EventLog } from './event-log.js';
import { send } from './http.js';
import { PAGE_CSP, pageHtml } from './page.js';

const CLEAR_HOW =
  'clear with DELETE /events, or POST /events/clear with Content-Type: application/json (requests no other site can send unasked)';

/** Routes that need no origin check: the page and its icon. True when `route` was one. */
function publicRoute(route: string, response: ServerResponse): boolean {
  if (route === 'GET /') {
    response.setHeader('Content-Security-Policy', PAGE_CSP);
    send(response, 200, pageHtml(), 'text/html; charset=utf-8');
    return true;
  }
  if (route === 'GET /favicon.ico') {
    response.writeHead(204);
    response.end();
    return true;
  }
  return false;
}

function clear(eventLog: EventLog, request: IncomingMessage, response: ServerResponse): void {
  if (!isNonSimple(request)) {
    send(response, 403, { error: 'forbidden', message: CLEAR_HOW });
    return;
  }
  const cleared = eventLog.events.length;
  eventLog.clear();
  send(response, 200, { ok: true, cleared });
}

/** Answers every route but the event endpoints. */
export function toolRoute(eventLog: EventLog, request: IncomingMessage, response: ServerResponse, url: URL): void {
  const route = `${request.method} ${url.pathname}`;
  if (publicRoute(route, response)) return;
  if (!isSameOrigin(request)) {
    send(response, 403, { error: 'forbidden', message: 'the event log answers only pages of its own origin' });
    return;
  }
  // Old browsers send no Sec-Fetch-Site: this keeps their no-cors reads opaque.
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  switch (route) {
    case 'GET /events':
      send(response, 200, eventLog.events);
      return;
    case 'GET /requests':
      send(response, 200, eventLog.requests);
      return;
    case 'GET /summary':
      send(response, 200, eventLog.summary());
      return;
    case 'DELETE /events':
    case 'POST /events/clear':
      clear(eventLog, request, response);
      return;
    default:
      send(response, 404, { error: 'not_found' });
  }
}
