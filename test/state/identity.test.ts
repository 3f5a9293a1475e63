// @vitest-environment happy-dom
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { SESSION_COOKIE, SESSION_TIMEOUT_MS, VISITOR_COOKIE } from '../../src/core/ids.js';
import {
  createVisitorId,
  Identity,
  SESSION_STAMP_MS,
  VISITOR_LIFETIME_MS,
  VISITOR_REFRESH_MS,
} from '../../src/browser/identity.js';
import { createKeyValueStore, type KeyValueStore } from '../../src/browser/storage.js';
import { breakCookies, cookie, failLocalStorageWrites, resetBrowser, spyCookies } from './helpers.js';
import { useFakeDate } from '../helpers/clock.js';

const T0 = 1_729_694_623_545;
/** The vendor example's visitor id: an id in the SDK's own shape, kept by a shop. */
const KEPT_VID = '01929d42ae1a0016c0cebe6dd43a0508900160810056a';
/** Values that break the ids' rule: each would make the Event API refuse the request, or leak PII. */
const NOT_IDS = ['', 'x'.repeat(257), 42 as unknown as string, 'jane@example.com', '<script>', 'abc', '-5'];
const MIN = 60_000;
const DAY = 86_400_000;

/** A page load: a fresh store (fresh cookie snapshot) and identity over the shared browser. */
const page = (): Identity => new Identity(createKeyValueStore('cookie+localStorage'));

useFakeDate(T0);
beforeEach(() => {
  resetBrowser();
});

