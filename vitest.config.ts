import { defineConfig } from 'vitest/config';

export default defineConfig({
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
