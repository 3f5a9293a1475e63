/**
 * The runner fails where GTM's editor would: a scenario whose assertion does
 * not hold, an API called or not called against what it asserts, an API
 * no template context has; and its APIs keep to their references.
 */
import { describe, expect, it } from 'vitest';
import { urlMatches, webApis, type WebEnvironment } from './runner/apis.js';
import { runScenario } from './runner/scenarios.js';
import type { Template } from './runner/tpl.js';

const template = (code: string, context: Template['context'] = 'web'): Template => ({
  info: { type: 'TAG', containerContexts: [context.toUpperCase()], displayName: 't' },
  parameters: [],
  code,
  context,
  permissions: [],
  scenarios: [],
  setup: '',
});

describe('scenarios', () => {
  const tag = template("const getType = require('getType'); if (getType(data.x) === 'number') data.gtmOnSuccess();");

  it('pass when their assertions hold', () => {
    runScenario(tag, "runCode({ x: 1 }); assertApi('gtmOnSuccess').wasCalled(); assertThat(1 + 1).isEqualTo(2);");
  });

  it.each([
    ["runCode({ x: 'a' }); assertApi('gtmOnSuccess').wasCalled();", /gtmOnSuccess was not called/],
    ["runCode({ x: 1 }); assertApi('gtmOnSuccess').wasNotCalled();", /gtmOnSuccess was called/],
    ['assertThat({ a: [1, 2] }).isEqualTo({ a: [1, 3] });', /to equal/],
    ['assertThat(undefined).isDefined();', /to be defined/],
    ["fail('stop');", /stop/],
  ])('fail when they do not: %s', (code, message) => {
    expect(() => runScenario(tag, code)).toThrow(message);
  });

  it('let a mock stand in for an API, and record its calls', () => {
    runScenario(
      tag,
      "mock('getType', () => 'number'); runCode({ x: 'a' }); assertApi('getType').wasCalledWith('a'); assertApi('gtmOnSuccess').wasCalled();",
    );
  });

  it('refuse an API the context does not have', () => {
    expect(() => runScenario(template("require('sendHttpRequest');"), 'runCode({});')).toThrow(
      /no such API in a web template/,
    );
  });
});

describe('web APIs', () => {
  const env = (): WebEnvironment => ({
    window: { existing: 1 },
    dataLayer: () => ({ ecommerce: { transaction_id: 'T' }, other: 'x' }),
    consent: { granted: () => true, listen: () => undefined },
    injectScript: () => undefined,
  });
  const grants = new Map<string, Record<string, unknown>>([
    [
      'access_globals',
      {
        keys: [
          { key: 'existing', read: true, write: true, execute: false },
          { key: 'q', read: true, write: true, execute: false },
        ],
      },
    ],
    ['read_data_layer', { allowedKeys: 'specific', keyPatterns: ['ecommerce'] }],
  ]);

  it('setInWindow keeps an existing value unless told to override', () => {
    const window = env().window;
    const apis = webApis({ ...env(), window }, grants) as Record<string, (...args: unknown[]) => unknown>;
    expect(apis['setInWindow']?.('existing', 2)).toBe(false);
    expect(window['existing']).toBe(1);
    expect(apis['setInWindow']?.('existing', 2, true)).toBe(true);
    expect(window['existing']).toBe(2);
  });

  it('createQueue makes the array once and pushes onto it', () => {
    const window: Record<string, unknown> = {};
    const apis = webApis({ ...env(), window }, grants) as Record<string, (...args: unknown[]) => unknown>;
    (apis['createQueue']?.('q') as (value: unknown) => void)(1);
    (apis['createQueue']?.('q') as (value: unknown) => void)(2);
    expect(window['q']).toEqual([1, 2]);
  });

  it('copyFromDataLayer reads granted keys, under them too, and refuses others', () => {
    const withSub = new Map(grants).set('read_data_layer', { allowedKeys: 'specific', keyPatterns: ['ecommerce.*'] });
    const apis = webApis(env(), grants) as Record<string, (...args: unknown[]) => unknown>;
    expect(apis['copyFromDataLayer']?.('ecommerce')).toEqual({ transaction_id: 'T' });
    expect(() => apis['copyFromDataLayer']?.('other')).toThrow(/other/);
    const sub = webApis(env(), withSub) as Record<string, (...args: unknown[]) => unknown>;
    expect(sub['copyFromDataLayer']?.('ecommerce.transaction_id')).toBe('T');
  });

  it('matches URL patterns with * wildcards and nothing else', () => {
    const pattern = 'https://unpkg.com/@acme/symbiosys@*/dist/symbiosys.tag.js';
    expect(urlMatches(pattern, 'https://unpkg.com/@acme/symbiosys@0.1.0/dist/symbiosys.tag.js')).toBe(true);
    expect(urlMatches(pattern, 'https://unpkg.com/@acme/symbiosys@0.1.0/dist/symbiosys.tag.jsx')).toBe(false);
    expect(urlMatches(pattern, 'https://evil.example/?https://unpkg.com/@acme/symbiosys@1/dist/symbiosys.tag.js')).toBe(
      false,
    );
  });
});
