import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const dist = (file) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

export default defineConfig({
  // The repository's build stands in for the published package: run `npx tsup` first. Exact matches, so
  // '@acme/symbiosys/react' and its own import of '@acme/symbiosys' each find their file.
  resolve: {
    alias: [
      { find: /^@acme\/symbiosys\/react$/, replacement: dist('react.js') },
      { find: /^@acme\/symbiosys$/, replacement: dist('index.js') },
    ],
  },
  // JSX through Vite's own esbuild: no React plugin needed for an example.
  esbuild: { jsx: 'automatic' },
});
