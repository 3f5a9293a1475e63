// Writes the generated blocks of the Google Tag Manager templates
// (gtm/web/template.tpl, gtm/server/template.tpl): sandboxed JavaScript can
// import nothing, so what the templates share with the SDK is copied in here.
//
// - The web template: the tag script's URL for this package version.
// - Both templates: gtm/shared/*.js (GA4 items and Google's user-provided
//   data mapped to the SDK's shapes), written once, pasted into each.
// - The server template: the tables the PII rules read, taken from the SDK's
//   own modules' exports (calling codes, regions, hosts, PII query parameters,
//   which hashed field each person field fills) and the Unicode data the
//   sandbox lacks (no `normalize`, no `\p{…}`), computed from this Node's ICU.
//
// `node scripts/build-gtm.mjs` rewrites the templates; `--check` exits 1 when
// a committed template differs from what this would write.
// test/gtm/templates.test.ts runs the same comparison.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pinnedScriptUrl } from './tag-snippet.mjs';

const root = new URL('..', import.meta.url);
const path = (relative) => fileURLToPath(new URL(relative, root));

/** What the templates take from src/, by module. */
const SDK_EXPORTS = {
  'src/core/pii/calling-codes.ts': ['CALLING_CODES'],
  'src/core/pii/state.ts': ['REGIONS'],
  'src/core/pii/packed-tables.ts': ['regionKey'],
  'src/core/pii/page-url.ts': ['DEFAULT_PII_PARAMS'],
  'src/core/pii/hash.ts': ['EMPTY_HASH'],
  'src/core/pii/field.ts': ['MAX_PII_LENGTH'],
  'src/core/hosts.ts': ['HOSTS'],
  'src/core/fields.ts': ['FIELD_LIST'],
  'src/browser/attribution.ts': ['DEFAULT_CLICK_IDS', 'DEFAULT_CAMPAIGN_PARAMS'],
  'src/core/ids.ts': ['VISITOR_COOKIE', 'SESSION_COOKIE', 'SESSION_TIMEOUT_MS'],
  'src/browser/identity.ts': ['VISITOR_LIFETIME_MS'],
  'src/core/post-encoder.ts': ['DEFAULT_PLATFORM'],
};

/** The SDK's modules, bundled from TypeScript and imported: their exports, not their text. */
export async function loadSdkTables() {
  const entry = Object.entries(SDK_EXPORTS)
    .map(([file, names]) => `export { ${names.join(', ')} } from './${file}';`)
    .join('\n');
  const result = await build({
    stdin: { contents: entry, resolveDir: path('.'), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  const tables = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  // esbuild drops a re-export its module no longer has (it could be a type): each name must come through.
  const missing = Object.values(SDK_EXPORTS)
    .flat()
    .filter((name) => tables[name] === undefined);
  if (missing.length > 0) throw new Error(`build-gtm: not exported by src/ any more: ${missing.join(', ')}`);
  return tables;
}

/** Which hashed field each person field fills, per role: the rule of src/core/pii/person.ts, from the field table. */
function hashedFields(fieldList) {
  const out = { user: {}, customer: {} };
  for (const spec of fieldList) {
    if (spec.pii === undefined) continue;
    for (const role of ['user', 'customer']) {
      if (spec.role === role || spec.role === 'either') out[role][spec.pii] = spec.name;
    }
  }
  return out;
}

/** Each region code and each name's lookup key -> the code, as src/core/pii/state.ts builds it. */
function codeByKey(regions, regionKey) {
  const out = {};
  for (const [code, names] of Object.entries(regions)) {
    out[code] = code;
    for (const name of names) out[regionKey(name)] = code;
  }
  return out;
}

const b36 = (n) => n.toString(36);

/** Runs of code points by `tagOf` (a letter, or '' for none): `<gap><tag><length>,…`, gaps and lengths in base 36. */
function runsOf(tagOf) {
  const runs = [];
  let current;
  let end = 0;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    const cat = cp >= 0xd800 && cp <= 0xdfff ? '' : tagOf(cp);
    if (current && current.cat === cat && current.end === cp - 1) {
      current.end = cp;
      continue;
    }
    if (!cat) continue;
    current = { cat, start: cp, end: cp };
    runs.push(current);
  }
  return runs
    .map((run) => {
      const text = b36(run.start - end) + run.cat + b36(run.end - run.start);
      end = run.end;
      return text;
    })
    .join(',');
}

/** Letters (L), marks (M) and numbers (N). */
function categoryRuns() {
  const L = /\p{L}/u;
  const M = /\p{M}/u;
  const N = /\p{N}/u;
  return runsOf((cp) => {
    const c = String.fromCodePoint(cp);
    return L.test(c) ? 'L' : M.test(c) ? 'M' : N.test(c) ? 'N' : '';
  });
}

/**
 * What NFC may change (U): characters it replaces, non-starters (combining
 * class above 0), and those that compose with the character before them
 * (Hangul vowels and trailing consonants included). A text with none of them
 * is NFC already (the quick check of UAX #15).
 */
function nfcUnstableRuns() {
  const reorders = (a, b) => `x${a}${b}`.normalize('NFD') === `x${b}${a}`;
  const seconds = new Set();
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if ((cp >= 0xd800 && cp <= 0xdfff) || isHangulSyllable(cp)) continue;
    const c = String.fromCodePoint(cp);
    const full = c.normalize('NFD');
    if (full !== c && c.normalize('NFC') === c) seconds.add(codePoints(full).pop());
  }
  return runsOf((cp) => {
    const c = String.fromCodePoint(cp);
    const changes = c.normalize('NFC') !== c;
    const nonStarter = c.normalize('NFD') === c && (reorders(c, '\u0334') || reorders('\u093c', c) || c === '\u0334');
    const jamo = (cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11a8 && cp <= 0x11c2);
    return changes || nonStarter || jamo || seconds.has(cp) ? 'U' : '';
  });
}

/** Sorted code points as base-36 gaps: `a.1.3`. */
function codeList(codes) {
  let previous = 0;
  return codes
    .map((cp) => {
      const text = b36(cp - previous);
      previous = cp;
      return text;
    })
    .join('.');
}

function codesMatching(pattern) {
  const out = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (pattern.test(String.fromCodePoint(cp))) out.push(cp);
  }
  return out;
}

