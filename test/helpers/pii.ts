/**
 * The PII module as the SDK runs it, with a SHA-256 bound in: the server's
 * (`node:crypto`), since these tests run in Node. The browser's hash is
 * checked against it separately (test/pii/sha256.test.ts).
 */
import { hashPerson as hashPersonWith, type HashPersonOptions, type HashedPerson } from '../../src/core/pii/index.js';
import type { Person } from '../../src/core/model.js';
import { sha256Hex } from '../../src/server/hash.js';

export { sha256Hex };

export function hashPerson(person: Person, options: Omit<HashPersonOptions, 'sha256'>): HashedPerson {
  return hashPersonWith(person, { ...options, sha256: sha256Hex });
}
