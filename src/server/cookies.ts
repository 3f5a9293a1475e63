/**
 * Reads the browser SDK's first-party ids from a request's `Cookie` header,
 * so a server-side order joins the visitor and session the browser started.
 */
import { SESSION_COOKIE, VISITOR_COOKIE, isVisitorId, parseSessionValue } from '../core/ids.js';

/** The browser SDK's ids, as `readIdsFromCookieHeader` reads them from its cookies; absent when missing or malformed. */
export interface CookieIds {
  visitor_id?: string;
  session_id?: string;
}

function cookieValue(raw: string): string {
  let value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The visitor and session ids from a `Cookie` header (`req.headers.cookie`).
 * A cookie that is absent or breaks the ids' rule (`core/ids.ts`, the one the
 * browser SDK adopts cookies by) is left out, never guessed or repaired; the
 * first occurrence of a name wins, as browsers send the most specific cookie
 * first. Never throws.
 *
 * @example
 * const ids = readIdsFromCookieHeader(req.headers.cookie);
 * // { visitor_id: '01929d42ae1a…', session_id: '1729694623545' }
 */
export function readIdsFromCookieHeader(cookieHeader: string | undefined): CookieIds {
  const ids: CookieIds = {};
  if (typeof cookieHeader !== 'string' || cookieHeader === '') return ids;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name === VISITOR_COOKIE && ids.visitor_id === undefined) {
      const value = cookieValue(pair.slice(eq + 1));
      if (isVisitorId(value)) ids.visitor_id = value;
    } else if (name === SESSION_COOKIE && ids.session_id === undefined) {
      const session = parseSessionValue(cookieValue(pair.slice(eq + 1)));
      if (session) ids.session_id = session.id;
    }
  }
  return ids;
}
