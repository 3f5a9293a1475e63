/**
 * Server rendering with the built React entry: `@acme/symbiosys/react`,
 * loaded by its package name in plain Node (no `window`), as ESM and as CJS,
 * renders the provider and the hooks to HTML, sends nothing, throws nothing
 * and leaves no timer behind (the child process exits by itself). The React
 * entry keeps React's `'use client'` directive and carries no copy of the
 * browser entry: it imports it by name.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs with `React`, `renderToString`, `sdk` and `hooks` in scope; prints what it saw. */
const SCRIPT = `
  const requests = [];
  globalThis.fetch = (input) => { requests.push(String(input)); return Promise.reject(new Error('no network here')); };
  const errors = [];
  const onError = (error) => errors.push(error.code);
  const h = React.createElement;
  function Page() {
    hooks.usePageView('/product/1', { product_id: '1' });
    hooks.useOrder({ order_id: 'o-1', items: [{ product_id: '1', quantity: 1 }] });
    return h('p', null, hooks.useSymbiosys() ? 'with client' : 'no client');
  }
  // First: once init has a client, a later init (whatever its options) returns that client.
  const broken = renderToString(h(hooks.SymbiosysProvider, { options: { apiKey: '', onError } }, h(Page)));
  const viaOptions = renderToString(
    h(React.StrictMode, null, h(hooks.SymbiosysProvider, { options: { apiKey: 'k', onError } }, h(Page))),
  );
  const client = new sdk.SymbiosysClient({ apiKey: 'k', onError });
  const viaClient = renderToString(h(hooks.SymbiosysProvider, { client }, h(Page)));
  await new Promise((resolve) => setTimeout(resolve, 50));
  console.log(JSON.stringify({
    html: [broken, viaOptions, viaClient],
    initialised: sdk.getClient() !== undefined,
    requests,
    errors,
    exports: Object.keys(hooks).sort(),
  }));
`;

const PRELUDE = {
  ESM: `const React = await import('react'); const { renderToString } = await import('react-dom/server');
    const sdk = await import('@acme/symbiosys'); const hooks = await import('@acme/symbiosys/react');`,
  CJS: `const React = require('react'); const { renderToString } = require('react-dom/server');
    const sdk = require('@acme/symbiosys'); const hooks = require('@acme/symbiosys/react');`,
};

function run(kind: 'ESM' | 'CJS') {
  const args =
    kind === 'ESM'
      ? ['--input-type=module', '-e', `${PRELUDE.ESM}${SCRIPT}`]
      : ['-e', `(async () => {${PRELUDE.CJS}${SCRIPT}})().catch((e) => { console.error(e); process.exit(1); });`];
  // A timer left running would keep the process alive: the timeout fails the test instead of hanging it.
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 15_000 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as {
    html: string[];
    initialised: boolean;
    requests: string[];
    errors: string[];
    exports: string[];
  };
}

describe('the built React entry in Node, without window', () => {
  it.each(['ESM', 'CJS'] as const)('%s renders the provider and hooks, sends nothing and throws nothing', (kind) => {
    expect(existsSync(`${root}/dist/react.js`), 'run `npm run build` first (npm test does)').toBe(true);
    const seen = run(kind);
    expect(seen.html).toEqual(['<p>no client</p>', '<p>with client</p>', '<p>with client</p>']);
    expect(seen.initialised).toBe(true);
    expect(seen.requests).toEqual([]);
    // Effects never run on a server, so no track call: only the unusable key is reported.
    expect(seen.errors).toEqual(['invalid_option']);
    expect(seen.exports).toEqual(['SymbiosysProvider', 'useOrder', 'usePageView', 'useSymbiosys']);
  });

  it.each(['react.js', 'react.cjs'])(
    'dist/%s starts with "use client" and imports only react and the browser entry',
    (file) => {
      const code = readFileSync(`${root}/dist/${file}`, 'utf8');
      expect(code.replace(/^"use strict";\s*/, '')).toMatch(/^"use client";/);
      const imported = [...code.matchAll(/(?:from |require\()"([^"]+)"/g)].map((match) => match[1]);
      expect(new Set(imported)).toEqual(new Set(['react', '@acme/symbiosys']));
      // The browser entry's code is not in here: its client class and cookie names stay in dist/index.*.
      expect(code).not.toMatch(/class SymbiosysClient|_sym_vid/);
    },
  );
});
