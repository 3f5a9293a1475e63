/**
 * The package as a user gets it: `npm pack`, the tarball installed into an
 * empty temporary project (its dependencies from the npm registry or npm's
 * cache), then:
 * - both commands run through `npx`, as a user types them;
 * - every entry loads by `import` and by `require`, `require` without Node's
 *   require(esm), as on Node 20 before 20.19;
 * - TypeScript projects (`consumers/`, one per module resolution a user may
 *   have: bundler, node16 as ESM and as CommonJS, nodenext) compile
 *   `consumers/consumer.ts` and the README's TypeScript examples against it,
 *   under `strict`, the package's declaration files checked too.
 * It packs the build `npm test` has just made (`npm run build` first, when
 * running this file alone).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vendorPostExample } from '../helpers/vendor.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONSUMERS = join(ROOT, 'test/package/consumers');

interface Built {
  types: string;
  default: string;
}
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { import: Built; require: Built }>;
};
/** Every code entry of `exports`, by the name a user imports (`@acme/symbiosys/server`) and its four files. */
const ENTRIES = Object.entries(MANIFEST.exports).flatMap(([subpath, target]) =>
  typeof target === 'string' ? [] : [{ specifier: `${MANIFEST.name}${subpath.slice(1)}`, target }],
);

/** Installing the tarball fetches zod and js-sha256 (or takes them from npm's cache): allow for a slow registry. */
const INSTALL_TIMEOUT_MS = 180_000;
const COMPILE_TIMEOUT_MS = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The parent `npm test` exports its configuration as `npm_*` variables (its
 * prefix among them): a child npm must not inherit them, or it would act on
 * this repository instead of the temporary project.
 */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Versions this repository locked, so the consumer's extra installs come from npm's cache. */
function lockedVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return `${name}@${manifest.version}`;
}

/**
 * What `tsc -p project` reports, with the declaration files checked only
 * where they are this package's: the consumer's sources and the installed
 * `@acme/symbiosys` are checked in full, as without `skipLibCheck`, while
 * `@types/node`, `@types/react` and TypeScript's own libraries are only
 * read (checking them too would triple the time and test someone else's
 * package).
 */
function typeErrors(project: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(project, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`no tsconfig.json in ${project}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const checked = program
    .getSourceFiles()
    .filter(
      ({ fileName }) => !fileName.includes('/node_modules/') || fileName.includes('/node_modules/@acme/symbiosys/'),
    );
  expect(checked.map(({ fileName }) => fileName)).toEqual(
    expect.arrayContaining([expect.stringMatching(/\/node_modules\/@acme\/symbiosys\/dist\/index\.d\.c?ts$/)]),
  );
  const diagnostics = [
    ...config.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...checked.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ];
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName}(${line + 1},${character + 1}): TS${diagnostic.code}: ${message}`;
  });
}

let dir: string;
/** The temporary project the tarball is installed into. */
let app: string;
let packedFiles: string[];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'symbiosys-tarball-'));
  // The build on disk is the one packed: `prepack` would build it again.
  const pack = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
  packedFiles = packed.files.map((file) => file.path);

  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true }));
  const install = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      join(dir, packed.filename),
      // What the consumer projects' code needs besides the package: Node's types, and React for the README's
      // React examples and for loading a React entry.
      ...['@types/node', '@types/react', '@types/react-dom', 'react', 'react-dom', 'react-router'].map(lockedVersion),
    ],
    app,
  );
  expect(install.code, install.stderr).toBe(0);
  // npx would look a missing command up on the registry: make sure both are installed, then type what a user types.
  for (const command of ['symbiosys-records', 'symbiosys-receiver'])
    expect(existsSync(join(app, 'node_modules/.bin', command)), command).toBe(true);
}, INSTALL_TIMEOUT_MS);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('ships the builds, their types, the commands, README, CHANGELOG and LICENSE; no sources or source maps', () => {
    const builds = ENTRIES.flatMap(({ target }) =>
      [target.import, target.require].flatMap((built) => [built.types, built.default].map((path) => path.slice(2))),
    );
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        ...builds,
        'dist/symbiosys.tag.js',
        'bin/symbiosys-receiver.mjs',
        'bin/symbiosys-records.mjs',
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
      ]),
    );
    expect(packedFiles.filter((path) => /\.map$|^src\/|^test\//.test(path))).toEqual([]);
  });
});

