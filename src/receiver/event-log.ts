/**
 * The event log: what the receiver got. The newest accepted events in arrival
 * order, each with its match and warnings (`inspector.ts`), a log of the
 * newest requests to an event endpoint (refused ones too), listeners, and the
 * optional NDJSON file that gets one line per accepted event (every one: the
 * file is not bounded, the memory is).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { EventName, EventRecords } from '../core/model.js';
import { callSafely } from './callbacks.js';
import { displayUrl } from './formats.js';
import { MAX_KEPT_BYTES, MAX_KEPT_EVENTS, MAX_KEPT_REQUESTS } from './limits.js';
import { Inspector } from './inspector.js';
import type { Summary } from './inspector.js';
import type { Match } from './match.js';
import type { ListedProblems, Problem } from './problems.js';
import { Retention } from './retention.js';

/** How an event came: a GET (image, fetch), a URL-only `sendBeacon` (POST to a GET path), or a JSON POST. */
export type Via = 'GET' | 'beacon' | 'POST';

export interface ReceivedEventOf<E extends EventName> {
  /** 1, 2, 3, … in arrival order; not reset by `clear()`. */
  id: number;
  /** ISO 8601. */
  receivedAt: string;
  event: E;
  via: Via;
  /** The endpoint path, without the query (`/page_viewjs`). */
  path: string;
  /** The decoded record in long names; GET values are typed (numbers, booleans). POST values are kept as sent. */
  record: EventRecords[E];
  /** `page_view_url` decoded for reading (POST sends it percent-encoded), where there is one. */
  pageUrl?: string;
  /** The keys it carries that the vendor can match on, its score (0 to 10), the strongest keys it lacks. */
  match: Match;
  /** What looks wrong, each `kind: explanation` (kinds: `WARNING_KINDS` in `warnings.ts`). */
  warnings: string[];
}

export type ReceivedEvent = ReceivedEventOf<'page_view'> | ReceivedEventOf<'order'>;

/** One request to an event endpoint, whatever its answer. */
export interface ReceivedRequest {
  id: number;
  receivedAt: string;
  method: string;
  path: string;
  status: number;
  event?: EventName;
  via?: Via;
  /** Why a 400 was given (the first `MAX_PROBLEMS_LISTED`); empty otherwise. */
  problems: Problem[];
  /** How many problems there were beyond those listed, when there were more. */
  omittedProblems?: number;
  /** Why another refusal (403, 405, 413) was given. */
  message?: string;
  /** The ids of the events this request stored (an order batch stores several). */
  eventIds: number[];
}

export type ReceivedEventListener = (event: ReceivedEvent) => void;

export interface RequestMeta {
  method: string;
  path: string;
  event?: EventName;
  via?: Via;
}

export class EventLog {
  private readonly inspector = new Inspector();
  private readonly keptEvents = new Retention<ReceivedEvent>(MAX_KEPT_EVENTS, MAX_KEPT_BYTES);
  private readonly keptRequests = new Retention<ReceivedRequest>(MAX_KEPT_REQUESTS, MAX_KEPT_BYTES);
  readonly events = this.keptEvents.items;
  readonly requests = this.keptRequests.items;
  private readonly listeners = new Set<ReceivedEventListener>();
  private readonly requestListeners = new Set<(request: ReceivedRequest) => void>();
  private fd: number | undefined;
  private nextEventId = 1;
  private nextRequestId = 1;

  /** Opens `file` for appending at once, so a bad path fails at start, not at the first event. */
  constructor(file?: string) {
    if (file !== undefined) this.fd = openSync(file, 'a');
  }

  /** Stores the records of one accepted request, in order, and logs the request with status 200. */
  accept<E extends EventName>(
    meta: RequestMeta & { event: E; via: Via },
    records: Array<EventRecords[E]>,
  ): ReceivedEvent[] {
    const now = Date.now();
    const receivedAt = new Date(now).toISOString();
    const stored = records.map((record) => {
      const url = (record as { page_view_url?: string }).page_view_url;
      const id = this.nextEventId++;
      const pageUrl = url === undefined ? undefined : displayUrl(url);
      const inspection = this.inspector.inspect({
        id,
        event: meta.event,
        record,
        receivedAt: now,
        ...(pageUrl === undefined ? {} : { pageUrl }),
      });
      const event = {
        id,
        receivedAt,
        event: meta.event,
        via: meta.via,
        path: meta.path,
        record,
        ...(pageUrl === undefined ? {} : { pageUrl }),
        ...inspection,
      } as ReceivedEvent;
      return event;
    });
    const lines = stored.map((event) => JSON.stringify(event));
    // Written before anyone is told, so a listener may read the file.
    if (this.fd !== undefined && lines.length > 0) writeSync(this.fd, lines.map((line) => `${line}\n`).join(''));
    stored.forEach((event, index) => this.keptEvents.push(event, lines[index]));
    this.log(
      meta,
      200,
      { problems: [], omittedProblems: 0 },
      stored.map((event) => event.id),
    );
    for (const event of stored) for (const listener of this.listeners) callSafely(listener, event, 'a listener');
    return stored;
  }

  /** Logs a refused request; nothing is stored. */
  reject(meta: RequestMeta, status: number, listed: ListedProblems, message?: string): ReceivedRequest {
    return this.log(meta, status, listed, [], message);
  }

  private log(
    meta: RequestMeta,
    status: number,
    { problems, omittedProblems }: ListedProblems,
    eventIds: number[],
    message?: string,
  ): ReceivedRequest {
    const request: ReceivedRequest = {
      id: this.nextRequestId++,
      receivedAt: new Date().toISOString(),
      method: meta.method,
      path: meta.path,
      status,
      ...(meta.event === undefined ? {} : { event: meta.event }),
      ...(meta.via === undefined ? {} : { via: meta.via }),
      problems,
      ...(omittedProblems > 0 ? { omittedProblems } : {}),
      ...(message === undefined ? {} : { message }),
      eventIds,
    };
    this.keptRequests.push(request);
    for (const listener of this.requestListeners) callSafely(listener, request, 'a request listener');
    return request;
  }

  on(listener: ReceivedEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first event, already stored or still to come, that matches. */
  waitFor(predicate: (event: ReceivedEvent) => boolean, timeoutMs: number): Promise<ReceivedEvent> {
    return waitIn(this.events, this.listeners, predicate, timeoutMs, 'event');
  }

  /** The first logged request, already logged or still to come, that matches. */
  waitForRequest(predicate: (request: ReceivedRequest) => boolean, timeoutMs: number): Promise<ReceivedRequest> {
    return waitIn(this.requests, this.requestListeners, predicate, timeoutMs, 'request');
  }

  /** Events, average score and warnings by kind, since the start or the last `clear()`. */
  summary(): Summary {
    return this.inspector.summary();
  }

  /** Empties events and requests in place, so references to the arrays stay live, and starts a new summary. */
  clear(): void {
    this.keptEvents.clear();
    this.keptRequests.clear();
    this.inspector.clear();
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

function waitIn<T>(
  past: readonly T[],
  listeners: Set<(item: T) => void>,
  predicate: (item: T) => boolean,
  timeoutMs: number,
  noun: string,
): Promise<T> {
  const found = past.find(predicate);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const listener = (item: T): void => {
      if (!predicate(item)) return;
      cleanup();
      resolve(item);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`No matching ${noun} arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      listeners.delete(listener);
    };
    listeners.add(listener);
  });
}