describe('visitor id', () => {
  test('has the vendor shape: 12 hex of the first visit ms, then 33 random hex', () => {
    const { visitorId } = page().idsForEvent();
    expect(visitorId).toMatch(/^[0-9a-f]{45}$/);
    expect(visitorId.slice(0, 12)).toBe(T0.toString(16).padStart(12, '0'));
    expect(visitorId.slice(0, 12)).toBe('0192b9d56739');
    expect(parseInt(visitorId.slice(0, 12), 16)).toBe(T0);
  });

  test.each([
    [0, '000000000000'],
    [1, '000000000001'],
    [0xabc, '000000000abc'],
    [T0, '0192b9d56739'],
    // The vendor example's vid: a first visit on 2024-10-18, five days before its session.
    [Date.UTC(2024, 9, 18, 1, 34, 5, 850), '01929d42ae1a'],
  ])('createVisitorId(%i) starts %s and draws 33 hex from the random source', (ms, prefix) => {
    const id = createVisitorId(ms, (bytes) => bytes.fill(0xa5));
    expect(id).toBe(prefix + 'a5'.repeat(17).slice(0, 33));
  });

  test('the random part comes from crypto.getRandomValues', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const ids = new Set(Array.from({ length: 50 }, () => createVisitorId(T0).slice(12)));
      expect(ids.size).toBe(50);
      expect(spy).toHaveBeenCalledTimes(50);
    } finally {
      spy.mockRestore();
    }
  });

  test('an injected random source is used', () => {
    const identity = new Identity(createKeyValueStore('memory'), { random: (b) => b.fill(0), now: () => 16 });
    expect(identity.idsForEvent().visitorId).toBe('000000000010' + '0'.repeat(33));
  });

  test('is kept in localStorage and a 13-month cookie', () => {
    const { visitorId } = page().idsForEvent();
    expect(cookie(VISITOR_COOKIE)).toBe(visitorId);
    expect(localStorage.getItem(VISITOR_COOKIE)).toBe(`${T0 + VISITOR_LIFETIME_MS}|${visitorId}`);
    expect(VISITOR_LIFETIME_MS).toBe(395 * DAY);
  });

  test.each([
    ['both kept', () => {}],
    ['localStorage cleared', () => localStorage.clear()],
    [
      'cookies cleared',
      () => {
        document.cookie = `${VISITOR_COOKIE}=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Path=/`;
      },
    ],
  ])('persists across page loads (%s)', (_, damage) => {
    const first = page().idsForEvent().visitorId;
    damage();
    vi.setSystemTime(T0 + DAY * 3);
    expect(page().idsForEvent().visitorId).toBe(first);
    // and each side was restored
    expect(cookie(VISITOR_COOKIE)).toBe(first);
    expect(localStorage.getItem(VISITOR_COOKIE)).toMatch(new RegExp(`\\|${first}$`));
  });

  test('is replaced after 13 months without a visit', () => {
    const first = page().idsForEvent().visitorId;
    vi.setSystemTime(T0 + VISITOR_LIFETIME_MS + 1000);
    const second = page().idsForEvent().visitorId;
    expect(second).not.toBe(first);
    expect(second.slice(0, 12)).toBe((T0 + VISITOR_LIFETIME_MS + 1000).toString(16).padStart(12, '0'));
  });

  test('lifetime slides on use, rewritten at most once a day', () => {
    const store = createKeyValueStore('cookie+localStorage');
    const set = vi.spyOn(store, 'set');
    const identity = new Identity(store);
    identity.idsForEvent();
    const visitorWrites = () => set.mock.calls.filter(([key]) => key === VISITOR_COOKIE).length;
    expect(visitorWrites()).toBe(1);
    for (let t = T0; t < T0 + VISITOR_REFRESH_MS; t += 10 * MIN) identity.idsForEvent(t);
    expect(visitorWrites()).toBe(1);
    expect(store.expiresAt(VISITOR_COOKIE)).toBe(T0 + VISITOR_LIFETIME_MS);
    vi.setSystemTime(T0 + VISITOR_REFRESH_MS);
    identity.idsForEvent();
    expect(visitorWrites()).toBe(2);
    expect(store.expiresAt(VISITOR_COOKIE)).toBe(T0 + VISITOR_REFRESH_MS + VISITOR_LIFETIME_MS);
  });

  test('restored from a cookie alone (lifetime unknown), it is rewritten with a full lifetime', () => {
    document.cookie = `${VISITOR_COOKIE}=${KEPT_VID}; Path=/`;
    const store = createKeyValueStore('cookie+localStorage');
    expect(new Identity(store).idsForEvent().visitorId).toBe(KEPT_VID);
    expect(store.expiresAt(VISITOR_COOKIE)).toBe(T0 + VISITOR_LIFETIME_MS);
  });

  test.each([...NOT_IDS.filter((bad) => typeof bad === 'string' && bad !== ''), KEPT_VID.toUpperCase()])(
    'a stored %j is no visitor id: replaced by a new one in cookie and localStorage, never sent',
    (bad) => {
      document.cookie = `${VISITOR_COOKIE}=${encodeURIComponent(bad)}; Path=/`;
      localStorage.setItem(VISITOR_COOKIE, `|${bad}`);
      const identity = page();
      expect(identity.getVisitorId()).toBeUndefined();
      const { visitorId } = identity.idsForEvent();
      expect(visitorId).toMatch(/^[0-9a-f]{45}$/);
      expect(cookie(VISITOR_COOKIE)).toBe(visitorId);
      expect(page().getVisitorId()).toBe(visitorId);
    },
  );

  test('setVisitorId adopts your own id; getVisitorId never creates one', () => {
    const identity = page();
    expect(identity.getVisitorId()).toBeUndefined();
    expect(identity.setVisitorId(KEPT_VID)).toBe(true);
    expect(identity.getVisitorId()).toBe(KEPT_VID);
    expect(identity.idsForEvent().visitorId).toBe(KEPT_VID);
    expect(page().idsForEvent().visitorId).toBe(KEPT_VID);
  });

  test.each([...NOT_IDS, 'crm-visitor-42', KEPT_VID.toUpperCase(), KEPT_VID.slice(1)])(
    'setVisitorId refuses %j and keeps the id',
    (bad) => {
      const identity = page();
      const { visitorId } = identity.idsForEvent();
      expect(identity.setVisitorId(bad)).toBe(false);
      expect(identity.getVisitorId()).toBe(visitorId);
    },
  );
});

