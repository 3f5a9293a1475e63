#!/usr/bin/env node
// Builds this example's Android Hermes bundle offline, as an app's release
// build does, from the package as it would be published: packs the
// repository, installs the example beside it in a temporary directory, runs
// `EXPO_OFFLINE=1 expo export --platform android` (Metro resolves the
// `react-native` condition, hermesc compiles), and checks that the bytecode
// holds the SDK. Needs the npm registry for the install; nothing after it.
//
//   node examples/expo-app/check-export.mjs
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'symbiosys-expo-'));
const run = (command, args, cwd, env = {}) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });

try {
  run('npm', ['pack', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  const app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  for (const file of ['app.json', 'index.js', 'App.jsx']) copyFileSync(join(here, file), join(app, file));
  const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
  manifest.dependencies['@acme/symbiosys'] = `file:../${tarball}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund'], app);
  run('npx', ['expo', 'export', '--platform', 'android', '--output-dir', 'out'], app, { EXPO_OFFLINE: '1', CI: '1' });
  const dir = join(app, 'out/_expo/static/js/android');
  const bytecode = readdirSync(dir).find((name) => name.endsWith('.hbc'));
  if (!bytecode) throw new Error('expo export wrote no Hermes bytecode');
  if (!readFileSync(join(dir, bytecode)).includes('@acme/symbiosys:outbox')) {
    throw new Error(`${bytecode} does not hold the SDK`);
  }
  console.log(`expo export: ${bytecode} holds @acme/symbiosys/react-native, compiled by Hermes`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
