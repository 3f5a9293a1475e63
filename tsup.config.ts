import { defineConfig } from 'tsup';

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
    outExtension: () => ({ js: '.js' }),
  },
]);
