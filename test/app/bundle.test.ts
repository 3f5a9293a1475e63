/**
 * The app entry as an app gets it: `@acme/symbiosys/react-native` resolved
 * as Metro resolves it (the `react-native` condition, then `browser`) from
 * the built package, bundled, and compiled by Hermes's own compiler
 * (`hermesc` from `hermes-compiler`): a syntax Hermes lacks fails here, and
 * so does any global beyond React Native's. The same bundle, run here,
 * hashes a customer exactly as the server entry does.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymbiosysServerClient } from '../../src/server/index.js';
import type * as AppEntry from '../../src/react-native/index.js';
import { memoryStorage } from './storage.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'symbiosys-hermes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * What an app's JavaScript may find besides the language itself: React
 * Native's globals. `TextDecoder` is read only from a response body stream,
 * which React Native's `fetch` never gives; `crypto` only where the app
 * installed `getRandomValues` (checked before use).
 */
const APP_GLOBALS = [
  'fetch',
  'Headers',
  'Request',
  'Response',
  'AbortController',
  'URL',
  'setTimeout',
  'clearTimeout',
  'Promise',
  'TextDecoder',
  'crypto',
];

function hermesc(): string {
  const binary = {
    linux: 'linux64-bin/hermesc',
    darwin: 'osx-bin/hermesc',
    win32: 'win64-bin/hermesc.exe',
  }[process.platform as 'linux' | 'darwin' | 'win32'];
  const path = join(createRequire(import.meta.url).resolve('hermes-compiler/package.json'), '..', 'hermesc', binary);
  // npm does not keep the executable bit of the package's binaries.
  if (process.platform !== 'win32') chmodSync(path, 0o755);
  return path;
}

async function bundle(format: 'iife' | 'esm'): Promise<{ code: string; inputs: string[]; imports: string[] }> {
  const result = await build({
    stdin: {
      contents: "export * from '@acme/symbiosys/react-native';",
      resolveDir: root,
      sourcefile: 'app.js',
    },
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    format,
    ...(format === 'iife' ? { globalName: 'Symbiosys' } : {}),
    platform: 'neutral',
    conditions: ['react-native', 'browser'],
    mainFields: ['react-native', 'browser', 'module', 'main'],
    target: 'es2019',
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  return {
    code: result.outputFiles[0]!.text,
    inputs: Object.keys(result.metafile.inputs).filter((path) => path !== 'app.js'),
    imports: output.imports.map((imported) => imported.path),
  };
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/react-native.js'))) {
    const built = spawnSync('npx', ['tsup'], { cwd: root, stdio: 'ignore' });
    expect(built.status).toBe(0);
  }
}, 120_000);

describe('the React Native bundle', () => {
  it('holds the package build and js-sha256 only: no ky, zod, storage client or Node built-in', async () => {
    const { inputs, imports } = await bundle('iife');
    expect(inputs).toEqual([
      'node_modules/js-sha256/src/shared.mjs',
      'node_modules/js-sha256/src/core.mjs',
      'node_modules/js-sha256/src/index.mjs',
      'dist/react-native.js',
    ]);
    expect(imports).toEqual([]);
  });

  it('compiles with hermesc, and reads no global beyond React Native’s', async () => {
    const { code } = await bundle('iife');
    const source = join(work, 'app.js');
    writeFileSync(source, code);
    const compiled = spawnSync(hermesc(), ['-emit-binary', '-out', join(work, 'app.hbc'), source], {
      encoding: 'utf8',
    });
    expect(compiled.stderr).not.toMatch(/error:/);
    expect(compiled.status).toBe(0);
    const globals = [...compiled.stderr.matchAll(/the variable "([^"]+)" was not declared/g)].map((match) => match[1]);
    expect(globals.filter((name) => !APP_GLOBALS.includes(name!))).toEqual([]);
  });

  it('a syntax Hermes lacks fails the same compile', () => {
    const source = join(work, 'bad.js');
    writeFileSync(source, 'label: { using resource = open(); }\n');
    const compiled = spawnSync(hermesc(), ['-emit-binary', '-out', join(work, 'bad.hbc'), source], {
      encoding: 'utf8',
    });
    expect(compiled.status).not.toBe(0);
  });

  it('hashes a customer and a user exactly as the server entry does', async () => {
    const { code } = await bundle('esm');
    const entry = (await import(
      `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
    )) as typeof AppEntry;
    const bodies: Array<Record<string, unknown>> = [];
    const capture: typeof fetch = async (input) => {
      const body = JSON.parse(await (input as Request).text()) as
        Record<string, unknown> | Array<Record<string, unknown>>;
      bodies.push(...(Array.isArray(body) ? body : [body]));
      return new Response(null, { status: 200 });
    };
    const customer = {
      email: '  Jane.Doe@Example.com ',
      phone: '(650) 555-1212',
      first_name: 'Zoë',
      last_name: 'Ångström-Łukasz',
      city: 'São Paulo',
      state: 'CA',
      zip_code: '94107-1234',
      country: 'US',
      date_of_birth: '1990-04-01',
    };
    const user = { email: 'JOHN@example.com', first_name: 'José', crm_id: 'u-1' };
    const app = new entry.SymbiosysAppClient({
      apiKey: 'key',
      endpoint: 'http://127.0.0.1:9',
      storage: memoryStorage(),
      fetch: capture,
    });
    app.identify(user);
    app.track('order', { order_id: 'o1', items: [{ product_id: 'p', quantity: 1, regular_unit_price: 1 }], customer });
    await app.flush();
    const server = new SymbiosysServerClient({ apiKey: 'key', endpoint: 'http://127.0.0.1:9', fetch: capture });
    server.track('order', {
      visitor_id: '0'.repeat(45),
      session_id: '1',
      order_id: 'o1',
      items: [{ product_id: 'p', quantity: 1, regular_unit_price: 1 }],
      customer,
      user,
    });
    await server.close();
    const hashes = (body: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(body).filter(([name]) => name.startsWith('hashed_') || name === 'crm_id'));
    const [fromApp, fromServer] = bodies as [Record<string, unknown>, Record<string, unknown>];
    expect(Object.keys(hashes(fromApp)).length).toBeGreaterThanOrEqual(10);
    expect(hashes(fromApp)).toEqual(hashes(fromServer));
  });
});
