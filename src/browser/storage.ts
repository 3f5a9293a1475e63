/**
 * Where the browser SDK keeps its few values (visitor, session, attribution,
 * sent orders). Reading `document.cookie` is a round trip to the browser
 * process and the dearest step of a track call, so cookies are read once, on
 * first use, and kept in memory; every write goes through to the backends.
 * localStorage reads are renderer-local and cheap: it is how tabs share state.
 *
 * Nothing here touches a browser global at import time (server-side
 * rendering), and nothing throws: a backend that throws once (Safari private
 * mode, blocked cookies, SecurityError, quota) is dropped for the page's life
 * and its values live on in memory.
 */

/** `cookie+localStorage`: both, each restoring the other; `memory`: nothing outlives the page. */
export type StorageMode = 'cookie+localStorage' | 'localStorage' | 'memory';

export interface KeyValueStoreOptions {
  /** Cookie `Domain` attribute (`example.com` shares the cookies with subdomains). @default host-only */
  cookieDomain?: string | undefined;
  /** The clock for expiry stamps; tests inject one. @default Date.now */
  now?: () => number;
}

export interface KeyValueStore {
  /** The value, from memory after the first read of each key (localStorage first, then the cookie snapshot). */
  get(key: string): string | undefined;
  /**
   * The value fresh from localStorage, for values other tabs change (the
   * session). Without usable localStorage, the same as `get`.
   */
  readLocal(key: string): string | undefined;
  /** When the value expires (ms since the epoch); `undefined` when unknown (restored from a cookie) or absent. */
  expiresAt(key: string): number | undefined;
  set(key: string, value: string, maxAgeMs: number): void;
  remove(key: string): void;
  clear(keys: readonly string[]): void;
  /** The keys starting with `prefix` held now: in localStorage (other tabs' writes included) or in memory. */
  keys(prefix: string): string[];
}

/** A value and when it expires (ms since the epoch); `expiresAt` undefined when unknown (the cookie does not tell). */
interface StoredValue {
  value: string;
  expiresAt: number | undefined;
}

/** localStorage holds `<expiresAtMs>|<value>`; an empty stamp means "unknown, the cookie decides". */
const SEP = '|';

/** The page's localStorage; null where there is none, or where it is blocked (reading it throws a SecurityError there). */
export function localStorageOrNull(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/**
 * The keys of `storage` that start with `prefix`, for values kept one key
 * each (the outbox's entries, the sent order ids). Empty when storage throws.
 */
export function keysWith(storage: Pick<Storage, 'key' | 'length'>, prefix: string): string[] {
  const found: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(prefix)) found.push(key);
    }
  } catch {
    // Blocked between two calls: nothing to list.
  }
  return found;
}

/** The page's cookies, parsed; null when there is no document or cookies are blocked. */
function readCookies(): Map<string, string> | null {
  try {
    const parsed = new Map<string, string>();
    for (const part of document.cookie.split(';')) {
      const i = part.indexOf('=');
      const name = part.slice(0, i).trim();
      // The first of two same-named cookies is the one with the longest path: the browser's order.
      if (i > 0 && !parsed.has(name)) {
        try {
          parsed.set(name, decodeURIComponent(part.slice(i + 1).trim()));
        } catch {
          // Someone else's malformed cookie: not ours to read.
        }
      }
    }
    return parsed;
  } catch {
    return null; // No document (server-side rendering) or cookies blocked: none.
  }
}

/** The cookie text that keeps `entry` under `key` (removes it, without `entry`). */
function cookieText(key: string, entry: StoredValue | undefined, options: KeyValueStoreOptions, now: number): string {
  const maxAge = entry?.expiresAt === undefined ? 0 : Math.max(0, Math.round((entry.expiresAt - now) / 1000));
  let text = `${key}=${entry ? encodeURIComponent(entry.value) : ''}; Max-Age=${maxAge}; Path=/; SameSite=Lax`;
  if (options.cookieDomain) text += `; Domain=${options.cookieDomain}`;
  return location.protocol === 'https:' ? `${text}; Secure` : text;
}

/**
 * The two backends of a store: localStorage (`<expiresAtMs>|<value>`) and
 * the cookies (read once, as the page loaded them; written through). Each is
 * dropped for the page's life once it throws.
 */
