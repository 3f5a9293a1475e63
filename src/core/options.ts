/**
 * The one rule for a client's options, the browser's (`init`, `new
 * SymbiosysClient`, the tag) and the server's alike:
 *
 * - Every option is checked when the client is made, against its row of the
 *   client's table (`OptionRules`: one row per option, so adding an option is
 *   one line, and the compiler asks for it).
 * - An option of the wrong type or value is a programming mistake: the
 *   constructor throws a `SymbiosysError` (`invalid_option`) whose message
 *   names the option, what it got (its value, or only its type where the
 *   value may be secret: never the API key) and what it takes:
 *   `region must be 'us' or 'eu', got 'EU'`. Only the spelling the types
 *   give is taken: `'EU'` is refused rather than guessed, so a mistake
 *   surfaces where it is typed and no value has two spellings.
 * - A key no option has (a typo: `endpiont`) is not a mistake the SDK can
 *   be sure of (a newer option, a wrapper's own key): it is ignored and
 *   reported once through `onError`, never thrown.
 * - Options are read from the caller's own properties only, into an object
 *   that inherits nothing: a polluted `Object.prototype.endpoint` is never
 *   an endpoint.
 * - `undefined` is the option left out (`endpoint: process.env.X`).
 */
import { SymbiosysError } from './errors.js';
import { callingCodeOf } from './pii/calling-codes.js';
import { isObject } from './plain-input.js';

/** One option's rule. */
export interface OptionRule {
  /** What the option takes, as the message says it: `'us' or 'eu'`. */
  readonly takes: string;
  /** True when a value keeps the rule. */
  readonly test: (value: unknown) => boolean;
  /** Messages say only the value's type, never the value (an API key, an id). */
  readonly secret?: boolean;
  /** The client cannot exist without it. */
  readonly required?: boolean;
  /** An object of options of its own (`batch`, `retry`), each by its rule, named `batch.maxCount`. */
  readonly fields?: Readonly<Record<string, OptionRule>>;
}

/** A client's table: one rule for each of its options. */
export type OptionRules<T> = { readonly [K in keyof T]-?: OptionRule };

/** One of a few words; the type parameter keeps the list within the option's type (`oneOf<Region>(…)`). */
export const oneOf = <T extends string>(...values: readonly T[]): OptionRule & { readonly values: readonly T[] } => ({
  values,
  takes: values
    .map((value) => `'${value}'`)
    .join(values.length > 2 ? ', ' : ' or ')
    .replace(/, ([^,]*)$/, ', or $1'),
  test: (value) => (values as readonly unknown[]).includes(value),
});

export const flag: OptionRule = { takes: 'true or false', test: (value) => typeof value === 'boolean' };

export const handler: OptionRule = { takes: 'a function', test: (value) => typeof value === 'function' };

export const text: OptionRule = {
  takes: 'a non-empty string',
  test: (value) => typeof value === 'string' && value.trim() !== '',
};

/** A whole number of at least `min` (counts, sizes, milliseconds). */
export const integer = (min: number): OptionRule => ({
  takes: `an integer >= ${min}`,
  test: (value) => Number.isSafeInteger(value) && (value as number) >= min,
});

/** A finite number of at least `min`. */
export const atLeast = (min: number): OptionRule => ({
  takes: `a number >= ${min}`,
  test: (value) => typeof value === 'number' && Number.isFinite(value) && value >= min,
});

/** An object of options of its own, each checked by `fields`. */
export const group = (fields: Readonly<Record<string, OptionRule>>): OptionRule => ({
  takes: 'an object',
  test: isObject,
  fields,
});

/** An absolute http(s) URL, the base paths are joined to: no query, no fragment. */
export const baseUrlRule: OptionRule = {
  takes: "an absolute http(s) URL without query or fragment, like 'https://collect.shop.example'",
  test: (value) => {
    if (typeof value !== 'string') return false;
    try {
      const url = new URL(value);
      // `new URL` also takes 'collector.example.com:8080' (scheme 'collector.example.com:'): the scheme decides.
      return /^https?:\/\//i.test(value) && url.search === '' && url.hash === '' && !value.includes('#');
    } catch {
      return false;
    }
  },
};

