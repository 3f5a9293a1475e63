/**
 * The route walk both React example shops are tested with: from home, four
 * client-side route changes by link, each waited for until its page view has
 * arrived, so the count that follows is exact.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Link text -> the path it leads to: a product, the cart, home, another product. */
const STEPS: ReadonlyArray<[link: string, path: string]> = [
  ['Air Runner', '/product/170830'],
  ['Cart', '/cart'],
  ['Home', '/'],
  ['Court Cap', '/product/310552'],
];

/**
 * Clicks through the steps from the home page; after each, waits for the URL
 * (`urlOf(path)`) and for `pageViewPaths()` to list every path so far.
 */
export async function walkShop(
  page: Page,
  urlOf: (path: string) => string,
  pageViewPaths: () => readonly (string | undefined)[],
  timeoutMs: number,
): Promise<void> {
  const expected = ['/'];
  for (const [link, path] of STEPS) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await page.waitForURL(urlOf(path));
    expected.push(path);
    await expect.poll(pageViewPaths, { timeout: timeoutMs }).toEqual(expected);
  }
}
