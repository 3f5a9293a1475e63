/**
 * The visitor and session ids, and the first-party cookies the browser SDK
 * keeps them in. One rule for their shapes, `docs/contract.md`'s: the browser
 * makes and adopts ids by it, the server's cookie reader reads them by it,
 * and the server client refuses events whose ids break it. An id the rule
 * refuses is never sent: the Event API would refuse the whole request with
 * 400, a batch of orders with it.
 */

/** Value: the visitor id. */
export const VISITOR_COOKIE = '_sym_vid';

/**
 * Value: `<sessionId>.<lastEventMs>` (or just `<sessionId>`, as a server may
 * set it); the session id is the part before the dot.
 */
export const SESSION_COOKIE = '_sym_sid';

/** 12 lowercase hex of the first visit's ms, then 33 random ones. */
const VISITOR_ID = /^[0-9a-f]{45}$/;
/** The session's start, ms since the epoch, as digits (16 reach far past any real clock). */
const SESSION_ID = /^\d{1,16}$/;
const SESSION_VALUE = /^(\d{1,16})(?:\.(\d{1,16}))?$/;

/** A visitor id in the contract's shape: 45 lowercase hex characters, as the browser SDK makes them. */
export function isVisitorId(id: unknown): id is string {
  return typeof id === 'string' && VISITOR_ID.test(id);
}

/** A session id in the contract's shape: the session's start in ms since the epoch, as digits. */
export function isSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID.test(id);
}

/** A session ends after this long without an event. */
export const SESSION_TIMEOUT_MS = 30 * 60_000;

/**
 * Whether a session whose last event was at `lastEventAt` is still alive at
 * `now`: until 30 minutes pass without an event; a session with no last
 * event known (a bare server-set cookie) is. A clock moved back by more than
 * that ends it too: the idle time it hides cannot be measured, and a session
 * that outlived the jump would go on until the clock caught up (a day set
 * back, a day more of one session). A smaller step back (a clock corrected
 * by seconds, another tab's later stamp) keeps it. One rule for the browser
 * and the app.
 */
export function sessionContinues(lastEventAt: number | undefined, now: number): boolean {
  return lastEventAt === undefined || Math.abs(now - lastEventAt) < SESSION_TIMEOUT_MS;
}

/** A stored session: its id and, when known, the time of its last event. */
export interface StoredSession {
  id: string;
  /** ms since the epoch; `undefined` for a bare `<sessionId>` (a server-set cookie). */
  lastEventAt: number | undefined;
}

/** Reads a `_sym_sid` value; `undefined` for anything else. */
export function parseSessionValue(raw: string | undefined): StoredSession | undefined {
  const match = raw === undefined ? null : SESSION_VALUE.exec(raw);
  const id = match?.[1];
  if (id === undefined) return undefined;
  return { id, lastEventAt: match?.[2] === undefined ? undefined : Number(match[2]) };
}

/** The `_sym_sid` value for a session whose last event was at `lastEventAt`. */
export function sessionValue(id: string, lastEventAt: number): string {
  return `${id}.${lastEventAt}`;
}
