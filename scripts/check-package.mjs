#!/usr/bin/env node
// `npm run check:package`: builds, packs the tarball a user would install, and checks it as published:
// publint (package.json against the files it names) and Are the Types Wrong (the types a TypeScript
// user gets for `import` and `require` of every entry, under node10, node16 CJS and ESM, and bundler
// resolution). Exits 1 on any problem; publint's warnings count as problems.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

function run(label, command, args) {
  console.log(`\n$ ${label}`);
  const { status, error } = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (error) throw error;
  return status === 0;
}

console.log('$ npm run build');
const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
if (build.status !== 0) {
  // tsup's log only when it failed: the checks below are what this command is about.
  console.error(build.stdout + build.stderr);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'symbiosys-check-'));
try {
  // The build above is the one packed: no second build through `prepack`.
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  );
  console.log(
    `\n${packed.filename}: ${packed.entryCount} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked`,
  );
  const tarball = join(dir, packed.filename);
  const ok = [
    run('publint --strict', bin('publint'), ['--strict', tarball]),
    // The package ships its own types: nothing to look up on DefinitelyTyped (and no network needed).
    run('attw', bin('attw'), ['--no-definitely-typed', tarball]),
  ].every(Boolean);
  console.log(ok ? '\ncheck:package: publint and attw found no problem' : '\ncheck:package: problems above');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
