import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';
import type { Options } from 'tsup';

const ENTRIES = { index: 'src/index.ts', server: 'src/server/index.ts', receiver: 'src/receiver/index.ts' };

/**
 * Shared by the package entries' builds.
 *
 * No source maps ship: the builds are not minified, so a stack trace already
 * points at readable code, and a map is only worth its weight with the sources
 * embedded, which made the maps 60% of the tarball. The tag-manager script
 * (minified) is built from this repository's src/ for anyone debugging it.
 */
const PACKAGE_ENTRY: Options = {
  entry: ENTRIES,
  sourcemap: false,
  target: 'es2020',
  splitting: false,
};

export default defineConfig(() => {
  // The configs build in parallel, so no single one may clean the shared output directory.
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      // The types of both formats (.d.ts for import, .d.cts for require), from one TypeScript program.
      ...PACKAGE_ENTRY,
      format: ['esm', 'cjs'],
      dts: { only: true },
    },
    {
      // ESM. Dependencies stay external, for the user's bundler to share and dedupe.
      ...PACKAGE_ENTRY,
      format: ['esm'],
    },
    {
      // CJS.
      ...PACKAGE_ENTRY,
      entry: { index: ENTRIES.index, receiver: ENTRIES.receiver },
      format: ['cjs'],
    },
    {
      // CJS server. ky is ESM only, and requiring ESM needs Node 20.19+ (require(esm)); the CJS server
      // carries its own copy of ky so that it loads on every Node 20 that `engines` names.
      ...PACKAGE_ENTRY,
      entry: { server: ENTRIES.server },
      format: ['cjs'],
      noExternal: ['ky'],
      banner: { js: '/*! Includes ky, MIT License, Copyright (c) Sindre Sorhus: see LICENSE. */' },
    },
    {
      // The package's commands (Node, ESM): `symbiosys-receiver` and `symbiosys-records`.
      entry: { 'receiver-cli': 'src/receiver/cli.ts', 'records-cli': 'src/server/ndjson-cli.ts' },
      format: ['esm'],
      platform: 'node',
      target: 'node20',
      splitting: false,
    },
    {
      // The tag-manager script: self-contained, defines window.Symbiosys.
      entry: { 'symbiosys.tag': 'src/tag.ts' },
      format: ['iife'],
      globalName: 'Symbiosys',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      noExternal: [/.*/],
      outExtension: () => ({ js: '.js' }),
    },
  ];
});
