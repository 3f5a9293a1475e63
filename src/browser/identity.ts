/**
 * The visitor (`vid`) and the session (`sid`) of `docs/contract.md`.
 *
 * The visitor id lives 13 months and slides: each use pushes its expiry out
 * again, but at most once a day. A day of slack on a 13-month lifetime changes
 * nothing, and it spares a cookie and a localStorage write on every event.
 *
 * The session is shared by the tabs of one browser: it is kept as
 * `<startMs>.<lastEventMs>` and re-read from localStorage on each event (a
 * cheap, renderer-local read), so a tab that was idle sees the events of the
 * others. A session ends after 30 minutes without an event.
 *
 * Its last-event stamp is written at most once a minute while events come (a
 * cookie and a localStorage write each time cost more than the rest of a page
 * view): the events in between are written together a minute after the
 * first of them, or when the page is hidden or left (`writeLastEvent`). Readers
 * are then at most a minute behind, and never when it matters: by the time 30
 * quiet minutes can have passed, the last event has long been written.
 */

import {
  SESSION_COOKIE,
  VISITOR_COOKIE,
  isSessionId,
  isVisitorId,
  parseSessionValue,
  sessionValue,
  type StoredSession,
  sessionContinues,
  SESSION_TIMEOUT_MS,
} from '../core/ids.js';
import type { KeyValueStore } from './storage.js';

const DAY = 86_400_000;

/** 13 months. */
export const VISITOR_LIFETIME_MS = 395 * DAY;
/** The visitor's expiry is pushed out on use when it was last written this long ago. */
export const VISITOR_REFRESH_MS = DAY;
/** The session's stamp is rewritten at most this often; a later event waits at most this long to be written. */
export const SESSION_STAMP_MS = 60_000;

/** Fills the array with random bytes. */
export type RandomFill = (bytes: Uint8Array) => void;

export interface IdentityOptions {
  /** @default Date.now */
  now?: () => number;
  /** @default crypto.getRandomValues */
  random?: RandomFill;
}

/** The ids an event is sent with. */
export interface EventIds {
  visitorId: string;
  sessionId: string;
  /** This event started the session (first visit, or 30 idle minutes passed). */
  isNewSession: boolean;
}

/**
 * The time in whole ms. The ids and `ts` are integers on the wire, and a
 * page may replace `Date.now` with one that returns fractions (a
 * high-resolution polyfill).
 */
export const wholeMsNow = (): number => Math.floor(Date.now());

// Every engine of the ES2020 target has it (and Node 20): no Math.random fallback.
const cryptoRandom: RandomFill = (bytes) => crypto.getRandomValues(bytes);

/**
 * A visitor id in the vendor's shape: 12 lowercase hex of the first visit's
 * ms, then 33 random hex (45 characters).
 */
export function createVisitorId(firstVisitMs: number, random: RandomFill = cryptoRandom): string {
  const bytes = new Uint8Array(17);
  random(bytes);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return Math.max(0, Math.floor(firstVisitMs)).toString(16).padStart(12, '0').slice(-12) + hex.slice(0, 33);
}

/** The session rule (`sessionContinues`), read off a stored session. */
const alive = (session: StoredSession, now: number): boolean => sessionContinues(session.lastEventAt, now);

/** Visitor and session ids over a store (see `createKeyValueStore`). */
export class Identity {
  private readonly _store: KeyValueStore;
  private readonly _now: () => number;
  private readonly _random: RandomFill;
  /** This tab's latest event of the stored session, when it is not written yet. */
  private _unstamped: StoredSession | undefined;
  private _stampTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(store: KeyValueStore, options: IdentityOptions = {}) {
    this._store = store;
    this._now = options.now ?? wholeMsNow;
    this._random = options.random ?? cryptoRandom;
  }

  /** The current visitor id, without creating one; a stored value that breaks the ids' rule is none. */
  getVisitorId(): string | undefined {
    const known = this._store.get(VISITOR_COOKIE);
    return isVisitorId(known) ? known : undefined;
  }

  /**
   * Adopts your own visitor id (one you already keep). Returns false, and
   * changes nothing, for an id that is not in the SDK's shape (45 lowercase hex).
   */
  setVisitorId(id: unknown): boolean {
    if (!isVisitorId(id)) return false;
    this._store.set(VISITOR_COOKIE, id, VISITOR_LIFETIME_MS);
    return true;
  }

