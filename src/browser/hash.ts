/**
 * SHA-256 in the browser: js-sha256's synchronous core, so an event can still
 * be built inside `pagehide` (Web Crypto's `digest` is asynchronous).
 *
 * The text goes in as UTF-8 bytes from `TextEncoder`: js-sha256 encodes
 * strings itself, but turns a lone surrogate (hostile or broken input) into
 * different bytes than the server's `node:crypto` does, so the same value
 * would hash differently in the browser and on the server. TextEncoder writes
 * U+FFFD there, as Node does; it is also the faster path in V8.
 */
import { sha256 } from 'js-sha256';
import type { Sha256Hex } from '../core/pii/index.js';

let encoder: TextEncoder | undefined;

export const sha256Hex: Sha256Hex = (text) => sha256((encoder ??= new TextEncoder()).encode(text));
