/**
 * Google's client is loaded only when a `gs://` output is asked for: no
 * static import of it anywhere, and nothing of the GCS route in the browser
 * entries' module graphs (esbuild's metafile lists every import as bundled).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function graph(entry: string, platform: 'browser' | 'node'): Promise<Metafile> {
  const { metafile } = await build({
    entryPoints: [`${ROOT}/${entry}`],
    bundle: true,
    write: false,
    metafile: true,
    platform,
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return metafile;
}

/** Every import of `specifier` in the graph, with its kind (`import-statement`, `dynamic-import`, …). */
function importsOf(metafile: Metafile, specifier: RegExp): string[] {
  return Object.values(metafile.inputs).flatMap((input) =>
    input.imports.filter((imported) => specifier.test(imported.path)).map((imported) => imported.kind),
  );
}

describe('loading @google-cloud/storage', () => {
  it.each(['src/index.ts', 'src/tag.ts', 'src/react/index.ts'])(
    '%s: no GCS module, no Google client',
    async (entry) => {
      const metafile = await graph(entry, 'browser');
      expect(Object.keys(metafile.inputs).filter((path) => /gcs|records/.test(path))).toEqual([]);
      expect(importsOf(metafile, /@google-cloud/)).toEqual([]);
    },
  );

  it.each(['src/server/index.ts', 'src/server/records-cli.ts'])(
    '%s: Google’s client by dynamic import only',
    async (entry) => {
      const metafile = await graph(entry, 'node');
      expect(importsOf(metafile, /^@google-cloud\/storage$/)).toEqual(['dynamic-import']);
    },
  );
});
