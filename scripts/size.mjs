// Prints the browser entry's size as a storefront bundler ships it, and fails above budget.
// Settings: esbuild --bundle --minify --format=esm --platform=browser --target=es2020, gzip -9.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

// Issue 2 asks for 12,000 B. With every feature the issues require and no runtime
// dependency left (zod/mini and js-sha256 replaced, two size passes), the entry is
// 12,453 B: the last ~450 B would cost required features, a decision for the
// issue's author (see the note on issue 2). This guard stops growth meanwhile.
const TARGET_GZIP_BYTES = 12_000;
const BUDGET_GZIP_BYTES = 12_500;

async function measure(label, contents, resolveDir, external = []) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    metafile: true,
    external,
  });
  const code = result.outputFiles[0].contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  const inputs = Object.entries(result.metafile.outputs)[0][1].inputs;
  return { label, min: code.length, gzip, inputs };
}

const root = new URL('..', import.meta.url).pathname;
// Everything the entry exports, as `import * as sdk` would keep it.
const all = await measure('browser entry (all exports)', "export * from './dist/index.js';", root);
const trackOnly = await measure(
  'browser entry (import { init, track })',
  "import { init, track } from './dist/index.js'; init({ apiKey: 'k' }); track('page_view');",
  root,
);
// What `@acme/symbiosys/react` adds to an app: React is the app's, and the browser entry (measured above) is
// imported by name, never copied, so the browser entry's own figures do not change with it.
const react = await measure('react entry (react, browser entry external)', "export * from './dist/react.js';", root, [
  'react',
  '@acme/symbiosys',
]);
const tag = readFileSync(new URL('../dist/symbiosys.tag.js', import.meta.url));
const rows = [
  all,
  trackOnly,
  react,
  { label: 'tag-manager script (dist/symbiosys.tag.js)', min: tag.length, gzip: gzipSync(tag, { level: 9 }).length },
];

for (const row of rows) {
  console.log(`${row.label.padEnd(46)} ${String(row.min).padStart(7)} B min  ${String(row.gzip).padStart(6)} B gzip`);
}
const byPackage = {};
for (const [file, { bytesInOutput }] of Object.entries(all.inputs)) {
  const name = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'sdk (src)';
  byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
}
console.log(
  'minified bytes by package:',
  Object.entries(byPackage)
    .map(([k, v]) => `${k} ${v}`)
    .join(', '),
);
const gap = all.gzip - TARGET_GZIP_BYTES;
console.log(
  `budget: ${BUDGET_GZIP_BYTES} B gzip for the browser entry (target ${TARGET_GZIP_BYTES} B: ${Math.abs(gap)} B ${gap > 0 ? 'over' : 'under'})`,
);
if (all.gzip > BUDGET_GZIP_BYTES) {
  console.error(`size: ${all.gzip} B gzip is over the ${BUDGET_GZIP_BYTES} B budget`);
  process.exit(1);
}
