/**
 * The app's visitor and session (`docs/contract.md`): a visitor id minted
 * once and kept, and a session whose id is its start in ms, kept with the
 * time of its last event. A new session starts by the browser's rule
 * (`sessionContinues`): after 30 minutes without an event, or when the clock
 * went back by more than that.
 */
import { isSessionId, isVisitorId, sessionContinues } from '../core/ids.js';
import { createVisitorId } from '../browser/identity.js';
import type { RandomFill } from '../browser/identity.js';
import type { StoredValue } from './storage.js';

export interface AppIds {
  visitorId: string;
  sessionId: string;
}

interface StoredIds extends AppIds {
  lastEventAt: number;
}

/**
 * `crypto.getRandomValues` where the app has it (a polyfill, or Hermes with
 * one); else `Math.random`, which is enough for an id that is pseudonymous,
 * not secret.
 */
const randomFill: RandomFill = (bytes) => {
  const crypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto;
  if (typeof crypto?.getRandomValues === 'function') {
    crypto.getRandomValues(bytes);
    return;
  }
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
};

function parse(text: string | undefined): StoredIds | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<StoredIds> | null;
    if (!isVisitorId(value?.visitorId) || !isSessionId(value.sessionId)) return undefined;
    const lastEventAt = Number.isSafeInteger(value.lastEventAt) ? (value.lastEventAt as number) : 0;
    return { visitorId: value.visitorId, sessionId: value.sessionId, lastEventAt };
  } catch {
    return undefined;
  }
}

export class AppIdentity {
  readonly #stored: StoredValue;
  #ids: StoredIds | undefined;

  constructor(stored: StoredValue) {
    this.#stored = stored;
  }

  /** Reads the kept ids; without any, the first event mints them. */
  async load(): Promise<void> {
    this.#ids = parse(await this.#stored.read());
  }

  /** The ids for an event at `at` (integer ms): the visitor's, and the session's, which this event may start. */
  forEvent(at: number): AppIds {
    const known = this.#ids;
    const visitorId = known?.visitorId ?? createVisitorId(at, randomFill);
    const alive = known !== undefined && sessionContinues(known.lastEventAt, at);
    const sessionId = alive ? known.sessionId : String(at);
    const ids = { visitorId, sessionId, lastEventAt: at };
    this.#ids = ids;
    this.#stored.set(() => JSON.stringify(ids));
    return { visitorId, sessionId };
  }
}