describe('session', () => {
  test('starts with the first event: sid is its ms as a string', () => {
    const identity = page();
    expect(identity.getSessionId()).toBeUndefined();
    expect(identity.idsForEvent()).toMatchObject({ sessionId: String(T0), isNewSession: true });
    expect(identity.getSessionId()).toBe(String(T0));
    expect(localStorage.getItem(SESSION_COOKIE)).toBe(`${T0 + SESSION_TIMEOUT_MS}|${T0}.${T0}`);
    expect(cookie(SESSION_COOKIE)).toBe(`${T0}.${T0}`);
  });

  test.each([
    [SESSION_TIMEOUT_MS - 1, false],
    [SESSION_TIMEOUT_MS, true],
    [SESSION_TIMEOUT_MS + 1, true],
  ])('an event %i ms after the last one is a new session: %s', (gap, isNew) => {
    const identity = page();
    identity.idsForEvent(T0);
    identity.idsForEvent(T0 + 10 * MIN);
    const last = T0 + 10 * MIN;
    expect(identity.idsForEvent(last + gap)).toMatchObject({
      sessionId: isNew ? String(last + gap) : String(T0),
      isNewSession: isNew,
    });
  });

  test('each event slides the 30 minutes: a long active visit is one session', () => {
    const identity = page();
    for (let t = T0; t <= T0 + 4 * 60 * MIN; t += 25 * MIN) {
      expect(identity.idsForEvent(t)).toMatchObject({ sessionId: String(T0), isNewSession: t === T0 });
    }
  });

  test('getSessionId reports an ended session as none, without starting one', () => {
    const identity = page();
    identity.idsForEvent(T0);
    expect(identity.getSessionId(T0 + SESSION_TIMEOUT_MS - 1)).toBe(String(T0));
    expect(identity.getSessionId(T0 + SESSION_TIMEOUT_MS)).toBeUndefined();
    expect(identity.idsForEvent(T0 + 5 * MIN).sessionId).toBe(String(T0));
  });

  test('two tabs share one session through localStorage', () => {
    const tabA = page();
    const tabB = page();
    expect(tabA.idsForEvent(T0)).toMatchObject({ sessionId: String(T0), isNewSession: true });
    expect(tabB.idsForEvent(T0 + 10 * MIN)).toMatchObject({ sessionId: String(T0), isNewSession: false });
    // Tab A idles 45 minutes, but tab B's events kept the session alive.
    expect(tabB.idsForEvent(T0 + 35 * MIN)).toMatchObject({ sessionId: String(T0), isNewSession: false });
    expect(tabA.idsForEvent(T0 + 45 * MIN)).toMatchObject({ sessionId: String(T0), isNewSession: false });
    // And a session started by one tab is the other's.
    expect(tabB.idsForEvent(T0 + 200 * MIN)).toMatchObject({ sessionId: String(T0 + 200 * MIN), isNewSession: true });
    expect(tabA.idsForEvent(T0 + 201 * MIN)).toMatchObject({ sessionId: String(T0 + 200 * MIN), isNewSession: false });
    expect(tabA.idsForEvent().visitorId).toBe(tabB.idsForEvent().visitorId);
  });

  test('a tab with a lagging clock never moves the last event back', () => {
    const identity = page();
    identity.idsForEvent(T0 + 20 * MIN);
    identity.idsForEvent(T0 + 10 * MIN);
    expect(identity.getSessionId(T0 + 20 * MIN + SESSION_TIMEOUT_MS - 1)).toBe(String(T0 + 20 * MIN));
  });

  test('setSessionId adopts your id for all tabs; it ends after 30 idle minutes like any session', () => {
    const tabA = page();
    const tabB = page();
    expect(tabA.setSessionId('1729694000000', T0)).toBe(true);
    expect(tabB.idsForEvent(T0 + MIN)).toMatchObject({ sessionId: '1729694000000', isNewSession: false });
    expect(tabA.getSessionId(T0 + MIN)).toBe('1729694000000');
    expect(tabA.idsForEvent(T0 + MIN + SESSION_TIMEOUT_MS)).toMatchObject({
      sessionId: String(T0 + MIN + SESSION_TIMEOUT_MS),
      isNewSession: true,
    });
  });

  test.each([...NOT_IDS, 'a.b', 'my-session', '1'.repeat(17)])('setSessionId refuses %j', (bad) => {
    const identity = page();
    identity.idsForEvent(T0);
    expect(identity.setSessionId(bad)).toBe(false);
    expect(identity.getSessionId()).toBe(String(T0));
  });

  test.each(['jane@example.com', '<script>', 'abc', '-5', 'abc.1729694623545'])(
    'a stored session %j is no session: a new one starts, the cookie is replaced',
    (bad) => {
      document.cookie = `${SESSION_COOKIE}=${encodeURIComponent(bad)}; Path=/`;
      expect(page().idsForEvent(T0)).toMatchObject({ sessionId: String(T0), isNewSession: true });
      expect(cookie(SESSION_COOKIE)).toBe(`${T0}.${T0}`);
    },
  );

  test('a bare session cookie set by a server is continued', () => {
    document.cookie = `${SESSION_COOKIE}=1729694000000; Path=/`;
    expect(page().idsForEvent(T0)).toMatchObject({ sessionId: '1729694000000', isNewSession: false });
  });
});

