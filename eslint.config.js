// @ts-check
// Lint: typescript-eslint's strictest type-checked rules over the TypeScript
// sources and tests; plain recommended rules over the JavaScript scripts and
// examples. Formatting is Prettier's (`npm run format`), so no style rule here.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      '.receiver/',
      'node_modules/',
      'examples/*/dist/',
      'examples/next-app/.next/',
      'examples/next-app/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers read naturally in messages (`${status} from the Event API`).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => void promise` and `(x) => list.push(x)` are callbacks, not confusion.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    // The Next.js example imports the package by name, which its own tsconfig (the one `next build` reads)
    // resolves to the built dist/. Lint reads the types from src/ instead, so it works before any build.
    files: ['examples/next-app/**/*.ts', 'examples/next-app/**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './examples/next-app/tsconfig.lint.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // The core runs in browsers and in Node alike: no global of either.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'history'],
        ...['process', 'Buffer', 'require', 'module', '__dirname', 'global'],
      ],
    },
  },
  {
    // Tests index fixtures they built themselves; a wrong guess fails the test anyway.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.jsx'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.jsx'],
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  prettier,
);
