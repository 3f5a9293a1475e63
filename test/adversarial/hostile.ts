/**
 * Hostile inputs for `track`, `identify` and `toRecords`, as fast-check
 * arbitraries: objects whose getters throw, Proxies whose every trap throws,
 * revoked Proxies, keys from Object.prototype (`__proto__` as an own key, as
 * JSON.parse makes it), values no field takes (NaN, Infinity, 1e21, symbols,
 * bigints, invalid Dates, 70,000 characters), and 10,000 items. Whatever
 * throws, throws `SECRET`: it must never come back in an error, a `cause` or
 * a request.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { isSymbiosysError, type SymbiosysError } from '../../src/core/errors.js';
import { FIELD_LIST } from '../../src/core/fields.js';

export const SECRET = 'secret-jane.doe@example.com';

/** Throws the secret: a caller's exception, whose text must never come back. */
export const boom = (): never => {
  throw new Error(SECRET);
};

/** A Proxy whose every trap throws (over an object or an array). */
function trapped(target: object): object {
  return new Proxy(target, {
    get: boom,
    has: boom,
    ownKeys: boom,
    getOwnPropertyDescriptor: boom,
    getPrototypeOf: boom,
  });
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An object whose own keys are set as data properties or as getters that throw; `__proto__` stays an own key. */
function objectOf(entries: ReadonlyArray<readonly [string, unknown, boolean]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value, throws] of entries) {
    Object.defineProperty(object, key, {
      enumerable: true,
      configurable: true,
      ...(throws ? { get: boom } : { value, writable: true }),
    });
  }
  return object;
}

const TEN_THOUSAND_ITEMS = Array.from({ length: 10_000 }, (_, n) => ({ product_id: `p${n}`, quantity: 1 }));

/** Values no field takes, and values a field takes. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e21, -1, 2 ** 53, Number.MAX_VALUE, 0.1 + 0.2),
  fc.constantFrom(10n, Symbol('s'), () => 1, null, undefined, true),
  fc.constantFrom('x'.repeat(70_000), '', ' ', '~', '170830', 'jane@example.com', '+1 650 555 1212'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);

const SPECIALS = {
  'trapped object': () => trapped({}),
  'trapped array': () => trapped([]),
  revoked,
  'primitive traps': () => ({ toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom }),
  'no prototype': () => Object.create(null) as unknown,
  'invalid Date': () => new Date(Number.NaN),
  Date: () => new Date(0),
  '10,000 items': () => TEN_THOUSAND_ITEMS,
};

/**
 * What to build, as plain data: fast-check looks into the values it makes
 * (and prints them), which a hostile value would not survive.
 */
export type Hostile =
  | { leaf: unknown }
  | { special: keyof typeof SPECIALS }
  | { object: Array<[key: string, value: Hostile, throws: boolean]> }
  | { array: Hostile[] };

const keys = fc.constantFrom(
  ...FIELD_LIST.map((spec) => spec.name),
  ...['items', 'customer', 'user', 'email', 'phone', 'date_of_birth', 'country', 'crm_id'],
  ...['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'then', 'toJSON'],
);

/** Any value a hostile or careless caller may pass, nested a few levels deep. */
export const hostile: fc.Arbitrary<Hostile> = fc.letrec<{ value: Hostile }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf.map((value) => ({ leaf: value })),
    fc.constantFrom(...(Object.keys(SPECIALS) as Array<keyof typeof SPECIALS>)).map((special) => ({ special })),
    fc.array(fc.tuple(keys, tie('value'), fc.boolean()), { maxLength: 6 }).map((object) => ({ object })),
    fc.array(tie('value'), { maxLength: 4 }).map((array) => ({ array })),
  ),
})).value;

/** An event's input: mostly an object of fields, each value hostile or not, each read maybe throwing. */
export const hostileInput: fc.Arbitrary<Hostile> = fc.oneof(
  fc.array(fc.tuple(keys, hostile, fc.boolean()), { maxLength: 10 }).map((object) => ({ object })),
  hostile,
);

/** The value a description stands for, made anew. */
export function build(spec: Hostile): unknown {
  if ('leaf' in spec) return spec.leaf;
  if ('special' in spec) return SPECIALS[spec.special]();
  if ('array' in spec) return spec.array.map(build);
  return objectOf(spec.object.map(([key, value, throws]) => [key, build(value), throws] as const));
}

/** Everything an error shows: its text, its field, and its cause's text, recursively. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const field = (error as { field?: unknown }).field;
  return `${error.name} ${error.message} ${typeof field === 'string' ? field : ''} ${error.cause === undefined ? '' : errorText(error.cause)}`;
}

/** Each error is the SDK's own, not the catch-all, and shows nothing of the secret. */
export function expectNoSecret(errors: readonly unknown[]): void {
  for (const error of errors) {
    expect(isSymbiosysError(error)).toBe(true);
    expect((error as SymbiosysError).code).not.toBe('unsupported_environment');
    expect(errorText(error)).not.toContain(SECRET);
  }
}
