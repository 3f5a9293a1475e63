/**
 * SHA-256 with js-sha256's synchronous core, for the browser and the app
 * (React Native: no `node:crypto`, no `crypto.subtle`, no `TextEncoder` on
 * every engine). Synchronous, so an event can still be built inside
 * `pagehide` (Web Crypto's `digest` is asynchronous).
 *
 * js-sha256 encodes a string to UTF-8 itself, but turns a lone surrogate
 * (broken or hostile input) into other bytes than the server's `node:crypto`,
 * which writes U+FFFD for it, so the same value would hash differently in the
 * browser and on the server. Text with a lone surrogate therefore has it
 * replaced by U+FFFD first; well-formed text hashes as it is.
 */
import { sha256 } from 'js-sha256';
import type { Sha256Hex } from '../core/pii/hash.js';

/** A surrogate pair (kept), or a lone surrogate (replaced). */
const SURROGATES = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

const wellFormed = (text: string): string =>
  ANY_SURROGATE.test(text) ? text.replace(SURROGATES, (match) => (match.length === 2 ? match : '\uFFFD')) : text;

export const sha256Hex: Sha256Hex = (text) => sha256(wellFormed(text));
