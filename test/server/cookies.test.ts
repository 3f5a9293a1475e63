import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE, VISITOR_COOKIE } from '../../src/core/ids.js';
import { readIdsFromCookieHeader } from '../../src/server/index.js';

const VID = '01929d42ae1a0016c0cebe6dd43a0508900160810056a';

describe('readIdsFromCookieHeader', () => {
  it('uses the shared cookie names', () => {
    expect([VISITOR_COOKIE, SESSION_COOKIE]).toEqual(['_sym_vid', '_sym_sid']);
  });

  it.each([
    [
      'both, session with last-event time',
      `a=1; _sym_vid=${VID}; _sym_sid=1729694623545.1729696661986`,
      { visitor_id: VID, session_id: '1729694623545' },
    ],
    ['session start only', `_sym_sid=1729694623545;_sym_vid=${VID}`, { visitor_id: VID, session_id: '1729694623545' }],
    ['quoted visitor id', `_sym_vid="${VID}"`, { visitor_id: VID }],
    // The browser SDK replaces such a cookie: reading it, repaired, would join a visitor the browser no longer is.
    ["an upper-case visitor id is not the SDK's: left out", `_sym_vid=${VID.toUpperCase()}`, {}],
    ['an email in the visitor cookie is left out', `_sym_vid=jane%40example.com; _sym_sid=-5`, {}],
    ['a session id that is not digits is left out', `_sym_sid=abc.1729696661986`, {}],
    ['first valid occurrence wins', `_sym_vid=${VID}; _sym_vid=${'f'.repeat(45)}`, { visitor_id: VID }],
    ['a malformed visitor id is left out', `_sym_vid=abc; _sym_sid=1729694623545`, { session_id: '1729694623545' }],
    ['a malformed session is left out', `_sym_vid=${VID}; _sym_sid=yesterday`, { visitor_id: VID }],
    ['look-alike names do not count', `x_sym_vid=${VID}; _sym_sid_old=1`, {}],
    ['no header', undefined, {}],
    ['empty header', '', {}],
    ['garbage', ';;=;%%%', {}],
  ])('%s', (_name, header, expected) => {
    expect(readIdsFromCookieHeader(header)).toEqual(expected);
  });
});
