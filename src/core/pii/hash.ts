/**
 * SHA-256 of the UTF-8 bytes of a string, as 64 lowercase hex characters.
 * Each entry brings its own (js-sha256 in the browser, `node:crypto` on the
 * server): the PII rules here stay free of any platform.
 */
export type Sha256Hex = (text: string) => string;

// The length is checked apart, before the pattern: a long value never reaches the regular expression.
const HEX = /^[0-9a-f]+$/i;

/** True for a value that is already a SHA-256 hex digest (64 hex characters, any case). */
export function isHashed(value: string): boolean {
  return value.length === 64 && HEX.test(value);
}

/**
 * The hash of the empty string. A "pre-hashed" value equal to it carries no
 * information and must never reach the wire, so it is treated as empty.
 */
export const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
