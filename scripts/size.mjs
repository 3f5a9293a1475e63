// `npm run size`: the browser entry's size as a storefront's bundler ships it, per package, and
// the build fails above budget. Settings: esbuild --bundle --minify --format=esm
// --platform=browser --target=es2020, gzip -9.
//
// The budget is a guard against growth, not a target: source stays readable, bytes are won
// with build settings (tsup.config.ts), never by contorting code.
//
// Two figures. TARGET is the 20,000 B gzip guard the team set for the browser entry; the entry is over it
// (README, "Size and speed", says by how much and what grew it), and the gap is printed on every run until
// it is closed or the target is changed on purpose. CEILING is what fails the build: the size of the day
// plus a little room, so that no further growth goes unnoticed while the gap stands. `tcfConsent` and
// `googleConsentMode` are in "all exports" but reach a storefront's bundle only when it imports them, which
// the "+ tcfConsent, googleConsentMode" line shows, and the `init, track` bundle is checked to carry none
// of their code.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const TARGET_GZIP_BYTES = 20_000;
const GUARD_GZIP_BYTES = 23_400;

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
  return { label, min: code.length, gzip, inputs, text: new TextDecoder().decode(code) };
}

/** Minified bytes of the bundle per package (the SDK's own code is `sdk`), and each share of the gzip size. */
function byPackage({ inputs, gzip, min }) {
  const bytes = {};
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const name = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'sdk';
    bytes[name] = (bytes[name] ?? 0) + bytesInOutput;
  }
  return Object.entries(bytes).map(([name, size]) => ({ name, min: size, gzip: Math.round((gzip * size) / min) }));
}

const root = new URL('..', import.meta.url).pathname;
// Everything the entry exports, as `import * as sdk` would keep it.
const all = await measure('browser entry (all exports)', "export * from './dist/index.js';", root);
const trackOnly = await measure(
  'browser entry (import { init, track })',
  "import { init, track } from './dist/index.js'; init({ apiKey: 'k' }); track('page_view');",
  root,
);
// The consent adapters are separate modules: the line above must not grow with them, this one shows what they add.
const withConsent = await measure(
  'browser entry (+ tcfConsent, googleConsentMode)',
  "import { init, track, tcfConsent, googleConsentMode } from './dist/index.js'; init({ apiKey: 'k', consentSource: tcfConsent() }); googleConsentMode(); track('page_view');",
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
  withConsent,
  react,
  { label: 'tag-manager script (dist/symbiosys.tag.js)', min: tag.length, gzip: gzipSync(tag, { level: 9 }).length },
];

const line = (label, min, gzip) =>
  console.log(`${label.padEnd(46)} ${String(min).padStart(7)} B min  ${String(gzip).padStart(6)} B gzip`);
for (const row of rows) line(row.label, row.min, row.gzip);
console.log('\nbrowser entry (all exports) by package (gzip shared out by minified bytes):');
for (const { name, min, gzip } of byPackage(all)) line(`  ${name}`, min, gzip);
// Tree-shaking of the consent adapters: their marks (the TCF API's name, a Consent Mode signal) appear
// in the bundle that imports them and in no other.
const adapterMarks = ['__tcfapi', 'ad_user_data'];
const carries = (row) => adapterMarks.filter((mark) => row.text.includes(mark));
console.log(
  `\nconsent adapters in the init, track bundle: ${carries(trackOnly).join(', ') || 'none'}` +
    ` (in the bundle importing them: ${carries(withConsent).join(', ') || 'none'})`,
);
if (carries(trackOnly).length > 0 || carries(withConsent).length !== adapterMarks.length) {
  console.error('size: the consent adapters are not tree-shaken as they should be');
  process.exit(1);
}
const over = all.gzip - TARGET_GZIP_BYTES;
console.log(
  `\ntarget: ${TARGET_GZIP_BYTES} B gzip for the browser entry (${over > 0 ? `${over} B over` : `${-over} B left`})`,
);
console.log(`ceiling: ${GUARD_GZIP_BYTES} B gzip, the build fails above it (${GUARD_GZIP_BYTES - all.gzip} B left)`);
if (all.gzip > GUARD_GZIP_BYTES) {
  console.error(`size: ${all.gzip} B gzip is over the ${GUARD_GZIP_BYTES} B ceiling`);
  process.exit(1);
}
