import { defineConfig, type Options } from 'tsup';
import { packTables } from './build/pack-tables.js';

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

export default defineConfig([
  {
    // The package entries: ESM + CJS + types. Dependencies stay external for the user's bundler.
    entry: {
      index: 'src/index.ts',
      server: 'src/server/index.ts',
      receiver: 'src/receiver/index.ts',
      react: 'src/react/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2020',
    splitting: false,
    esbuildOptions: manglePrivate,
    esbuildPlugins: [packTables],
    // The React entry imports the browser entry by its package name: an app that uses both then has one
    // default client, not two copies of it. (React itself is external as a peer dependency.)
    external: ['@acme/symbiosys'],
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
    esbuildOptions: manglePrivate,
    esbuildPlugins: [packTables],
    outExtension: () => ({ js: '.js' }),
  },
]);
