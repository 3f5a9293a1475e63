// Shared by `npm run demo` and `npm run bench`: builds the package when dist/
// is missing or older than src/, and loads the browser rig (test/browser/helpers,
// TypeScript) by bundling it with esbuild: the receiver comes from src/, the
// storefront and the tests load dist/ as users do.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const BUILT = ['dist/index.js', 'dist/symbiosys.tag.js'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `npx tsup` unless dist/ has the browser builds and they are newer than every file in src/. */
export function ensureBuilt(log = console.log) {
  const files = BUILT.map((file) => join(ROOT, file));
  const fresh =
    files.every((file) => existsSync(file)) &&
    Math.min(...files.map((file) => statSync(file).mtimeMs)) >= newestMtime(join(ROOT, 'src'));
  if (fresh) return;
  log('Building the package (npx tsup)…');
  const result = spawnSync('npx', ['tsup'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status === 0) return;
  // tsup writes the JavaScript before the type declarations: a types-only failure leaves usable builds.
  if (!files.every((file) => existsSync(file)))
    throw new Error(`npx tsup failed (exit ${result.status ?? result.signal})`);
  log(`npx tsup failed (exit ${result.status ?? result.signal}); going on with the JavaScript already in dist/.`);
}

/** The rig's exports (see test/browser/helpers/index.ts): startRig, launchBrowser, startStaticServer, … */
export async function loadRig() {
  const { build } = await import('esbuild');
  // Inside node_modules so the bundle's bare imports (playwright-core, zod) resolve.
  const outfile = join(ROOT, 'node_modules', '.cache', 'symbiosys-rig', 'rig.mjs');
  await build({
    entryPoints: [join(ROOT, 'test', 'browser', 'helpers', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/** The value after `--name` on the command line, or `fallback` without one: a number where `fallback` is one. */
export function cliFlag(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = process.argv[index + 1];
  return typeof fallback === 'number' ? Number(value) : value;
}

/** Runs a script's `main` and exits with its outcome: 0, or 1 with the error's stack (a browser or a server left open would keep Node alive). */
export function runMain(main) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
