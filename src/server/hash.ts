/**
 * SHA-256 on the server: `node:crypto`'s one-shot `hash()` (Node 20.12 and
 * later) where present, else `createHash`: for short PII strings the one-shot
 * form does less work per call (`npm run bench:server` prints the comparison).
 */
import * as crypto from 'node:crypto';
import type { Sha256Hex } from '../core/pii/hash.js';

// Typed as always there, but Node 20.0 to 20.11 lack it.
const oneShot = (crypto as { hash?: typeof crypto.hash }).hash;

export const sha256Hex: Sha256Hex = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
