// First step of `npm test` and `npm run demo`, so each works on a fresh clone:
// installs the locked dependencies when node_modules is missing, and Debian's
// Chromium (for the real-browser tests and the headless demo) when it is absent.
// Uses only Node built-ins: it runs before anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const run = (command) => execSync(command, { cwd: root, stdio: 'inherit' });

const lock = statSync(new URL('../package-lock.json', import.meta.url)).mtimeMs;
const installed = existsSync(new URL('../node_modules/.package-lock.json', import.meta.url))
  ? statSync(new URL('../node_modules/.package-lock.json', import.meta.url)).mtimeMs
  : 0;
if (installed < lock) {
  console.log('setup: installing dependencies (npm ci)');
  run('npm ci --no-audit --no-fund');
}

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() === 0) {
    console.log('setup: installing Chromium from Debian (apt-get install chromium)');
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
  } else {
    console.error(`setup: ${CHROMIUM} is missing. Install it: sudo apt-get install -y chromium`);
    process.exit(1);
  }
}
