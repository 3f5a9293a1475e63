/**
 * Value formats of `docs/contract.md`, one zod schema per kind of field and per
 * transport: GET values arrive as text and are decoded to the record's types
 * (numbers, booleans); POST values arrive as JSON and keep their shape.
 */
import { z } from 'zod';
import { TIMESTAMP_BOUNDS, fieldSpec, isFieldName, type FieldKind } from '../core/fields.js';
import { isAbsoluteUrl } from '../core/pii/page-url.js';

/** The checks the receiver makes of a value on the wire, per kind of field. */
export type WireCheck = 'ts' | 'hex' | 'digits' | 'hash' | 'boolean' | 'url' | 'quantity' | 'price' | 'text';

/** Each kind of field of the table (`core/fields.ts`) is checked so on the wire. */
const CHECK_OF_KIND: Record<FieldKind, WireCheck> = {
  timestamp: 'ts',
  visitor_id: 'hex',
  session_id: 'digits',
  id: 'text',
  text: 'text',
  url: 'url',
  hash: 'hash',
  boolean: 'boolean',
  quantity: 'quantity',
  price: 'price',
  platform: 'text',
};

/** The check of a long field name; a name the table does not know is free text. */
export function fieldKind(longName: string): WireCheck {
  return isFieldName(longName) ? CHECK_OF_KIND[fieldSpec(longName).kind] : 'text';
}

const MESSAGE = {
  ts: 'expected integer milliseconds since the epoch (13 digits; seconds are 10)',
  hex: 'expected 45 lowercase hex characters (the visitor id)',
  digits: 'expected 1 to 16 digits (the session start in milliseconds)',
  hash: 'expected 64 lowercase hex characters (a SHA-256)',
  emptyHash: 'is the SHA-256 of an empty string: an empty value must be dropped, not hashed',
  boolean: 'expected true or false',
  url: 'expected an absolute URL',
  doubleEncoded: 'expected an absolute URL; this one looks percent-encoded twice',
  postUrl: 'expected an absolute URL, percent-encoded as in the vendor example (https%3A%2F%2F…)',
  quantity: 'expected a positive integer',
  getPrice: 'expected a decimal with exactly two places (10.00)',
  postPrice: 'expected a non-negative number',
  text: 'expected a non-empty value',
  placeholder: 'is a placeholder ("undefined", "null", "NaN"): an absent field must be omitted',
  string: 'expected a string',
  number: 'expected a number',
} as const;

// The SHA-256 of '' is what a pipeline that hashes a missing value produces; docs/contract.md forbids it.
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// A stringified absent value: the commonest bug of hand-built query strings.
const PLACEHOLDERS = new Set(['undefined', 'null', 'NaN']);
// Digits only (no sign, exponent or decimals); their range is TIMESTAMP_BOUNDS, the SDK's own.
const TS_TEXT = /^[1-9]\d{0,15}$/;
// The ids' shapes of docs/contract.md, the ones the SDK makes, adopts and sends (its own rule: core/ids.ts).
const HEX = /^[0-9a-f]{45}$/;
const DIGITS = /^\d{1,16}$/;
const HASH = /^[0-9a-f]{64}$/;
const QUANTITY = /^[1-9]\d*$/;
const PRICE = /^\d+\.\d{2}$/;
// What encodeURIComponent can output: a raw `:` or `/` means the URL was not encoded.
const PERCENT_ENCODED = /^[A-Za-z0-9\-_.!~*'()%]+$/;

function decodedUrl(value: string): string | undefined {
  if (!PERCENT_ENCODED.test(value)) return undefined;
  try {
    const decoded = decodeURIComponent(value);
    return isAbsoluteUrl(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** The page URL for display: POST carries it percent-encoded, GET already decoded once. */
export function displayUrl(value: string): string {
  return isAbsoluteUrl(value) ? value : (decodedUrl(value) ?? value);
}

function hash(base: z.ZodString): z.ZodType<string, string> {
  return base.regex(HASH, MESSAGE.hash).refine((value) => value !== EMPTY_SHA256, MESSAGE.emptyHash);
}

function text(base: z.ZodString): z.ZodType<string, string> {
  return base.min(1, MESSAGE.text).refine((value) => !PLACEHOLDERS.has(value), MESSAGE.placeholder);
}

/** The checks GET and POST share: strings of a fixed shape. */
function shaped(kind: 'hex' | 'digits' | 'hash', s: z.ZodString): z.ZodType<string, string> {
  if (kind === 'hash') return hash(s);
  return kind === 'hex' ? s.regex(HEX, MESSAGE.hex) : s.regex(DIGITS, MESSAGE.digits);
}

/** A GET (query string) value: text in, the record's type out. */
export function getValue(kind: WireCheck): z.ZodType<unknown, string> {
  const s = z.string();
  switch (kind) {
    case 'ts':
      return s
        .regex(TS_TEXT, MESSAGE.ts)
        .refine((text) => Number(text) >= TIMESTAMP_BOUNDS.min && Number(text) <= TIMESTAMP_BOUNDS.max, MESSAGE.ts)
        .transform(Number);
    case 'hex':
    case 'digits':
    case 'hash':
      return shaped(kind, s);
    case 'boolean':
      return z.enum(['true', 'false'], MESSAGE.boolean).transform((value) => value === 'true');
    case 'url':
      return s.superRefine((value, ctx) => {
        if (isAbsoluteUrl(value)) return;
        ctx.addIssue({
          code: 'custom',
          message: decodedUrl(value) === undefined ? MESSAGE.url : MESSAGE.doubleEncoded,
        });
      });
    case 'quantity':
      return s.regex(QUANTITY, MESSAGE.quantity).transform(Number);
    case 'price':
      return s.regex(PRICE, MESSAGE.getPrice).transform(Number);
    case 'text':
      return text(s);
  }
}

/** A POST (JSON) value: checked, kept as sent. */
export function postValue(kind: WireCheck): z.ZodType {
  const s = z.string({ error: MESSAGE.string });
  const n = z.number({ error: MESSAGE.number });
  switch (kind) {
    case 'ts':
      return n.int(MESSAGE.ts).min(TIMESTAMP_BOUNDS.min, MESSAGE.ts).max(TIMESTAMP_BOUNDS.max, MESSAGE.ts);
    case 'hex':
    case 'digits':
    case 'hash':
      return shaped(kind, s);
    case 'boolean':
      return z.boolean({ error: MESSAGE.boolean });
    case 'url':
      return s.refine((value) => decodedUrl(value) !== undefined, MESSAGE.postUrl);
    case 'quantity':
      return n.int(MESSAGE.quantity).positive(MESSAGE.quantity);
    case 'price':
      return n.nonnegative(MESSAGE.postPrice);
    case 'text':
      return text(s);
  }
}