describe('the commands, through npx', () => {
  const npx = (args: readonly string[]) => run('npx', args, app);

  it('symbiosys-records --help', async () => {
    const { code, stdout } = await npx(['symbiosys-records', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: symbiosys-records --in /);
  });

  it("symbiosys-records --out gs://… without Google's client installed: a setup error naming it, nothing loaded before", async () => {
    writeFileSync(join(app, 'one.ndjson'), '{}\n');
    const { code, stderr } = await npx(['symbiosys-records', '--in', 'one.ndjson', '--out', 'gs://dumps/x.ndjson']);
    expect(stderr).toMatch(/a gs:\/\/ output needs Google's client: npm install @google-cloud\/storage@7/);
    expect(code).toBe(2);
  });

  it('symbiosys-records --in orders.csv --out records.ndjson writes hashed records', async () => {
    const csv = [
      'order_id,order_ts,visitor_id,session_id,customer.email,product_id,quantity,regular_unit_price',
      '238476923,1729696661986,01929d42ae1a0016c0cebe6dd43a0508900160810056a,1729694623545,Jane@Example.com,170830,1,10.00',
    ].join('\n');
    writeFileSync(join(app, 'orders.csv'), `${csv}\n`);
    const { code, stderr } = await npx(['symbiosys-records', '--in', 'orders.csv', '--out', 'records.ndjson']);
    expect(stderr).toContain('1 records written, 0 inputs rejected');
    expect(code).toBe(0);
    const written = readFileSync(join(app, 'records.ndjson'), 'utf8');
    expect(written).not.toMatch(/jane/i);
    expect(
      written
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      expect.objectContaining({
        order_id: '238476923',
        hashed_email: createHash('sha256').update('jane@example.com').digest('hex'),
        items: [expect.objectContaining({ product_id: '170830', quantity: 1, regular_unit_price: 10 })],
      }),
    ]);
  });

  it('symbiosys-receiver --help', async () => {
    const { code, stdout } = await npx(['symbiosys-receiver', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: symbiosys-receiver/);
  });

  describe('symbiosys-receiver, listening', () => {
    /** The process group still running, if the test failed before stopping it. */
    let running: ChildProcess | undefined;
    afterAll(() => {
      // Only when the test failed before stopping it: its whole process group, npx and node.
      if (running?.pid !== undefined) process.kill(-running.pid, 'SIGKILL');
    });

    it('takes the vendor example order, writes it to --file, and stops cleanly on Ctrl-C', async () => {
      const file = join(app, 'events.ndjson');
      // Its own process group, as in a terminal, where Ctrl-C signals npx and the node it started alike.
      const child = spawn('npx', ['symbiosys-receiver', '--port', '0', '--key', 'k1', '--file', file], {
        cwd: app,
        env: userEnv(),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running = child;
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, signal) => {
          running = undefined;
          resolve({ code, signal });
        }),
      );
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        void exited.then(() => reject(new Error(`exited before listening:\n${output}`)));
      });

      const { body } = vendorPostExample('/orders');
      const answer = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { api_key: 'k1', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(answer.status).toBe(200);

      process.kill(-child.pid!, 'SIGINT');
      const { code, signal } = await exited;
      // npm re-raises the Ctrl-C it got itself; the receiver's clean stop shows in its last line and the freed port.
      expect(code === 0 || signal === 'SIGINT', `exit ${code} ${signal}`).toBe(true);
      expect(output).toMatch(/SIGINT, closing \(1 event\(s\) received\)\n$/);
      await expect(fetch(url)).rejects.toThrow();
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('"238476923"');
    });
  });
});

describe('loading every entry', () => {
  // Node 20.19+ can require ESM; the flag turns that off, as Node 20.0-20.18 have it (which lack the flag too).
  const noRequireEsm = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module')
    ? ['--no-experimental-require-module']
    : [];

  /** The names a module exports, as Node loads it with these arguments. */
  async function exportNames(args: readonly string[]): Promise<string[]> {
    const { code, stdout, stderr } = await run(process.execPath, args, app);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return JSON.parse(stdout) as string[];
  }

  it.each(ENTRIES.map(({ specifier }) => specifier))(
    '%s: require (without require(esm)) and import give the same exports',
    async (specifier) => {
      const quoted = JSON.stringify(specifier);
      const required = await exportNames([
        ...noRequireEsm,
        '-e',
        `console.log(JSON.stringify(Object.keys(require(${quoted})).sort()))`,
      ]);
      const imported = await exportNames([
        '--input-type=module',
        '-e',
        `console.log(JSON.stringify(Object.keys(await import(${quoted})).sort()))`,
      ]);
      expect(required.length).toBeGreaterThan(0);
      expect(required).toEqual(imported);
    },
  );
});