function backends(mode: StorageMode, options: KeyValueStoreOptions, now: () => number) {
  // undefined: not probed (or read) yet; null: absent or dropped after throwing.
  let local: Storage | null | undefined = mode === 'memory' ? null : undefined;
  let cookieSnapshot: Map<string, string> | null | undefined = mode === 'cookie+localStorage' ? undefined : null;

  const storage = (): Storage | null => (local === undefined ? (local = localStorageOrNull()) : local);
  /** The cookies as the page loaded them, read once: only a key's first read consults them. */
  const cookies = () => (cookieSnapshot === undefined ? (cookieSnapshot = readCookies()) : cookieSnapshot);

  /** null: localStorage is unusable; undefined: no live value. */
  const readStorage = (key: string): StoredValue | null | undefined => {
    const s = storage();
    if (!s) return null;
    let raw: string | null;
    try {
      raw = s.getItem(key);
    } catch {
      local = null;
      return null;
    }
    const i = raw?.indexOf(SEP) ?? -1;
    if (raw === null || i < 0) return undefined;
    const expiresAt = i === 0 ? undefined : Number(raw.slice(0, i));
    if (expiresAt !== undefined && !(expiresAt > now())) return undefined;
    return { value: raw.slice(i + 1), expiresAt };
  };

  const writeStorage = (key: string, entry?: StoredValue): void => {
    try {
      if (entry) storage()?.setItem(key, `${entry.expiresAt ?? ''}${SEP}${entry.value}`);
      else storage()?.removeItem(key);
    } catch {
      local = null; // Quota or private mode: memory from now on.
    }
  };

  const writeCookie = (key: string, entry?: StoredValue): void => {
    // A value of unknown lifetime came from the cookie itself: nothing to restore.
    if (!cookies() || (entry && entry.expiresAt === undefined)) return;
    try {
      document.cookie = cookieText(key, entry, options, now());
    } catch {
      cookieSnapshot = null;
    }
  };

  return { storage, cookies, readStorage, writeStorage, writeCookie };
}

/** Makes a store. Cheap and inert until first used. */
export function createKeyValueStore(mode: StorageMode, options: KeyValueStoreOptions = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const cache = new Map<string, StoredValue>();
  // Keys whose backends were consulted (and reconciled) once this page.
  const loaded = new Set<string>();
  const { storage, cookies, readStorage, writeStorage, writeCookie } = backends(mode, options, now);

  /** First read of a key: localStorage wins; whichever side lacks the value (or differs) is restored. */
  const load = (key: string): void => {
    loaded.add(key);
    const stored = readStorage(key);
    const fromCookie = cookies()?.get(key);
    const entry = stored ?? (fromCookie === undefined ? undefined : { value: fromCookie, expiresAt: undefined });
    if (stored && fromCookie !== stored.value) writeCookie(key, stored);
    if (stored === undefined && entry) writeStorage(key, entry);
    if (entry) cache.set(key, entry);
    else cache.delete(key);
  };

  const get = (key: string): string | undefined => {
    if (!loaded.has(key)) load(key);
    const entry = cache.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      cache.delete(key);
      return undefined;
    }
    return entry?.value;
  };

  const remove = (key: string): void => {
    loaded.add(key);
    cache.delete(key);
    writeStorage(key);
    writeCookie(key);
  };

  return {
    get,
    readLocal(key) {
      if (!loaded.has(key)) return get(key);
      const fresh = readStorage(key);
      if (fresh === null) return get(key);
      if (fresh) cache.set(key, fresh);
      else cache.delete(key);
      return fresh?.value;
    },
    expiresAt(key) {
      return get(key) === undefined ? undefined : cache.get(key)?.expiresAt;
    },
    set(key, value, maxAgeMs) {
      loaded.add(key);
      const entry = { value, expiresAt: now() + maxAgeMs };
      cache.set(key, entry);
      writeStorage(key, entry);
      writeCookie(key, entry);
    },
    remove,
    clear(keys) {
      for (const key of keys) remove(key);
    },
    keys(prefix) {
      const s = storage();
      const found = new Set(s ? keysWith(s, prefix) : []);
      for (const key of cache.keys()) if (key.startsWith(prefix)) found.add(key);
      return [...found];
    },
  };
}
