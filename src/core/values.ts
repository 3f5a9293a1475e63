/**
 * The value rules of each kind of field (`fields.ts`): what the SDK accepts
 * from a caller and the wire value it makes of it, and how a GET query writes it.
 * Validation and the GET encoder read these; the local receiver checks the
 * wire with zod schemas per kind of its own (a checker must not share the
 * code it checks).
 */
import { TIMESTAMP_BOUNDS, type FieldKind } from './fields.js';
import { isSessionId, isVisitorId } from './ids.js';
import type { WireValues } from './model.js';
import { isAbsoluteUrl } from './pii/page-url.js';

/** Longest free text or id taken: generous for any real id or name, small enough for a GET URL. */
export const MAX_TEXT_LENGTH = 2048;
/** Longest platform name. */
const MAX_PLATFORM_LENGTH = 64;
/**
 * Largest price: beyond it, two decimals are no longer exact in a double, and
 * `toFixed` writes exponents (`1e+21`), which the API refuses.
 */
export const MAX_PRICE = Number.MAX_SAFE_INTEGER / 100;

export interface ValueRule<K extends FieldKind> {
  /** The wire value of a caller's value (strings already trimmed), or `undefined` when it breaks the rule. */
  accept(value: unknown): WireValues[K] | undefined;
  /** What the rule expects, for error messages: "must be <expected>". */
  expected: string;
}

const text = (max: number) => (value: unknown) =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const asText = text(MAX_TEXT_LENGTH);

const TEXT: ValueRule<'text'> = {
  accept: asText,
  expected: `a string of 1 to ${MAX_TEXT_LENGTH} characters`,
};

/** Ids travel as strings: `170830` and `'170830'` are one product. */
const ID: ValueRule<'id'> = {
  accept: (value) => (isCount(value) ? String(value) : asText(value)),
  expected: 'a non-empty string or an integer >= 0',
};

function isPageUrl(text: string): boolean {
  if (isAbsoluteUrl(text)) return true;
  try {
    return isAbsoluteUrl(decodeURIComponent(text));
  } catch {
    return false;
  }
}

export const VALUE_RULES: { readonly [K in FieldKind]: ValueRule<K> } = {
  timestamp: {
    accept: (value) => {
      // A Date from another realm (an iframe) fails `instanceof`; its internal tag does not.
      const ms = Object.prototype.toString.call(value) === '[object Date]' ? (value as Date).getTime() : value;
      const inBounds = Number.isSafeInteger(ms) && (ms as number) >= TIMESTAMP_BOUNDS.min;
      return inBounds && (ms as number) <= TIMESTAMP_BOUNDS.max ? (ms as number) : undefined;
    },
    expected: 'epoch milliseconds of 13 digits (an integer) or a Date',
  },
  visitor_id: {
    accept: (value) => (isVisitorId(value) ? value : undefined),
    expected: '45 lowercase hex characters, as in the _sym_vid cookie',
  },
  session_id: {
    accept: (value) => {
      const id = isCount(value) ? String(value) : value;
      return isSessionId(id) ? id : undefined;
    },
    expected: "the session's start in ms, as in the _sym_sid cookie",
  },
  id: ID,
  text: TEXT,
  url: {
    // The API refuses a page URL that is not absolute (`/cart`, `not a url`); one already percent-encoded
    // (`https%3A%2F%2F…`, as the vendor's POST example writes it) is taken as it is.
    accept: (value) => (asText(value) !== undefined && isPageUrl(value as string) ? (value as string) : undefined),
    expected: `an absolute URL of 1 to ${MAX_TEXT_LENGTH} characters`,
  },
  hash: {
    accept: (value) => (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : undefined),
    expected: '64 lowercase hex characters',
  },
  boolean: {
    accept: (value) => (typeof value === 'boolean' ? value : undefined),
    expected: 'true or false',
  },
  quantity: {
    accept: (value) => (isCount(value) && value > 0 ? value : undefined),
    expected: 'a positive integer',
  },
  price: {
    accept: (value) =>
      typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_PRICE ? value : undefined,
    expected: `a number from 0 to ${MAX_PRICE}`,
  },
  platform: {
    accept: text(MAX_PLATFORM_LENGTH),
    expected: `a string of 1 to ${MAX_PLATFORM_LENGTH} characters`,
  },
};

/** Checks a caller's value against its field's kind; strings are trimmed first (`' 170830 '` is `'170830'`). */
export function acceptValue<K extends FieldKind>(kind: K, value: unknown): WireValues[K] | undefined {
  const rule: ValueRule<K> = VALUE_RULES[kind];
  return rule.accept(typeof value === 'string' ? value.trim() : value);
}

/**
 * A wire value as a GET query writes it: prices with exactly two decimals
 * (`10.00`), as the vendor's examples write them; anything else as its text.
 */
export function queryText(kind: FieldKind, value: unknown): string {
  return kind === 'price' ? (value as number).toFixed(2) : String(value);
}
