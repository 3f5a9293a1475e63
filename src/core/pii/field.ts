import { EMPTY_HASH, isHashed, type Sha256Hex } from './hash.js';

/**
 * The pipeline every PII field shares (docs/normalization.md, "Pipeline"): text,
 * NFC, trim; pass a pre-hashed value through; apply the field's rule; hash.
 * A field's rule only sees clean text and says why it refuses, so the error
 * can name the problem without ever quoting the value.
 */

/** What a field rule makes of a value: its normalized text, or why it is invalid. */
export type Normalized = { ok: true; value: string } | { ok: false; reason: string };

/** What a field becomes: a 64-lowercase-hex hash, or why it was dropped. */
export type FieldHash = { ok: true; hash: string } | { ok: false; reason: string };

/** A field rule: clean text (NFC, trimmed, not empty, not a hash) in, normalized text or a reason out. */
export type FieldRule = (text: string) => Normalized;

export const accept = (value: string): Normalized => ({ ok: true, value });
/** `reason` follows the field's name in the message: "is not an email address". */
export const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * Step 1: a string (or a finite number: zip codes and phones arrive as
 * numbers) as NFC text without surrounding white space. Anything else gives
 * `undefined`: `String({})` would be "[object Object]", which is no name.
 */
export function prepareText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  return value.normalize('NFC').trim();
}

/** Step 2: a pre-hashed value, lowercased; the empty string's hash counts as empty. */
function lowercaseHash(text: string): FieldHash {
  const hash = text.toLowerCase();
  return hash === EMPTY_HASH ? refuse('is the hash of an empty value') : { ok: true, hash };
}

/**
 * Longer than any real email (254), name, address part, phone or date: such
 * a value is refused before any rule, or any regular expression, reads it.
 */
export const MAX_PII_LENGTH = 256;

/** The whole pipeline for one text field, hashing with `sha256`. */
export function hashText(value: unknown, rule: FieldRule, sha256: Sha256Hex): FieldHash {
  if (typeof value === 'string') {
    if (value.length > MAX_PII_LENGTH) return refuse(`is longer than ${MAX_PII_LENGTH} characters`);
    // Already a hash, as servers mostly pass PII: 64 hex characters are NFC and trimmed as they are,
    // so step 1 would give the same text back.
    if (isHashed(value)) return lowercaseHash(value);
  }
  const text = prepareText(value);
  if (text === undefined) return refuse('must be a string');
  if (text === '') return refuse('is empty');
  if (isHashed(text)) return lowercaseHash(text);
  const normalized = rule(text);
  if (!normalized.ok) return normalized;
  if (normalized.value === '') return refuse('is empty after normalization');
  return { ok: true, hash: sha256(normalized.value) };
}
