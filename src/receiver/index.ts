/**
 * A local stand-in for the Symbiosys Event API, to see what the SDK sends
 * before going live (as Meta's Test Events tool does). It speaks the whole of
 * `docs/contract.md`: the GET endpoints (also as URL-only beacons), the POST
 * endpoints, the API key check (403) and strict validation (400 naming every
 * bad field). Required fields: the time, `visitor_id` and `session_id`; for an
 * order also `order_id` and at least one item with `product_id` and
 * `quantity` (see `endpoints.ts`).
 *
 * Each accepted event also gets its match quality and warnings (`inspector.ts`).
 *
 * Node only. Also `GET /` (a live HTML log), `GET /events`, `GET /requests`,
 * `GET /summary`, `DELETE /events` (or `POST /events/clear` as `application/json`): these
 * answer only the receiver's own origin, while the event endpoints answer any
 * origin. Every route answers only to a Host naming this machine (loopback, or
 * the `host` it listens on). What one request can cost, and what is kept in
 * memory, is bounded (`limits.ts`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenAddress } from './access.js';
import { EventLog } from './event-log.js';
import type { ReceivedEvent, ReceivedEventListener, ReceivedRequest } from './event-log.js';
import type { Summary } from './inspector.js';
import { createHandler } from './server.js';

export type { Problem, ProblemCode } from './problems.js';
export type { ReceivedEvent, ReceivedEventOf, ReceivedEventListener, ReceivedRequest, Via } from './event-log.js';
export type { Summary } from './inspector.js';
export type { Match, MatchKey } from './match.js';
export { MATCH_KEYS, MAX_SCORE } from './match.js';
export type { WarningKind } from './warnings.js';
export { WARNING_KINDS } from './warnings.js';
export { REQUIRED_FIELDS, REQUIRED_ITEM_FIELDS } from './endpoints.js';

export interface ReceiverOptions {
  /** @default 0 (any free port; read the chosen one from `url`) */
  port?: number;
  /**
   * The interface to listen on; its name is also answered to, besides the
   * loopback names (`localhost`, `127.0.0.1`, `[::1]`). `10.0.2.2`, the
   * address an Android emulator reaches its host's loopback by, listens on
   * 127.0.0.1 and answers to `10.0.2.2`.
   * @default '127.0.0.1'
   */
  host?: string;
  /** The keys that get a 200; any other, or none, gets a 403. @default ['test-key'] */
  apiKeys?: readonly string[];
  /** Append one JSON line per accepted event to this file (NDJSON). */
  file?: string;
  /** No summary line per request. @default false */
  quiet?: boolean;
  /**
   * Where summary lines go: one line each, control characters escaped, at most
   * 1,000 characters. If it throws, the error goes to stderr and the answer is unchanged.
   * @default console.log
   */
  log?: (line: string) => void;
}

export interface Receiver {
  /** The base URL, for the SDK's `endpoint` option: `http://127.0.0.1:54321`. */
  readonly url: string;
  /**
   * Accepted events, decoded, in arrival order: the newest 1,000 (and at most
   * 8 MiB of their JSON). Live: new events are pushed, the oldest dropped and
   * `clear()` empties this same array.
   */
  readonly events: ReceivedEvent[];
  /** Requests to an event endpoint, refused ones included, with their status: the newest 1,000 (8 MiB at most), live. */
  readonly requests: ReceivedRequest[];
  /** Called for each accepted event; returns the unsubscribe function. */
  on(listener: ReceivedEventListener): () => void;
  /**
   * The first event, already received or yet to come, that matches (any event
   * when no predicate). Rejects after `timeoutMs` (default 5000).
   */
  waitFor<T extends ReceivedEvent>(predicate: (event: ReceivedEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate?: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** As `waitFor`, over `requests`: to wait for a refusal. */
  waitForRequest(predicate?: (request: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  /**
   * Events, average match score and warnings by kind, counted over every
   * event since the start or the last `clear()` (as `GET /summary`).
   */
  summary(): Summary;
  /** Forgets all events and requests, and starts a new summary. */
  clear(): void;
  /** Stops listening, drops open connections, closes the file. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5000;

function baseUrl({ address, family, port }: AddressInfo): string {
  // A server on every interface is reached, from here, through loopback.
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return `http://${family === 'IPv6' ? `[${host}]` : host}:${port}`;
}

/** Starts a receiver; resolves once it listens. */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const { port = 0, host = '127.0.0.1', apiKeys = ['test-key'], file, quiet = false, log = console.log } = options;
  const eventLog = new EventLog(file);
  const handle = createHandler({ apiKeys: new Set(apiKeys), eventLog, log: quiet ? undefined : log, host });
  // The handler answers every failure itself (a 500 at worst): its promise never rejects.
  const server = createServer((request, response) => void handle(request, response));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, listenAddress(host), () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    eventLog.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets (browsers, fetch) would otherwise hold the port open.
      server.closeAllConnections();
    }).finally(() => eventLog.close());
    return closing;
  };

  return {
    url: baseUrl(server.address() as AddressInfo),
    events: eventLog.events,
    requests: eventLog.requests,
    on: (listener) => eventLog.on(listener),
    waitFor: (predicate?: (event: ReceivedEvent) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS) =>
      eventLog.waitFor(predicate ?? (() => true), timeoutMs),
    waitForRequest: (predicate, timeoutMs = DEFAULT_TIMEOUT_MS) =>
      eventLog.waitForRequest(predicate ?? (() => true), timeoutMs),
    summary: () => eventLog.summary(),
    clear: () => eventLog.clear(),
    close,
  } satisfies Receiver;
}
