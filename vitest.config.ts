import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests import the package by its public name, so they exercise the entry files.
    alias: [
      {
        find: /^@acme\/symbiosys\/server$/,
        replacement: fileURLToPath(new URL('./src/server/index.ts', import.meta.url)),
      },
      {
        find: /^@acme\/symbiosys\/react$/,
        replacement: fileURLToPath(new URL('./src/react/index.ts', import.meta.url)),
      },
      { find: /^@acme\/symbiosys$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Unit tests pick happy-dom per file (`// @vitest-environment happy-dom`); the rest run in Node.
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: the real-browser files each start Chromium.
    maxWorkers: 2,
  },
});