const isHangulSyllable = (cp) => cp >= 0xac00 && cp <= 0xd7a3;
const codePoints = (text) => [...text].map((c) => c.codePointAt(0));

/**
 * Canonical decompositions (Hangul syllables apart: the template computes
 * those): `<gap>+<first>.<second>` for a primary composite (its one-step
 * decomposition, which NFC composes back), `<gap>=<code>…` for the others
 * (singletons and composition exclusions), decomposed all the way.
 */
function decompositions() {
  const entries = [];
  let previous = 0;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if ((cp >= 0xd800 && cp <= 0xdfff) || isHangulSyllable(cp)) continue;
    const c = String.fromCodePoint(cp);
    const full = c.normalize('NFD');
    if (full === c) continue;
    let text;
    if (c.normalize('NFC') === c) {
      const parts = codePoints(full);
      const last = parts.pop();
      const first = String.fromCodePoint(...parts).normalize('NFC');
      text = `+${b36(first.codePointAt(0))}.${b36(last)}`;
      if ([...first].length !== 1) throw new Error(`U+${b36(cp)}: no one-step decomposition`);
    } else {
      text = `=${codePoints(full).map(b36).join('.')}`;
    }
    entries.push(b36(cp - previous) + text);
    previous = cp;
  }
  return entries.join(',');
}

/**
 * Canonical combining classes, as ranks (their order is all NFC reads):
 * groups of code points joined by `|`, lowest class first. The classes are
 * found by asking NFD which of two marks goes first.
 */
function combiningClassRanks() {
  const reorders = (a, b) => `x${a}${b}`.normalize('NFD') === `x${b}${a}`;
  const nonStarters = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (c.normalize('NFD') !== c) continue;
    // Above class 1 it goes after U+0334 (class 1); classes 1 to 6 go before U+093C (class 7).
    if (reorders(c, '\u0334') || reorders('\u093c', c) || c === '\u0334') nonStarters.push(c);
  }
  const compare = (a, b) => (reorders(a, b) ? 1 : reorders(b, a) ? -1 : 0);
  nonStarters.sort((a, b) => compare(a, b) || a.codePointAt(0) - b.codePointAt(0));
  const groups = [];
  for (const c of nonStarters) {
    const group = groups[groups.length - 1];
    if (group && compare(group[0], c) === 0) group.push(c);
    else groups.push([c]);
  }
  const codes = (group) => group.map((c) => c.codePointAt(0)).sort((a, b) => a - b);
  return groups.map((group) => codeList(codes(group))).join('|');
}

