// @vitest-environment happy-dom
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createKeyValueStore, type StorageMode } from '../../src/browser/storage.js';
import {
  blockLocalStorage,
  breakCookies,
  cookie,
  failLocalStorageWrites,
  resetBrowser,
  spyCookies,
  wrapLocalStorage,
} from './helpers.js';
import { useFakeDate } from '../helpers/clock.js';

const T0 = 1_729_694_623_545;
const HOUR = 3_600_000;

useFakeDate(T0);
beforeEach(() => {
  resetBrowser();
});

describe('cookie+localStorage', () => {
  test('writes both: localStorage with an expiry stamp, the cookie with its attributes', () => {
    const spy = spyCookies();
    try {
      createKeyValueStore('cookie+localStorage').set('k', 'v 1', HOUR);
      expect(localStorage.getItem('k')).toBe(`${T0 + HOUR}|v 1`);
      expect(cookie('k')).toBe('v 1');
      expect(spy.writes).toEqual(['k=v%201; Max-Age=3600; Path=/; SameSite=Lax']);
    } finally {
      spy.restore();
    }
  });

  test('adds Domain when given and Secure on https', () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('https://shop.example/');
    const spy = spyCookies();
    try {
      createKeyValueStore('cookie+localStorage', { cookieDomain: 'shop.example' }).set('k', 'v', 1000);
      expect(spy.writes).toEqual(['k=v; Max-Age=1; Path=/; SameSite=Lax; Domain=shop.example; Secure']);
    } finally {
      spy.restore();
    }
  });

  test('reads document.cookie once, however many values are read', () => {
    document.cookie = 'a=1; Path=/';
    const spy = spyCookies();
    try {
      const store = createKeyValueStore('cookie+localStorage');
      for (let i = 0; i < 20; i++) {
        expect(store.get('a')).toBe('1');
        store.get('missing');
        store.readLocal('a');
      }
      expect(spy.reads).toBe(1);
    } finally {
      spy.restore();
    }
  });

  test('a cookie restores missing localStorage (lifetime unknown: the cookie keeps it)', () => {
    document.cookie = 'k=from%20cookie; Path=/';
    const store = createKeyValueStore('cookie+localStorage');
    expect(store.get('k')).toBe('from cookie');
    expect(localStorage.getItem('k')).toBe('|from cookie');
    expect(store.expiresAt('k')).toBeUndefined();
  });

  test('localStorage restores a missing cookie with the remaining lifetime', () => {
    localStorage.setItem('k', `${T0 + 2 * HOUR}|from storage`);
    const spy = spyCookies();
    try {
      expect(createKeyValueStore('cookie+localStorage').get('k')).toBe('from storage');
      expect(spy.writes).toEqual(['k=from%20storage; Max-Age=7200; Path=/; SameSite=Lax']);
      expect(cookie('k')).toBe('from storage');
    } finally {
      spy.restore();
    }
  });

  test('when both hold different values, localStorage wins and the cookie follows', () => {
    localStorage.setItem('k', `${T0 + HOUR}|new`);
    document.cookie = 'k=old; Path=/';
    const store = createKeyValueStore('cookie+localStorage');
    expect(store.get('k')).toBe('new');
    expect(cookie('k')).toBe('new');
  });

  test('a value restored from a cookie is kept by a new page once localStorage is cleared', () => {
    createKeyValueStore('cookie+localStorage').set('k', 'v', HOUR);
    localStorage.clear();
    expect(createKeyValueStore('cookie+localStorage').get('k')).toBe('v');
  });

  test('remove and clear empty both backends', () => {
    const store = createKeyValueStore('cookie+localStorage');
    store.set('a', '1', HOUR);
    store.set('b', '2', HOUR);
    store.set('c', '3', HOUR);
    store.remove('a');
    store.clear(['b', 'c']);
    for (const key of ['a', 'b', 'c']) {
      expect(store.get(key)).toBeUndefined();
      expect(localStorage.getItem(key)).toBeNull();
      expect(cookie(key)).toBeUndefined();
    }
  });
});

describe('expiry', () => {
  test.each<StorageMode>(['cookie+localStorage', 'localStorage', 'memory'])(
    '%s: a value is gone at its expiry',
    (mode) => {
      const store = createKeyValueStore(mode);
      store.set('k', 'v', HOUR);
      vi.setSystemTime(T0 + HOUR - 1);
      expect(store.get('k')).toBe('v');
      expect(store.expiresAt('k')).toBe(T0 + HOUR);
      vi.setSystemTime(T0 + HOUR);
      expect(store.get('k')).toBeUndefined();
      // The browser expires the cookie on whole seconds, strictly after its expiry.
      vi.setSystemTime(T0 + HOUR + 1000);
      expect(createKeyValueStore(mode).get('k')).toBeUndefined();
    },
  );

  test('an injected clock stamps localStorage', () => {
    createKeyValueStore('localStorage', { now: () => 5000 }).set('k', 'v', 1000);
    expect(localStorage.getItem('k')).toBe('6000|v');
  });

  test.each([
    ['no stamp', 'plain'],
    ['a stamp that is not a number', 'soon|v'],
    ['an expired stamp', `${T0 - 1}|v`],
  ])('localStorage value with %s is ignored', (_, raw) => {
    localStorage.setItem('k', raw);
    expect(createKeyValueStore('localStorage').get('k')).toBeUndefined();
  });
});

