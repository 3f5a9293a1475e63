/** Where the rig finds the repository's files, and the check that the build it serves exists. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above `from` whose package.json is this package's (scripts load a bundled copy of the rig). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (manifest.name === '@acme/symbiosys') return dir;
    } catch {
      // No package.json here: keep climbing.
    }
    if (dirname(dir) === dir) throw new Error(`@acme/symbiosys's package.json not found above ${from}`);
  }
}

/** The repository root. */
export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const DIST_DIR = join(REPO_ROOT, 'dist');
export const SRC_DIR = join(REPO_ROOT, 'src');
export const STOREFRONT_DIR = join(REPO_ROOT, 'examples', 'storefront');
export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'browser', 'fixtures');

/** The built files a browser loads: the ESM entry and the tag-manager script. */
export const BROWSER_BUILDS = ['index.js', 'symbiosys.tag.js'] as const;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Why the browser builds cannot be used as they are, or undefined when they can. */
export function distProblem(): 'missing' | 'stale' | undefined {
  const files = BROWSER_BUILDS.map((name) => join(DIST_DIR, name));
  if (!files.every((file) => existsSync(file))) return 'missing';
  const built = Math.min(...files.map((file) => statSync(file).mtimeMs));
  return newestMtime(SRC_DIR) > built ? 'stale' : undefined;
}

/**
 * Throws a clear message when dist/ lacks a browser build: the browser tests
 * load the built package, as a storefront would. `npm test` builds first.
 */
export function requireDist(): void {
  if (distProblem() === 'missing') {
    throw new Error(
      `The browser tests load ${BROWSER_BUILDS.map((name) => `dist/${name}`).join(' and ')}: run \`npm run build\` first (\`npm test\` does).`,
    );
  }
}