const literal = (value) => JSON.stringify(value);

/** The server template's generated block. */
export async function serverTables() {
  const sdk = await loadSdkTables();
  const lines = [
    `// Generated by scripts/build-gtm.mjs from the SDK's modules and Unicode ${process.versions.unicode}: do not edit.`,
    `const CALLING_CODES = ${literal(sdk.CALLING_CODES)};`,
    `const CODE_BY_KEY = ${literal(codeByKey(sdk.REGIONS, sdk.regionKey))};`,
    `const HASHED_FIELDS = ${literal(hashedFields(sdk.FIELD_LIST))};`,
    `const HOSTS = ${literal(sdk.HOSTS)};`,
    `const DEFAULT_PII_PARAMS = ${literal(sdk.DEFAULT_PII_PARAMS)};`,
    `const DEFAULT_CLICK_IDS = ${literal(Object.entries(sdk.DEFAULT_CLICK_IDS))};`,
    `const DEFAULT_CAMPAIGN_PARAMS = ${literal(sdk.DEFAULT_CAMPAIGN_PARAMS)};`,
    `const EMPTY_HASH = ${literal(sdk.EMPTY_HASH)};`,
    `const MAX_PII_LENGTH = ${sdk.MAX_PII_LENGTH};`,
    `const VISITOR_COOKIE = ${literal(sdk.VISITOR_COOKIE)};`,
    `const SESSION_COOKIE = ${literal(sdk.SESSION_COOKIE)};`,
    `const VISITOR_LIFETIME_MS = ${sdk.VISITOR_LIFETIME_MS};`,
    `const SESSION_TIMEOUT_MS = ${sdk.SESSION_TIMEOUT_MS};`,
    `const DEFAULT_PLATFORM = ${literal(sdk.DEFAULT_PLATFORM)};`,
    `const UNICODE_CATEGORIES = ${literal(categoryRuns())};`,
    `const UNICODE_NFC_UNSTABLE = ${literal(nfcUnstableRuns())};`,
    `const UNICODE_SPACES = ${literal(codeList(codesMatching(/\s/u)))};`,
    `const UNICODE_DASHES = ${literal(codeList(codesMatching(/\p{Pd}/u)))};`,
    `const UNICODE_DECOMPOSITIONS = ${literal(decompositions())};`,
    `const UNICODE_COMBINING_RANKS = ${literal(combiningClassRanks())};`,
  ];
  return lines.join('\n');
}

/** A shared file as pasted: without the comments that only tell ESLint about the sandbox's globals. */
const sharedCode = (name) =>
  readFileSync(path(`gtm/shared/${name}`), 'utf8')
    .replace(/^\/\* (global|eslint-disable) .*\*\/\n/gm, '')
    .trimEnd();

/** Replaces what lies between `// BEGIN <name>` and `// END <name>` (lines of their own). */
function fill(text, name, block) {
  const begin = `// BEGIN ${name}\n`;
  const end = `\n// END ${name}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`no ${name} block`);
  return text.slice(0, from + begin.length) + block + text.slice(to);
}

/** Each template's text as this build writes it. */
export async function generatedTemplates() {
  const shared = sharedCode('ga4.js');
  const { version } = JSON.parse(readFileSync(path('package.json'), 'utf8'));
  const scriptUrl = `const DEFAULT_SCRIPT_URL = ${literal(pinnedScriptUrl(version))};`;
  const tables = await serverTables();
  const web = path('gtm/web/template.tpl');
  const server = path('gtm/server/template.tpl');
  return {
    [web]: fill(fill(readFileSync(web, 'utf8'), 'shared/ga4.js', shared), 'tag script', scriptUrl),
    [server]: fill(fill(readFileSync(server, 'utf8'), 'shared/ga4.js', shared), 'tables', tables),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of Object.entries(await generatedTemplates())) {
    if (readFileSync(file, 'utf8') === text) continue;
    stale++;
    if (check) console.error(`${file} is stale: run npm run build:gtm`);
    else writeFileSync(file, text);
  }
  if (check && stale) process.exit(1);
}