describe('modes', () => {
  test('localStorage mode writes no cookie', () => {
    createKeyValueStore('localStorage').set('k', 'v', HOUR);
    expect(localStorage.getItem('k')).toBe(`${T0 + HOUR}|v`);
    expect(cookie('k')).toBeUndefined();
  });

  test('localStorage mode does not read cookies', () => {
    document.cookie = 'k=v; Path=/';
    expect(createKeyValueStore('localStorage').get('k')).toBeUndefined();
  });

  test('memory mode touches neither backend', () => {
    const store = createKeyValueStore('memory');
    store.set('k', 'v', HOUR);
    expect(store.get('k')).toBe('v');
    expect(store.readLocal('k')).toBe('v');
    expect(localStorage.length).toBe(0);
    expect(cookie('k')).toBeUndefined();
  });
});

describe('readLocal vs get', () => {
  test('get is cached; readLocal sees what another tab wrote', () => {
    const tabA = createKeyValueStore('cookie+localStorage');
    const tabB = createKeyValueStore('cookie+localStorage');
    tabA.set('k', 'a', HOUR);
    expect(tabB.get('k')).toBe('a');
    tabA.set('k', 'b', HOUR);
    expect(tabB.get('k')).toBe('a');
    expect(tabB.readLocal('k')).toBe('b');
    expect(tabB.get('k')).toBe('b');
  });

  test('readLocal sees a removal by another tab', () => {
    const tabA = createKeyValueStore('localStorage');
    const tabB = createKeyValueStore('localStorage');
    tabA.set('k', 'a', HOUR);
    expect(tabB.readLocal('k')).toBe('a');
    tabA.remove('k');
    expect(tabB.readLocal('k')).toBeUndefined();
  });

  test('the first readLocal of a key restores localStorage from the cookie', () => {
    document.cookie = 'k=v; Path=/';
    expect(createKeyValueStore('cookie+localStorage').readLocal('k')).toBe('v');
    expect(localStorage.getItem('k')).toBe('|v');
  });
});

describe('memory fallback, never an error', () => {
  const cases: [string, () => () => void, { local: boolean; cookie: boolean }][] = [
    [
      'localStorage.setItem throws (quota, Safari private mode)',
      failLocalStorageWrites,
      { local: false, cookie: true },
    ],
    ['reaching localStorage throws SecurityError', blockLocalStorage, { local: false, cookie: true }],
    ['document.cookie throws', breakCookies, { local: true, cookie: false }],
    [
      'both throw',
      () => {
        const a = blockLocalStorage();
        const b = breakCookies();
        return () => {
          a();
          b();
        };
      },
      { local: false, cookie: false },
    ],
  ];

  test.each(cases)('%s', (_, breakIt, works) => {
    const undo = breakIt();
    let store: ReturnType<typeof createKeyValueStore>;
    try {
      store = createKeyValueStore('cookie+localStorage');
      expect(() => store.set('k', 'v', HOUR)).not.toThrow();
      expect(store.get('k')).toBe('v');
      expect(store.readLocal('k')).toBe('v');
      expect(store.expiresAt('k')).toBe(T0 + HOUR);
      store.set('k', 'w', HOUR);
      expect(store.get('k')).toBe('w');
    } finally {
      undo();
    }
    expect(localStorage.getItem('k') !== null).toBe(works.local);
    expect(cookie('k') !== undefined).toBe(works.cookie);
    expect(() => store.remove('k')).not.toThrow();
    expect(store.get('k')).toBeUndefined();
  });

  test('values survive localStorage starting to throw mid-page', () => {
    const wrapped = wrapLocalStorage();
    try {
      const store = createKeyValueStore('localStorage');
      store.set('k', 'v', HOUR);
      expect(localStorage.getItem('k')).toBe(`${T0 + HOUR}|v`);
      wrapped.failWrites = true;
      expect(() => store.set('other', 'x', HOUR)).not.toThrow();
      expect(store.get('k')).toBe('v');
      expect(store.get('other')).toBe('x');
      expect(store.readLocal('other')).toBe('x');
    } finally {
      wrapped.restore();
    }
    expect(localStorage.getItem('other')).toBeNull();
  });
});