/** A country whose calling code the SDK knows, for national-format phone numbers. */
export const countryRule: OptionRule = {
  takes: "an ISO 3166 alpha-2 country code, like 'DE'",
  test: (value) => typeof value === 'string' && /^[a-z]{2}$/i.test(value) && callingCodeOf(value) !== undefined,
};

/** Longest value quoted in a message. */
const QUOTED_LENGTH = 64;

/** What a message says a value was: the value itself where it may be shown, else its type. */
function described(value: unknown, secret: boolean): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      if (value.trim() === '') return 'an empty string';
      if (secret) return 'a string';
      const shown = value.length > QUOTED_LENGTH ? `${value.slice(0, QUOTED_LENGTH)}…` : value;
      return `'${JSON.stringify(shown).slice(1, -1)}'`;
    }
    case 'number':
    case 'boolean':
      return secret ? `a ${typeof value}` : String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** The error a constructor throws for an option that breaks its rule. */
export function optionError(path: string, rule: OptionRule, value: unknown): SymbiosysError {
  return new SymbiosysError(
    'invalid_option',
    `${path} must be ${rule.takes}, got ${described(value, rule.secret === true)}`,
    {
      field: path,
    },
  );
}

export interface CheckedOptions<T> {
  /** The caller's own options that keep their rules, in an object that inherits nothing. */
  options: T;
  /** One `invalid_option` warning per key no option has: for `onError`, never thrown. */
  warnings: SymbiosysError[];
}

/** A value as the client keeps it: lists and objects copied from their own entries, inheriting nothing. */
function kept(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice();
  if (!isObject(value)) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) copy[key] = readOwn(value, key, key);
  return copy;
}

/** One own property: a getter that throws is the option's mistake, named, not a crash of ours. */
function readOwn(given: Record<string, unknown>, key: string, path: string): unknown {
  try {
    return given[key];
  } catch (cause) {
    throw new SymbiosysError('invalid_option', `${path} could not be read (its getter threw)`, { field: path, cause });
  }
}

function checkGroup(
  given: Record<string, unknown>,
  rules: Readonly<Record<string, OptionRule>>,
  prefix: string,
  owner: string,
  warnings: SymbiosysError[],
): Record<string, unknown> {
  const options = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    const path = prefix + key;
    const rule = Object.prototype.hasOwnProperty.call(rules, key) ? rules[key] : undefined;
    if (!rule) {
      const message = `${path} is not an option of ${owner}: ignored`;
      warnings.push(new SymbiosysError('invalid_option', message, { field: path }));
      continue;
    }
    const value = readOwn(given, key, path);
    if (value === undefined) continue;
    if (!rule.test(value)) throw optionError(path, rule, value);
    options[key] = rule.fields
      ? checkGroup(value as Record<string, unknown>, rule.fields, `${path}.`, owner, warnings)
      : kept(value);
  }
  for (const key of Object.keys(rules)) {
    if (rules[key]?.required && options[key] === undefined) throw optionError(prefix + key, rules[key], undefined);
  }
  return options;
}

/**
 * Checks a client's options against its table: throws an `invalid_option`
 * error for the first option that breaks its rule, and returns the options
 * with the warnings for keys no option has. `owner` names the client in the
 * warnings (`SymbiosysClient`).
 */
export function checkOptions<T>(given: unknown, rules: OptionRules<T>, owner: string): CheckedOptions<T> {
  const warnings: SymbiosysError[] = [];
  // Called from plain JavaScript too: no options at all is the same mistake as a missing key.
  const own = isObject(given) ? given : {};
  const options = checkGroup(own, rules, '', owner, warnings);
  return { options: options as T, warnings };
}
