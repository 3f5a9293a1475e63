/**
 * The README's tag loader snippet is the one the Chromium test loads
 * (scripts/tag-snippet.mjs) for this package's version, byte for byte but the
 * integrity hash, which belongs to the file a release builds (`npm run build`
 * prints it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loaderSnippet, pinnedScriptUrl } from '../../scripts/tag-snippet.mjs';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };

describe('the README tag loader snippet', () => {
  it('is the tested snippet, pinned to this version, with a sha384 integrity hash', () => {
    const integrity = /integrity = integrity[\s\S]*?'(sha384-[A-Za-z0-9+/]{64})'\);/.exec(readme)?.[1];
    expect(integrity, 'a sha384 hash in the README snippet').toBeDefined();
    expect(readme).toContain(loaderSnippet({ src: pinnedScriptUrl(version), integrity: integrity! }));
  });
});
