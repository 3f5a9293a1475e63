/**
 * A one-page site on another origin than the receiver, as a storefront is:
 * served from 127.0.0.1 but opened as `http://localhost:<port>/`, against the
 * receiver's `http://127.0.0.1:<port>`, so every request from it is
 * cross-origin.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from '../browser/helpers/chromium.js';

export interface OtherOrigin {
  /** `http://localhost:<port>/` */
  readonly url: string;
  close(): Promise<void>;
}

export async function startOtherOrigin(title: string): Promise<OtherOrigin> {
  const server = createServer((_, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${title}</title>`),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a test file: a site on another origin titled `title` and a Chromium
 * (with `extraArgs`), started before its tests and closed after them.
 * `sitePage()` opens the site in a new page.
 */
export function useOtherOriginSite(title: string, extraArgs: readonly string[] = []) {
  let browser: Browser | undefined;
  let site: OtherOrigin | undefined;
  beforeAll(async () => {
    site = await startOtherOrigin(title);
    browser = await launchBrowser(extraArgs);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    get browser(): Browser {
      return browser!;
    },
    async sitePage(): Promise<Page> {
      const page = await browser!.newPage();
      await page.goto(site!.url);
      return page;
    },
  };
}
