/**
 * Vitest wiring for a browser test file: one Chromium and one rig for the
 * file, a fresh context (cookies, storage) per test, the receiver emptied
 * before each test. Every context refuses requests that would leave the
 * machine and the test fails if a page tried one.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchBrowser } from './chromium.js';
import { startRig } from './rig.js';
import type { Rig, RigOptions } from './rig.js';

export interface BrowserRig {
  readonly browser: Browser;
  readonly rig: Rig;
  /** A page in a new context, closed after the test. */
  newPage(): Promise<Page>;
  /** A new context, closed after the test (for `context.route`). */
  newContext(): Promise<BrowserContext>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function useBrowserRig(options: RigOptions = {}): BrowserRig {
  let browser: Browser | undefined;
  let rig: Rig | undefined;
  let contexts: BrowserContext[] = [];
  let escaped: string[] = [];

  beforeAll(async () => {
    [browser, rig] = await Promise.all([launchBrowser(), startRig(options)]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), rig?.close()]);
  });
  beforeEach(() => {
    rig?.receiver.clear();
    escaped = [];
  });
  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
    expect(escaped, 'requests that would have left the machine').toEqual([]);
  });

  const newContext = async (): Promise<BrowserContext> => {
    if (!browser) throw new Error('the browser is not running (useBrowserRig must be called at the top of the file)');
    const context = await browser.newContext();
    contexts.push(context);
    // Registered first, so a test's own routes (registered later) take precedence.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK.has(url.hostname) || url.protocol === 'data:') return route.continue();
      escaped.push(url.href);
      return route.abort('blockedbyclient');
    });
    return context;
  };

  return {
    get browser() {
      if (!browser) throw new Error('the browser is not running yet');
      return browser;
    },
    get rig() {
      if (!rig) throw new Error('the rig is not running yet');
      return rig;
    },
    newContext,
    newPage: async () => (await newContext()).newPage(),
  };
}

/** The rig's fixture page with the ESM build loaded as `window.sdk` (and `window.SYMBIOSYS_CONFIG`). */
export async function openSdkPage(page: Page, siteUrl: string): Promise<void> {
  await page.goto(`${siteUrl}/fixtures/sdk.html`);
  await page.waitForFunction(() => 'sdk' in window);
}
