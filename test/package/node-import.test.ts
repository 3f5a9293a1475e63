/**
 * Server-side rendering: both builds of the browser entry (ESM and CJS) load
 * in plain Node without `window`, and calls there do nothing harmful. Runs
 * the built files in a child process, as an SSR server would load them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const SCRIPT = `
  const results = [];
  const errors = [];
  if (typeof window !== 'undefined') throw new Error('window exists');
  const client = new sdk.SymbiosysClient({ apiKey: 'k', onError: (e) => errors.push(e.code) });
  client.identify({ email: 'jane@example.com' });
  results.push(await client.track('page_view', { product_id: 'p' }));
  results.push(await client.track('order', { order_id: 1, items: [{ product_id: 'p', quantity: 1 }] }));
  sdk.init({ apiKey: 'k' });
  results.push(await sdk.track('page_view'));
  await sdk.flush();
  console.log(JSON.stringify({ statuses: results.map((r) => r.status + ':' + r.reason), errors, exports: Object.keys(sdk).sort() }));
`;

/** What SCRIPT prints on its last line. */
interface Report {
  statuses: string[];
  errors: string[];
  exports: string[];
}

function run(args: string[]): Report {
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Report;
}

describe('the built browser entry in Node, without window', () => {
  it.each([
    ['ESM', ['--input-type=module', '-e', `const sdk = await import('./dist/index.js');${SCRIPT}`]],
    [
      'CJS',
      [
        '-e',
        `const sdk = require('./dist/index.cjs'); (async () => {${SCRIPT}})().catch((e) => { console.error(e); process.exit(1); });`,
      ],
    ],
  ])('%s loads, does nothing, and says so once', (_, args) => {
    expect(existsSync(`${root}/dist/index.js`), 'run `npm run build` first (npm test does)').toBe(true);
    const { statuses, errors, exports } = run(args);
    expect(statuses).toEqual([
      'dropped:unsupported_environment',
      'dropped:unsupported_environment',
      'dropped:unsupported_environment',
    ]);
    expect(errors).toEqual(['unsupported_environment']);
    expect(exports).toEqual(
      expect.arrayContaining(['SymbiosysClient', 'init', 'track', 'identify', 'setConsent', 'flush']),
    );
  });

  it.each([
    [
      'ESM',
      [
        '--input-type=module',
        '-e',
        "const s = await import('./dist/server.js'); console.log(typeof s.SymbiosysServerClient)",
      ],
    ],
    ['CJS', ['-e', "console.log(typeof require('./dist/server.cjs').SymbiosysServerClient)"]],
  ])('the server build loads as %s', (_, args) => {
    expect(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim()).toBe('function');
  });
});
