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
    expect(inputs).toContain('src/client.ts');
    expect(inputs).toContain('src/pii/person.ts');
    const foreign = inputs.filter((path) =>
      /src\/(server|receiver)\/|node_modules\/(ky|zod)\/|^import:node:|(^|\/)node:/.test(path),
    );
    expect(foreign).toEqual([]);
    // No runtime dependency at all: everything comes from src/.
    expect(inputs.filter((path) => !path.startsWith('src/'))).toEqual([]);
    // React stays in `@acme/symbiosys/react`, which imports this entry, never the other way round.
    expect(inputs.filter((path) => /react/.test(path))).toEqual([]);
  });

  it('the server entry has no browser code: no client, storage, identity, beacon or delivery queue', async () => {
    const inputs = await inputsOf('src/server/index.ts', 'node');
    expect(inputs).toContain('src/server/client.ts');
    expect(inputs).toContain('src/pii/person.ts'); // The same hashing, not a copy.
    expect(inputs).toContain('src/schema.ts');
    const browserOnly = [
      'src/client.ts',
      'src/default-client.ts',
      'src/storage.ts',
      'src/identity.ts',
      'src/attribution.ts',
      'src/dedupe.ts',
      'src/outbox.ts',
      'src/delivery.ts',
      'src/transport.ts',
      'src/consent.ts',
      'src/shorthand.ts',
      'src/tag.ts',
    ];
    expect(inputs.filter((path) => browserOnly.includes(path))).toEqual([]);
  });
});
