/**
 * Both SHA-256s the SDK hashes PII with give the same digests: the browser's
 * (js-sha256's pure-JavaScript core, bundled as a storefront's bundler does,
 * for the browser) and the server's (`node:crypto`). Checked against NIST
 * vectors and against `createHash` on random Unicode, lone surrogates
 * included, so a person hashes the same in the browser and on the server.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sha256Hex } from '../../src/core/pii/index.js';
import { sha256Hex as serverSha256 } from '../../src/server/hash.js';

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * src/browser/hash.ts as a browser or app bundle has it (the app's build uses it too): esbuild
 * resolves js-sha256 by its `import` (not `node`) condition.
 */
async function browserSha256(
  source = '../../src/browser/hash.ts',
): Promise<{ sha256Hex: Sha256Hex; inputs: string[] }> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(source, import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
  });
  const code = result.outputFiles[0]!.text;
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
    sha256Hex: Sha256Hex;
  };
  return { sha256Hex: module.sha256Hex, inputs: Object.keys(result.metafile.inputs) };
}

let browser: Awaited<ReturnType<typeof browserSha256>>;
beforeAll(async () => {
  browser = await browserSha256();
});

describe('the browser build hashes with js-sha256, not with Node', () => {
  it('bundles js-sha256 core and nothing of node:crypto', () => {
    expect(browser.inputs.some((input) => input.includes('js-sha256/src/core.mjs'))).toBe(true);
    expect(browser.inputs.some((input) => input.includes('node.mjs') || input.includes('crypto'))).toBe(false);
  });
});

describe.each([
  ['browser and app (js-sha256, no TextEncoder)', () => browser.sha256Hex],
  ['server (node:crypto)', () => serverSha256],
])('sha256Hex, %s', (_name, sha256Hex) => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    // FIPS 180-2 two-block message.
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('NIST vector %j', (input, digest) => {
    expect(sha256Hex()(input)).toBe(digest);
  });

  it('equals Node crypto at every padding boundary', () => {
    for (let length = 0; length <= 200; length++)
      expect(sha256Hex()('x'.repeat(length))).toBe(reference('x'.repeat(length)));
  });

  it('equals Node crypto on random Unicode (UTF-8 bytes, astral planes and lone surrogates included)', () => {
    const hash = sha256Hex();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => hash(text) === reference(text)),
      { numRuns: 3000 },
    );
  });
});
