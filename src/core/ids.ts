/**
 * The visitor and session ids, and the first-party cookies the browser SDK
 * keeps them in. The browser's identity module writes the cookies; the server
 * entry reads them from a request, so both take the names and shapes from here.
 */

/** Value: the visitor id. */
export const VISITOR_COOKIE = '_sym_vid';

/**
 * Value: `<sessionId>.<lastEventMs>` (or just `<sessionId>`, as a server may
 * set it); the session id is the part before the dot.
 */
export const SESSION_COOKIE = '_sym_sid';

/** A visitor id the SDK accepts: any non-empty string that fits comfortably in a cookie. */
export function isVisitorId(id: string): boolean {
  return id.length > 0 && id.length <= 256;
}

/** A session id the SDK accepts: 1 to 64 characters, no `.` (the separator of the stored value). */
export function isSessionId(id: string): boolean {
  return id.length > 0 && id.length <= 64 && !id.includes('.');
}

/** A stored session: its id and, when known, the time of its last event. */
export interface StoredSession {
  id: string;
  /** ms since the epoch; `undefined` for a bare `<sessionId>` (a server-set cookie). */
  lastEventAt: number | undefined;
}

const SESSION_VALUE = /^([^.]+)(?:\.(\d{1,16}))?$/;

/** Reads a `_sym_sid` value; `undefined` for anything else. */
export function parseSessionValue(raw: string | undefined): StoredSession | undefined {
  const match = raw === undefined ? null : SESSION_VALUE.exec(raw);
  const id = match?.[1];
  if (id === undefined || !isSessionId(id)) return undefined;
  return { id, lastEventAt: match?.[2] === undefined ? undefined : Number(match[2]) };
}

/** The `_sym_sid` value for a session whose last event was at `lastEventAt`. */
export function sessionValue(id: string, lastEventAt: number): string {
  return `${id}.${lastEventAt}`;
}
