/** Shared setup for the browser-state tests (happy-dom). */

/** Empties localStorage and every cookie, and puts the page back on http://localhost:3000/. */
export function resetBrowser(): void {
  localStorage.clear();
  for (const part of document.cookie.split(';')) {
    const name = part.split('=')[0]?.trim();
    // An Expires in the past: happy-dom keeps a `Max-Age=0` cookie until its (faked) clock moves.
    if (name) document.cookie = `${name}=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Path=/`;
  }
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('http://localhost:3000/');
}

/** The real `document.cookie` accessor (on a prototype of `document`). */
function cookieAccessor(): PropertyDescriptor {
  for (let o: object | null = document; o; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, 'cookie');
    if (d) return d;
  }
  throw new Error('no document.cookie accessor');
}

/** Records cookie reads and writes while letting them through; `restore()` undoes it. */
export function spyCookies(): { reads: number; writes: string[]; restore(): void } {
  const real = cookieAccessor();
  const spy = {
    reads: 0,
    writes: [] as string[],
    restore: () => {
      delete (document as { cookie?: string }).cookie;
    },
  };
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get() {
      spy.reads++;
      return real.get!.call(document) as string;
    },
    set(v: string) {
      spy.writes.push(v);
      real.set!.call(document, v);
    },
  });
  return spy;
}

/** Makes `document.cookie` throw on read and write (blocked cookies); returns the undo. */
export function breakCookies(): () => void {
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
    set() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
  return () => {
    delete (document as { cookie?: string }).cookie;
  };
}

/** Makes reaching `window.localStorage` throw (storage blocked for the origin); returns the undo. */
export function blockLocalStorage(): () => void {
  const real = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    },
  });
  return () => Object.defineProperty(window, 'localStorage', real);
}

/**
 * Puts a wrapper in place of `window.localStorage` whose `setItem` throws
 * (Safari private mode, quota) while `failWrites` is set; reads still work.
 * A wrapper, because happy-dom's storage caches its methods: spying on
 * `Storage.prototype` misses.
 */
export function wrapLocalStorage(): { failWrites: boolean; restore(): void } {
  const real = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
  const storage = localStorage;
  const control = {
    failWrites: false,
    restore: () => Object.defineProperty(window, 'localStorage', real),
  };
  const wrapper = {
    get length() {
      return storage.length;
    },
    key: (index: number) => storage.key(index),
    getItem: (key: string) => storage.getItem(key),
    removeItem: (key: string) => storage.removeItem(key),
    setItem: (key: string, value: string) => {
      if (control.failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      storage.setItem(key, value);
    },
  };
  Object.defineProperty(window, 'localStorage', { configurable: true, get: () => wrapper });
  return control;
}

/** Makes `localStorage.setItem` throw from now on; returns the undo. */
export function failLocalStorageWrites(): () => void {
  const wrapped = wrapLocalStorage();
  wrapped.failWrites = true;
  return () => wrapped.restore();
}

/**
 * The cookie named `name` as the browser now reports it. Empty counts as
 * absent: a removal writes `name=; Max-Age=0`, which happy-dom keeps while its
 * faked clock stands still, and the SDK never stores an empty value.
 */
export function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const i = part.indexOf('=');
    const value = part.slice(i + 1).trim();
    if (part.slice(0, i).trim() === name && value) return decodeURIComponent(value);
  }
  return undefined;
}