describe('session stamp writes', () => {
  const SEC = 1000;
  const stored = () => localStorage.getItem(SESSION_COOKIE)?.split('|')[1];
  /** A page whose event at T0 is written, and whose event at T0 + `seconds` s is not yet (under a minute later). */
  const pageWithUnwrittenEvent = (seconds: number): Identity => {
    const identity = page();
    identity.idsForEvent();
    vi.setSystemTime(T0 + seconds * SEC);
    identity.idsForEvent();
    return identity;
  };
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(T0);
  });

  test('while events come, the stamp is written at most once a minute; the last event a minute after the first unwritten one', () => {
    const spy = spyCookies();
    try {
      const identity = page();
      identity.idsForEvent(); // A new session: written at once.
      for (let s = 5; s <= 50; s += 5) {
        vi.setSystemTime(T0 + s * SEC);
        expect(identity.idsForEvent()).toMatchObject({ sessionId: String(T0), isNewSession: false });
      }
      expect(stored()).toBe(`${T0}.${T0}`);
      expect(spy.writes.filter((w) => w.startsWith(SESSION_COOKIE))).toHaveLength(1);
      vi.advanceTimersByTime(SESSION_STAMP_MS);
      expect(stored()).toBe(`${T0}.${T0 + 50 * SEC}`);
      expect(cookie(SESSION_COOKIE)).toBe(`${T0}.${T0 + 50 * SEC}`);
      expect(spy.writes.filter((w) => w.startsWith(SESSION_COOKIE))).toHaveLength(2);
      // An event a minute or more after the written stamp is written at once.
      vi.setSystemTime(T0 + 50 * SEC + SESSION_STAMP_MS);
      identity.idsForEvent();
      expect(stored()).toBe(`${T0}.${T0 + 50 * SEC + SESSION_STAMP_MS}`);
    } finally {
      spy.restore();
    }
  });

  test('writeLastEvent writes the unwritten event at once (the client calls it when the page is hidden or left)', () => {
    const identity = pageWithUnwrittenEvent(5);
    expect(stored()).toBe(`${T0}.${T0}`);
    identity.writeLastEvent();
    expect(stored()).toBe(`${T0}.${T0 + 5 * SEC}`);
    expect(cookie(SESSION_COOKIE)).toBe(`${T0}.${T0 + 5 * SEC}`);
  });

  test('the 30 idle minutes count from the last event, in this tab and in another', () => {
    const tabA = pageWithUnwrittenEvent(40);
    vi.advanceTimersByTime(SESSION_STAMP_MS);
    const last = T0 + 40 * SEC;
    expect(tabA.getSessionId(last + SESSION_TIMEOUT_MS - 1)).toBe(String(T0));
    expect(page().idsForEvent(last + SESSION_TIMEOUT_MS - 1)).toMatchObject({
      sessionId: String(T0),
      isNewSession: false,
    });
  });

  test('the tab that has not written its last event yet already counts it', () => {
    const identity = pageWithUnwrittenEvent(40);
    expect(stored()).toBe(`${T0}.${T0}`);
    expect(identity.getSessionId(T0 + 40 * SEC + SESSION_TIMEOUT_MS - 1)).toBe(String(T0));
  });

  test('an unwritten event never overwrites a session another tab started meanwhile', () => {
    pageWithUnwrittenEvent(5); // Tab A, its event at T0 + 5 s unwritten.
    expect(page().setSessionId('1729694000000', T0 + 6 * SEC)).toBe(true); // Another tab's new session.
    vi.advanceTimersByTime(SESSION_STAMP_MS);
    expect(stored()).toBe(`1729694000000.${T0 + 6 * SEC}`);
  });

  test('forget drops the unwritten event too', () => {
    const identity = page();
    identity.idsForEvent();
    vi.setSystemTime(T0 + 5 * SEC);
    identity.idsForEvent();
    identity.forget();
    vi.advanceTimersByTime(SESSION_STAMP_MS);
    expect(localStorage.getItem(SESSION_COOKIE)).toBeNull();
    expect(cookie(SESSION_COOKIE)).toBeUndefined();
  });
});

