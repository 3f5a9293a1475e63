/**
 * A template's own `___TESTS___`, run as GTM's editor runs them: `setup`
 * then each scenario, with `mock`, `mockObject`, `assertApi`, `assertThat`,
 * `runCode` and `fail`. An API a scenario does not mock is the runner's,
 * permission checks included.
 */
import { commonApis, webApis, type Grants, type WebEnvironment } from './apis.js';
import { serverApis, type ServerEnvironment } from './server-apis.js';
import { runSandboxed } from './sandbox.js';
import { grants, type Template } from './tpl.js';

export const TEST_GLOBALS = ['require', 'data', 'mock', 'mockObject', 'assertApi', 'assertThat', 'runCode', 'fail'];

/** Equality as `isEqualTo` reads it: same types, same members, across realms. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every(
      (key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual((a as never)[key], (b as never)[key]),
    )
  );
}

const show = (value: unknown) => (typeof value === 'function' ? 'a function' : JSON.stringify(value));

function assertThat(actual: unknown, message?: string) {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`${message ? `${message}: ` : ''}expected ${show(actual)} ${what}`);
  };
  return {
    isEqualTo: (expected: unknown) => check(deepEqual(actual, expected), `to equal ${show(expected)}`),
    isNotEqualTo: (expected: unknown) => check(!deepEqual(actual, expected), `not to equal ${show(expected)}`),
    isStrictlyEqualTo: (expected: unknown) => check(actual === expected, `to be ${show(expected)}`),
    isUndefined: () => check(actual === undefined, 'to be undefined'),
    isDefined: () => check(actual !== undefined, 'to be defined'),
    isNull: () => check(actual === null, 'to be null'),
    isNotNull: () => check(actual !== null, 'not to be null'),
    isTrue: () => check(actual === true, 'to be true'),
    isFalse: () => check(actual === false, 'to be false'),
    isTruthy: () => check(!!actual, 'to be truthy'),
    isFalsy: () => check(!actual, 'to be falsy'),
    isGreaterThan: (n: number) => check((actual as number) > n, `to be greater than ${n}`),
    isLessThan: (n: number) => check((actual as number) < n, `to be less than ${n}`),
    contains: (...items: unknown[]) =>
      check(
        items.every((item) =>
          typeof actual === 'string'
            ? actual.includes(item as string)
            : (actual as unknown[]).some((e) => deepEqual(e, item)),
        ),
        `to contain ${show(items)}`,
      ),
    doesNotContain: (...items: unknown[]) =>
      check(
        items.every((item) =>
          typeof actual === 'string'
            ? !actual.includes(item as string)
            : !(actual as unknown[]).some((e) => deepEqual(e, item)),
        ),
        `not to contain ${show(items)}`,
      ),
    isEmpty: () => check((actual as unknown[]).length === 0, 'to be empty'),
    isNotEmpty: () => check((actual as unknown[]).length > 0, 'not to be empty'),
  };
}

export interface Run {
  /** Runs the template's code with `data` (its gtmOnSuccess / gtmOnFailure added). */
  runCode(data: Record<string, unknown>): void;
  /** Calls made to each API (and to gtmOnSuccess / gtmOnFailure), by name. */
  calls: Map<string, unknown[][]>;
}

/**
 * The template's code run against `apis` (the runner's, for `grants`), with
 * `mocks` taking their place. Every call is recorded.
 */
export function templateRun(template: Template, apis: Record<string, unknown>, mocks: Map<string, unknown>): Run {
  const calls = new Map<string, unknown[][]>();
  const record = (name: string, args: unknown[]) => {
    const made = calls.get(name);
    if (made) made.push(args);
    else calls.set(name, [args]);
  };
  const wrap = (name: string, value: unknown) =>
    typeof value === 'function'
      ? (...args: unknown[]) => {
          record(name, args);
          return (value as (...a: unknown[]) => unknown)(...args);
        }
      : value;
  const require = (name: string) => {
    if (mocks.has(name)) return wrap(name, mocks.get(name));
    if (!(name in apis)) throw new Error(`require('${name}'): no such API in a ${template.context} template`);
    return wrap(name, apis[name]);
  };
  const runCode = (data: Record<string, unknown>) => {
    // Recorded for assertApi, then passed on to the caller's own, if any.
    const settle = (name: 'gtmOnSuccess' | 'gtmOnFailure') => () => {
      record(name, []);
      const own = data[name];
      if (typeof own === 'function') (own as () => void)();
    };
    runSandboxed(template.code, {
      require,
      data: { ...data, gtmOnSuccess: settle('gtmOnSuccess'), gtmOnFailure: settle('gtmOnFailure') },
    });
  };
  return { runCode, calls };
}

function assertApi(calls: Map<string, unknown[][]>) {
  return (name: string) => {
    const made = () => calls.get(name) ?? [];
    const fail = (what: string) => {
      throw new Error(`${name} ${what} (calls: ${JSON.stringify(made())})`);
    };
    return {
      wasCalled: () => made().length > 0 || fail('was not called'),
      wasNotCalled: () => made().length === 0 || fail('was called'),
      wasCalledWith: (...args: unknown[]) =>
        made().some((call) => deepEqual(call, args)) || fail(`was not called with ${JSON.stringify(args)}`),
      wasNotCalledWith: (...args: unknown[]) =>
        !made().some((call) => deepEqual(call, args)) || fail(`was called with ${JSON.stringify(args)}`),
    };
  };
}

/** Quiet environments for scenarios: nothing loads, nothing leaves. */
function defaultApis(template: Template, templateGrants: Grants): Record<string, unknown> {
  if (template.context === 'server') {
    const env: ServerEnvironment = { eventData: {}, cookies: {}, setCookies: [], logs: [] };
    return serverApis(env, templateGrants);
  }
  const env: WebEnvironment = {
    window: {},
    dataLayer: () => ({}),
    consent: { granted: () => true, listen: () => undefined },
    injectScript: () => undefined,
  };
  return webApis(env, templateGrants);
}

/** Runs one scenario; throws what its first failed assertion says. */
export function runScenario(template: Template, code: string): void {
  const mocks = new Map<string, unknown>();
  const apis = defaultApis(template, grants(template));
  const run = templateRun(template, apis, mocks);
  const mock = (name: string, value: unknown) =>
    void mocks.set(name, typeof value === 'function' ? value : () => value);
  const mockObject = (name: string, value: unknown) => void mocks.set(name, value);
  const testRequire = (name: string) => (name in apis ? apis[name] : commonApis()[name]);
  runSandboxed(`${template.setup}\n${code}`, {
    require: testRequire,
    data: {},
    mock,
    mockObject,
    assertApi: assertApi(run.calls),
    assertThat,
    runCode: (data: Record<string, unknown>) => run.runCode(data),
    fail: (message: string) => {
      throw new Error(message);
    },
  });
}
