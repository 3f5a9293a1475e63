/** Headless Chromium for the rig: Debian's /usr/bin/chromium driven by playwright-core. */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** `CHROMIUM_PATH` wins; CI installs Debian's package at the default. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Quiet and offline: no QUIC, no component updates, sync or background
 * fetches, so the only requests are the page's own (and the tests can assert
 * that nothing leaves the machine).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * One browser per test file or script; give each test its own context (fresh
 * cookies and storage). `extraArgs` go after CHROMIUM_ARGS.
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install Debian's \`chromium\` package (as .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
