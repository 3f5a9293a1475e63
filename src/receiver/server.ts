/**
 * The receiver's HTTP surface: the Host check every route passes first, then
 * the event endpoints (`event-routes.ts`) or the page and the event log
 * (`tool-routes.ts`), each open to whom `access.ts` says. What one request
 * can cost is bounded by `limits.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAnsweredHost } from './access.js';
import { callSafely } from './callbacks.js';
import type { EventLog } from './event-log.js';
import { allowAnyOrigin, eventEndpoint, eventOfPath, preflight, refuse } from './event-routes.js';
import type { EventRoutes } from './event-routes.js';
import { send } from './http.js';
import { MAX_PROBLEM_TEXT } from './limits.js';
import { terminalLine } from './terminal.js';
import { shorten } from './text.js';
import { toolRoute } from './tool-routes.js';

export interface HandlerOptions {
  apiKeys: ReadonlySet<string>;
  eventLog: EventLog;
  /** Gets one summary line per event-endpoint request; absent when quiet. */
  log: ((line: string) => void) | undefined;
  /** The `host` the receiver was started with: a name it answers to, besides the loopback ones. */
  host: string;
}

/** A request whose Host names no interface of this machine: 403, logged when it was an event. */
function refuseHost(routes: EventRoutes, request: IncomingMessage, response: ServerResponse, url: URL): void {
  const host = request.headers.host ?? '';
  const message = `the Host header ${JSON.stringify(shorten(host, MAX_PROBLEM_TEXT))} is not a name of this machine: the receiver answers to localhost, 127.0.0.1, [::1] and the --host it was started with`;
  const event = eventOfPath(url.pathname);
  // An event the receiver refuses is logged, so a developer on another host name sees why.
  if (event !== undefined && request.method !== 'OPTIONS') {
    const meta = { method: request.method ?? 'GET', path: url.pathname, event };
    refuse(routes, response, meta, 403, 'forbidden_host', { message });
  } else send(response, 403, { error: 'forbidden_host', message });
}

/** Answers one request. Never throws: a failure becomes a 500. */
export function createHandler({ apiKeys, eventLog, log, host }: HandlerOptions) {
  const routes: EventRoutes = {
    apiKeys,
    eventLog,
    print: (line) => {
      if (log) callSafely(log, terminalLine(line), 'the log callback');
    },
  };

  return async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://receiver.invalid');
      // no-cache, not no-store: Chromium frees a keepalive request's budget late for no-store answers.
      response.setHeader('Cache-Control', 'no-cache');
      const event = eventOfPath(url.pathname);
      if (event !== undefined) allowAnyOrigin(request, response);
      if (!isAnsweredHost(request.headers.host, host)) refuseHost(routes, request, response, url);
      else if (event === undefined) toolRoute(eventLog, request, response, url);
      else if (request.method === 'OPTIONS') preflight(request, response);
      else await eventEndpoint(routes, request, response, url, event);
    } catch (error) {
      console.error('[symbiosys-receiver]', error);
      if (!response.headersSent) send(response, 500, { error: 'internal_error' });
      else response.destroy();
    }
  };
}