describe('TypeScript consumers', () => {
  /**
   * The README's examples fenced exactly ```ts or ```tsx, in order: each compiles as it stands, a whole
   * module. A fragment that cannot (it uses the reader's own components) is fenced ```tsx fragment.
   */
  const examples = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)].map(
    ([, language, code]) => ({ language: language!, code: code! }),
  );
  /** The React Native packages the README's app example imports, as much of them as it uses. */
  const REACT_NATIVE_ENV = [
    "declare module '@react-native-async-storage/async-storage' {",
    '  const AsyncStorage: {',
    '    getItem(key: string): Promise<string | null>;',
    '    setItem(key: string, value: string): Promise<void>;',
    '    removeItem(key: string): Promise<void>;',
    '  };',
    '  export default AsyncStorage;',
    '}',
    "declare module 'react-native' {",
    "  export const AppState: { addEventListener(type: 'change', listener: (state: string) => void): { remove(): void } };",
    '}',
    '',
  ].join('\n');
  /** CommonJS has neither top-level await nor import.meta: such examples are ESM-only. */
  const esmOnly = (code: string) => /^(?!\s|\/\/).*\bawait\b|\bimport\.meta\b/m.test(code);
  /** What Vite's `vite/client` declares for the README's React example (`import.meta.env`). */
  const VITE_ENV = 'interface ImportMetaEnv { readonly VITE_SYMBIOSYS_KEY: string }\n'.concat(
    'interface ImportMeta { readonly env: ImportMetaEnv }\n',
  );

  it('the README has compiled examples for the browser and Node entries, some of them CommonJS-able', () => {
    const sources = examples.map((example) => example.code).join('\n');
    for (const entry of ["'@acme/symbiosys'", "'@acme/symbiosys/server'"]) expect(sources).toContain(`from ${entry}`);
    expect(examples.filter((example) => !esmOnly(example.code)).length).toBeGreaterThan(0);
  });

  it.each(['bundler', 'node16-esm', 'node16-cjs', 'nodenext'])(
    '%s: consumer.ts and the README examples compile (wrong event names and missing order_id do not)',
    (project) => {
      const target = join(app, project);
      cpSync(join(CONSUMERS, project), target, { recursive: true });
      cpSync(join(CONSUMERS, 'consumer.ts'), join(target, 'consumer.ts'));
      const commonJs = project.endsWith('-cjs');
      if (!commonJs) writeFileSync(join(target, 'vite-env.d.ts'), VITE_ENV);
      writeFileSync(join(target, 'react-native-env.d.ts'), REACT_NATIVE_ENV);
      examples.forEach(({ language, code }, index) => {
        if (!(commonJs && esmOnly(code))) writeFileSync(join(target, `readme-${index + 1}.${language}`), code);
      });
      expect(typeErrors(target)).toEqual([]);
    },
    COMPILE_TIMEOUT_MS,
  );

  it.each(['index.d.ts', 'index.d.cts'])(
    '%s: init, getClient, track, identify, setConsent and flush carry the TSDoc an editor shows on hover',
    (declarations) => {
      const file = join(app, 'node_modules/@acme/symbiosys/dist', declarations);
      const program = ts.createProgram({ rootNames: [file], options: { strict: true, noEmit: true } });
      const checker = program.getTypeChecker();
      const entry = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
      const documentation = new Map(
        checker.getExportsOfModule(entry).map((symbol) => {
          const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
          return [symbol.name, ts.displayPartsToString(target.getDocumentationComment(checker))];
        }),
      );
      const names = ['init', 'getClient', 'track', 'identify', 'setConsent', 'flush'];
      expect(names.filter((name) => (documentation.get(name) ?? '') === '')).toEqual([]);
    },
    COMPILE_TIMEOUT_MS,
  );
});