  /** The stored session, re-read (other tabs move it on). */
  private _storedSession(): StoredSession | undefined {
    return parseSessionValue(this._store.readLocal(SESSION_COOKIE));
  }

  /** The session, if it is still alive at `now`: the stored one, as late as this tab's unwritten event says. */
  private _liveSession(now: number, stored = this._storedSession()): StoredSession | undefined {
    const mine = this._unstamped;
    const later = mine?.id === stored?.id && (mine?.lastEventAt ?? 0) > (stored?.lastEventAt ?? 0);
    const session = later ? mine : stored;
    return session && alive(session, now) ? session : undefined;
  }

  /** The live session's id, without touching it. */
  getSessionId(now: number = this._now()): string | undefined {
    return this._liveSession(now)?.id;
  }

  /**
   * Adopts your own session id from now on, for all tabs. It ends like any
   * session, after 30 idle minutes. Returns false for an id that is not in
   * the SDK's shape (the session's start in ms, as digits).
   */
  setSessionId(id: unknown, now: number = this._now()): boolean {
    if (!isSessionId(id)) return false;
    this._writeSession({ id, lastEventAt: now }, now);
    return true;
  }

  /**
   * The ids for an event at `now`, starting a visitor or a session as needed,
   * and the session kept alive for another 30 minutes.
   */
  idsForEvent(now: number = this._now()): EventIds {
    const store = this._store;
    const known = store.get(VISITOR_COOKIE);
    // A stored value that breaks the ids' rule (an edited cookie, another script's) is replaced, never sent.
    const visitorId = isVisitorId(known) ? known : createVisitorId(now, this._random);
    const expires = store.expiresAt(VISITOR_COOKIE);
    // A new visitor is written; a known one only when its expiry is due to be pushed out again.
    if (visitorId !== known || expires === undefined || expires - now <= VISITOR_LIFETIME_MS - VISITOR_REFRESH_MS) {
      store.set(VISITOR_COOKIE, visitorId, VISITOR_LIFETIME_MS);
    }

    const stored = this._storedSession();
    const session = this._liveSession(now, stored);
    const sessionId = session ? session.id : String(now);
    // Another tab may have stamped a later event (or an injected clock may lag): never move back.
    const next = { id: sessionId, lastEventAt: Math.max(now, session?.lastEventAt ?? 0) };
    // A new session is written at once, for the other tabs to join; a later event of a known one within the minute.
    const written = stored?.id === sessionId ? stored.lastEventAt : undefined;
    if (written === undefined || next.lastEventAt - written >= SESSION_STAMP_MS) this._writeSession(next, now);
    else if (next.lastEventAt > written) this._stampLater(next);
    return { visitorId, sessionId, isNewSession: !session };
  }

  private _writeSession(session: StoredSession & { lastEventAt: number }, now: number): void {
    this._unstamped = undefined;
    clearTimeout(this._stampTimer);
    this._stampTimer = undefined;
    const ttl = SESSION_TIMEOUT_MS + (session.lastEventAt - now);
    if (ttl > 0) this._store.set(SESSION_COOKIE, sessionValue(session.id, session.lastEventAt), ttl);
  }

  /** Keeps an event's stamp for the next write: a minute from now, or when the page is hidden or left. */
  private _stampLater(session: StoredSession): void {
    this._unstamped = session;
    this._stampTimer ??= setTimeout(() => this.writeLastEvent(), SESSION_STAMP_MS);
  }

  /**
   * Writes this tab's unwritten event now, unless the stored session moved on
   * meanwhile (another tab's). The client calls it when the page is hidden or left.
   */
  writeLastEvent(): void {
    const mine = this._unstamped;
    clearTimeout(this._stampTimer);
    this._stampTimer = undefined;
    this._unstamped = undefined;
    if (mine?.lastEventAt === undefined) return;
    const stored = this._storedSession();
    if (stored?.id === mine.id && (stored.lastEventAt ?? 0) < mine.lastEventAt) {
      this._writeSession({ id: mine.id, lastEventAt: mine.lastEventAt }, this._now());
    }
  }

  /** Forgets both ids, in every backend (consent withdrawn). */
  forget(): void {
    this._unstamped = undefined;
    this._store.clear([VISITOR_COOKIE, SESSION_COOKIE]);
  }
}