describe('storage trouble and forgetting', () => {
  test.each([
    ['localStorage writes throw', failLocalStorageWrites],
    ['cookies throw', breakCookies],
  ])('%s: ids still work within the page', (_, breakIt) => {
    const undo = breakIt();
    try {
      const identity = page();
      const first = identity.idsForEvent(T0);
      expect(first.isNewSession).toBe(true);
      expect(identity.idsForEvent(T0 + MIN)).toEqual({ ...first, isNewSession: false });
    } finally {
      undo();
    }
  });

  test('memory mode: ids live for the page only', () => {
    const store: KeyValueStore = createKeyValueStore('memory');
    const { visitorId } = new Identity(store).idsForEvent();
    expect(new Identity(store).idsForEvent().visitorId).toBe(visitorId);
    expect(new Identity(createKeyValueStore('memory')).idsForEvent().visitorId).not.toBe(visitorId);
    expect(localStorage.length).toBe(0);
  });

  test('forget removes both ids from every backend', () => {
    const identity = page();
    const { visitorId } = identity.idsForEvent();
    identity.forget();
    expect(identity.getVisitorId()).toBeUndefined();
    expect(identity.getSessionId()).toBeUndefined();
    expect(localStorage.getItem(VISITOR_COOKIE)).toBeNull();
    expect(cookie(VISITOR_COOKIE)).toBeUndefined();
    expect(cookie(SESSION_COOKIE)).toBeUndefined();
    vi.setSystemTime(T0 + 1000);
    expect(page().idsForEvent().visitorId).not.toBe(visitorId);
  });
});

describe('the page clock (issue 24, items 9 and 10)', () => {
  test('a Date.now returning fractional ms (a high-resolution polyfill) still gives an integer session id', () => {
    vi.spyOn(Date, 'now').mockReturnValue(T0 + 0.25);
    const { sessionId } = page().idsForEvent();
    expect(sessionId).toBe(String(T0));
  });

  test('a clock moved back a day ends the session, and the new one still expires after 31 idle minutes', () => {
    const first = page().idsForEvent().sessionId;
    vi.setSystemTime(T0 - DAY);
    const afterJump = page().idsForEvent();
    expect(afterJump.sessionId).not.toBe(first);
    expect(afterJump.isNewSession).toBe(true);
    vi.setSystemTime(T0 - DAY + 31 * MIN);
    expect(page().idsForEvent().sessionId).not.toBe(afterJump.sessionId);
  });

  test('a clock moved back a day, then 23 hours idle: a new session, not the old one carried on', () => {
    const first = page().idsForEvent().sessionId;
    vi.setSystemTime(T0 - DAY + 23 * 60 * MIN);
    expect(page().idsForEvent().sessionId).not.toBe(first);
  });

  test('a clock a few minutes behind the last event (an event replayed with its own time) keeps the session', () => {
    const first = page().idsForEvent().sessionId;
    expect(page().idsForEvent(T0 - 5 * MIN).sessionId).toBe(first);
  });
});
