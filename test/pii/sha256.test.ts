import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/pii/sha256.js';

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    // FIPS 180-2 two-block message.
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('NIST vector %j', (input, digest) => {
    expect(sha256(input)).toBe(digest);
  });

  it('equals Node crypto at every padding boundary', () => {
    for (let length = 0; length <= 200; length++)
      expect(sha256('x'.repeat(length))).toBe(reference('x'.repeat(length)));
  });

  it('equals Node crypto on random Unicode (UTF-8 bytes, astral planes included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => sha256(text) === reference(text)),
      { numRuns: 3000 },
    );
  });
});
