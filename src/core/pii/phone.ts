import { splitCallingCode } from './calling-codes.js';
import { refuse } from './field.js';

/**
 * A phone number reduced to digits: with its calling code when one is known
 * (`international`), else the national digits alone.
 */
export type ParsedPhone = { ok: true; digits: string; international: boolean } | { ok: false; reason: string };

// Digits and the separators people type between them; letters (`ext. 12`,
// vanity numbers) make the number unreadable, so it is refused, not guessed.
const READABLE = /^[\d\s\-.()/]*$/u;
const TRUNK_ZERO = /\(\s*0\s*\)/;

/**
 * Parses a phone number (clean text: NFC, trimmed) per docs/normalization.md:
 * - `+` or `00` first: the calling code is written in it; a trunk zero in
 *   parentheses after it (`+44 (0)20 …`) is dropped;
 * - else national format: leading zeros (the trunk prefix) go and
 *   `callingCode` (the person's country, else the default country) goes in
 *   front; for code 1 an 11-digit number already starting with 1 keeps it;
 * - with a calling code, 8 to 15 digits in all; without one, 7 to 15.
 */
export function parsePhone(text: string, callingCode?: string): ParsedPhone {
  const plus = text.startsWith('+');
  const body = plus ? text.slice(1) : text;
  if (!READABLE.test(body)) return refuse('has characters besides digits and separators');
  const written = body.replace(/\D/g, '');
  if (written === '') return refuse('has no digits');

  if (plus || written.startsWith('00')) {
    const digits = body
      .replace(TRUNK_ZERO, '')
      .replace(/\D/g, '')
      .slice(plus ? 0 : 2);
    if (!splitCallingCode(digits)) return refuse('starts with no known calling code');
    return withCallingCode(digits);
  }

  const national = written.replace(/^0+/, '');
  if (callingCode === undefined) {
    return national.length >= 7 && national.length <= 15
      ? { ok: true, digits: national, international: false }
      : refuse('must have 7 to 15 digits');
  }
  const alreadyPrefixed = callingCode === '1' && national.length === 11 && national.startsWith('1');
  return withCallingCode(alreadyPrefixed ? national : callingCode + national);
}

function withCallingCode(digits: string): ParsedPhone {
  return digits.length >= 8 && digits.length <= 15
    ? { ok: true, digits, international: true }
    : refuse('must have 8 to 15 digits with its calling code');
}
