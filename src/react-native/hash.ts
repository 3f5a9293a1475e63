/**
 * SHA-256 in the app: js-sha256, which runs on Hermes as it is (no
 * `node:crypto`, no `crypto.subtle`, no `TextEncoder`). js-sha256 encodes a
 * lone surrogate (broken input) into other bytes than Node and the browser
 * entry do (they write U+FFFD), so the same value would hash differently
 * here: a lone surrogate is replaced by U+FFFD first, and a well-formed
 * string hashes as it is.
 */
import { sha256 } from 'js-sha256';
import type { Sha256Hex } from '../core/pii/index.js';

/** A surrogate pair (kept), or a lone surrogate (replaced). */
const SURROGATES = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

const wellFormed = (text: string): string =>
  ANY_SURROGATE.test(text) ? text.replace(SURROGATES, (match) => (match.length === 2 ? match : '\uFFFD')) : text;

export const sha256Hex: Sha256Hex = (text) => sha256(wellFormed(text));
