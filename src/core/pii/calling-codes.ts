/**
 * Calling codes: a country's, and the code an international number starts
 * with. The table itself is `calling-code-table.ts` (the build ships it
 * packed: build/pack-tables.ts).
 */
import { CALLING_CODES } from './calling-code-table.js';

export { CALLING_CODES };

/** Every calling code of the table. They are prefix-free: no code starts another. */
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(CALLING_CODES));

/** The calling code (digits, no `+`) of an ISO 3166 alpha-2 country, any case; `undefined` if unknown. */
export function callingCodeOf(country: string): string | undefined {
  const code = country.toUpperCase();
  return Object.prototype.hasOwnProperty.call(CALLING_CODES, code) ? CALLING_CODES[code] : undefined;
}

/** Every country code the table knows, upper case. */
export function knownCountries(): string[] {
  return Object.keys(CALLING_CODES);
}

/** Every calling code the table knows. */
export function callingCodes(): ReadonlySet<string> {
  return KNOWN_CODES;
}

/**
 * Splits an international number's digits (after `+` or `00`) into calling
 * code and national number. Codes are 1 to 3 digits and prefix-free, so at
 * most one prefix length matches.
 */
export function splitCallingCode(digits: string): { callingCode: string; national: string } | undefined {
  for (let length = 1; length <= 3 && length <= digits.length; length++) {
    const code = digits.slice(0, length);
    if (KNOWN_CODES.has(code)) return { callingCode: code, national: digits.slice(length) };
  }
  return undefined;
}
