/**
 * The SDK's own first-party cookies. The browser identity module writes them
 * and the server entry reads them, so both import the names from here.
 */

/** Value: the visitor id, 45 lowercase hex characters. */
export const VISITOR_COOKIE = '_sym_vid';

/**
 * Value: `<sessionStartMs>.<lastEventMs>` (or just `<sessionStartMs>`); the
 * session id is the part before the dot.
 */
export const SESSION_COOKIE = '_sym_sid';
