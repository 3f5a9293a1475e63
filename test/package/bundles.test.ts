/**
 * The two entries stay apart: the browser bundle carries no Node code (no
 * `node:` module, no server, receiver, ky or zod), and the server bundle no
 * browser code (no client, storage, beacon or delivery queue). Checked on
 * esbuild's metafile of each entry, bundled as a user's bundler would.
 */
import { build, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function inputsOf(entry: string, platform: 'browser' | 'node'): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform,
    format: 'esm',
    // Node built-ins stay external on the server; on the browser they would fail to resolve.
    ...(platform === 'node' ? { packages: 'external' as const } : {}),
    logLevel: 'silent',
  });
  const meta: Metafile = result.metafile;
  const output = Object.values(meta.outputs)[0]!;
  return [...Object.keys(output.inputs), ...output.imports.map((i) => `import:${i.path}`)];
}

describe('bundle contents', () => {
  it('the browser entry has no Node, server, receiver or validation-library code', async () => {
    const inputs = await inputsOf('src/index.ts', 'browser');
    expect(inputs).toContain('src/browser/client.ts');
    expect(inputs).toContain('src/core/pii/person.ts');
    const foreign = inputs.filter((path) =>
      /src\/(server|receiver)\/|node_modules\/(ky|zod)\/|^import:node:|(^|\/)node:/.test(path),
    );
    expect(foreign).toEqual([]);
    // One runtime dependency: js-sha256's pure-JavaScript core (never its Node path).
    expect(inputs.filter((path) => !path.startsWith('src/'))).toEqual([
      'node_modules/js-sha256/src/shared.mjs',
      'node_modules/js-sha256/src/core.mjs',
      'node_modules/js-sha256/src/index.mjs',
    ]);
    // React stays in `@acme/symbiosys/react`, which imports this entry, never the other way round.
    expect(inputs.filter((path) => /react/.test(path))).toEqual([]);
  });

  it('the server entry has no browser code: no client, storage, identity, beacon or delivery queue', async () => {
    const inputs = await inputsOf('src/server/index.ts', 'node');
    expect(inputs).toContain('src/server/client.ts');
    // The same core, not a copy: normalization and hashing, validation, record building, the POST encoder.
    expect(inputs).toEqual(
      expect.arrayContaining([
        'src/core/pii/person.ts',
        'src/core/validate.ts',
        'src/core/record.ts',
        'src/core/post-encoder.ts',
        'src/core/policy.ts',
      ]),
    );
    const browserOnly = inputs.filter(
      (path) => path.startsWith('src/browser/') || path === 'src/tag.ts' || path === 'src/core/get-encoder.ts',
    );
    expect(browserOnly).toEqual([]);
  });
});
