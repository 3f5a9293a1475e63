/**
 * SHA-256 in the browser: js-sha256's synchronous core, so an event can still
 * be built inside `pagehide` (Web Crypto's `digest` is asynchronous).
 *
 * js-sha256 encodes a string to UTF-8 itself, fast, but turns a lone
 * surrogate (broken or hostile input) into other bytes than the server's
 * `node:crypto` does, so the same value would hash differently in the browser
 * and on the server. Text with any surrogate therefore goes in as
 * `TextEncoder` bytes, which write U+FFFD there as Node does. Only there:
 * in Chromium, `TextEncoder` costs about four times the hash of a short
 * string (`npm run bench:hash`).
 */
import { sha256 } from 'js-sha256';
import type { Sha256Hex } from '../core/pii/hash.js';

const SURROGATE = /[\uD800-\uDFFF]/;
let encoder: TextEncoder | undefined;

export const sha256Hex: Sha256Hex = (text) =>
  sha256(SURROGATE.test(text) ? (encoder ??= new TextEncoder()).encode(text) : text);
