import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  // The repository's build stands in for the published package: run `npx tsup` first.
  resolve: {
    alias: { '@acme/symbiosys': fileURLToPath(new URL('../../dist/index.js', import.meta.url)) },
  },
  // JSX through Vite's own esbuild: no React plugin needed for an example.
  esbuild: { jsx: 'automatic' },
});
