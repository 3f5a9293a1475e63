import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';
import type { Options } from 'tsup';
import { packTables } from './build/pack-tables.js';

const ENTRIES = {
  index: 'src/index.ts',
  server: 'src/server/index.ts',
  receiver: 'src/receiver/index.ts',
  react: 'src/react/index.ts',
  'react-native': 'src/react-native/index.ts',
};

/**
 * Private members are named `_like` in the source (TypeScript's `private`
 * leaves no trace in JavaScript) and renamed to short names in the build, as
 * Sentry and PostHog do: readable source, small bundles. Nothing outside a
 * build may read a `_` property: the public API, error fields and stored
 * JSON never use one.
 */
const manglePrivate: Options['esbuildOptions'] = (options) => {
  options.mangleProps = /^_[a-z]/;
};

/**
 * Shared by the package entries' builds.
 *
 * No source maps ship: the builds are not minified, so a stack trace already
 * points at readable code, and a map is only worth its weight with the sources
 * embedded, which made the maps 60% of the tarball. The tag-manager script
 * (minified) is built from this repository's src/ for anyone debugging it.
 *
 * The React entry imports the browser entry by its package name: an app that
 * uses both then has one default client, not two copies of it (React itself
 * is external as a peer dependency).
 */
const PACKAGE_ENTRY: Options = {
  entry: ENTRIES,
  sourcemap: false,
  target: 'es2020',
  splitting: false,
  external: ['@acme/symbiosys'],
  esbuildOptions: manglePrivate,
  esbuildPlugins: [packTables],
};

/**
 * The server entry runs on Node only (`engines`: Node 20), so it is built for
 * Node 20 as it is: at es2020 its `#private` fields and methods became
 * WeakMap lookups through helper functions on every access, which showed in
 * the server bench's profile (`npm run bench:server`) on every `track`.
 */
const SERVER_ENTRY: Options = {
  ...PACKAGE_ENTRY,
  entry: { server: ENTRIES.server },
  platform: 'node',
  target: 'node20',
};

/**
 * The app entry builds its events with the server's builder (`server/input.ts`),
 * whose hash is `node:crypto`'s; in the app's bundle that module is the app's
 * js-sha256 hash instead (`src/browser/hash.ts`, the same digests), so no
 * Node built-in reaches Hermes.
 */
const appHash: Plugin = {
  name: 'app-hash',
  setup(build) {
    build.onResolve({ filter: /^\.\/hash\.js$/ }, (args) =>
      /[\\/]src[\\/]server[\\/]input\.ts$/.test(args.importer) ? { path: resolve('src/browser/hash.ts') } : undefined,
    );
  },
};

/**
 * React Native and Expo (Metro resolves it by the `react-native` condition).
 * js-sha256 stays external, for Metro to resolve; Hermes compiles the result
 * (`test/app/hermes.test.ts`).
 */
const APP_ENTRY: Options = {
  ...PACKAGE_ENTRY,
  entry: { 'react-native': ENTRIES['react-native'] },
  platform: 'neutral',
  esbuildPlugins: [appHash, packTables],
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
      entry: { index: ENTRIES.index, receiver: ENTRIES.receiver, react: ENTRIES.react },
      format: ['esm'],
    },
    {
      // ESM server.
      ...SERVER_ENTRY,
      format: ['esm'],
    },
    {
      // CJS.
      ...PACKAGE_ENTRY,
      entry: { index: ENTRIES.index, receiver: ENTRIES.receiver, react: ENTRIES.react },
      format: ['cjs'],
    },
    {
      // CJS server.
      ...SERVER_ENTRY,
      format: ['cjs'],
    },
    {
      // The app entry, ESM and CJS.
      ...APP_ENTRY,
      format: ['esm', 'cjs'],
    },
    {
      // The package's commands (Node, ESM): `symbiosys-receiver` and `symbiosys-records`.
      entry: { 'receiver-cli': 'src/receiver/cli.ts', 'records-cli': 'src/server/records-cli.ts' },
      format: ['esm'],
      platform: 'node',
      target: 'node20',
      splitting: false,
      esbuildPlugins: [packTables],
    },
    {
      // The tag-manager script: self-contained; src/tag.ts sets window.Symbiosys itself (no globalName:
      // the export helper that comes with one walks inherited keys, and fails on a polluted prototype).
      entry: { 'symbiosys.tag': 'src/tag.ts' },
      format: ['iife'],
      platform: 'browser',
      target: 'es2020',
      minify: true,
      noExternal: [/.*/],
      esbuildOptions: manglePrivate,
      esbuildPlugins: [packTables],
      outExtension: () => ({ js: '.js' }),
    },
  ];
});
