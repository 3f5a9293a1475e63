/**
 * examples/react-spa, built by Vite with React's development runtime (so
 * <StrictMode> really runs mount effects twice), in real Chromium against the
 * receiver: `usePageView` sends one page view per navigation and `useOrder`
 * one order however often the thank-you page is reloaded.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';
import { REPO_ROOT } from './helpers/paths.js';
import { API_KEY } from './helpers/rig.js';
import { walkShop } from './helpers/shop-walk.js';
import { vendorOrderItems } from '../helpers/vendor.js';

const APP_ROOT = join(REPO_ROOT, 'examples', 'react-spa');
const BASE = '/react/';
let outDir: string | undefined;

/** The built app under /react/: its files, and index.html for every client-side route. */
function serveApp(response: ServerResponse, pathname: string): boolean {
  if (!outDir || !pathname.startsWith(BASE)) return false;
  const wanted = normalize(join(outDir, pathname.slice(BASE.length)));
  const file =
    wanted.startsWith(outDir + sep) && existsSync(wanted) && statSync(wanted).isFile()
      ? wanted
      : join(outDir, 'index.html');
  const type = extname(file) === '.js' ? 'text/javascript' : 'text/html; charset=utf-8';
  response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  createReadStream(file).pipe(response);
  return true;
}

const browserRig = useBrowserRig({ site: { handle: (_request, response, url) => serveApp(response, url.pathname) } });

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'symbiosys-react-spa-'));
  // The app reads its key and endpoint from Vite's env at build time, as a user's build would.
  const saved = { key: process.env['VITE_SYMBIOSYS_KEY'], endpoint: process.env['VITE_SYMBIOSYS_ENDPOINT'] };
  process.env['VITE_SYMBIOSYS_KEY'] = API_KEY;
  process.env['VITE_SYMBIOSYS_ENDPOINT'] = browserRig.rig.receiver.url;
  try {
    await build({
      root: APP_ROOT,
      configFile: join(APP_ROOT, 'vite.config.js'),
      base: BASE,
      mode: 'development',
      logLevel: 'error',
      // React's development build: the one where StrictMode doubles effects.
      define: { 'process.env.NODE_ENV': JSON.stringify('development') },
      build: { outDir: dir, emptyOutDir: true, minify: false, reportCompressedSize: false },
    });
  } finally {
    for (const [name, value] of [
      ['VITE_SYMBIOSYS_KEY', saved.key],
      ['VITE_SYMBIOSYS_ENDPOINT', saved.endpoint],
    ] as const) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  }
  outDir = dir;
}, 60_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const app = (path = '') => `${browserRig.rig.site.url}${BASE}${path}`;
const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';
const isOrder = (event: ReceivedEvent): event is ReceivedEventOf<'order'> => event.event === 'order';
const pageViewPaths = () =>
  browserRig.rig.receiver.events.filter(isPageView).map((event) => event.pageUrl?.replace(app(), '/'));
const sdkLog = (page: Page) => page.locator('#sdk-log li').allTextContents();
/** Long enough for a second request, had one been made, to reach the receiver. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 300));

const SENT = 'page_view: sent (beacon)';

/**
 * Runs before the page's scripts: a stand-in for React DevTools' global hook,
 * which React DOM calls with its build type (1: development, where
 * StrictMode doubles effects; 0: production).
 */
function recordReactBuild() {
  const seen = window as unknown as { reactBundleType?: number; __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown };
  seen.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject: (renderer: { bundleType: number }) => {
      seen.reactBundleType = renderer.bundleType;
      return 1;
    },
    onCommitFiberRoot: () => undefined,
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    checkDCE: () => undefined,
  };
}

describe('React SPA example under StrictMode, with the hooks (Vite build, Chromium)', () => {
  it('4 route changes: exactly 5 page views, each with its own URL', async () => {
    const page = await browserRig.newPage();
    await page.addInitScript(recordReactBuild);
    await page.goto(app());
    await expect.poll(pageViewPaths, { timeout: 5000 }).toEqual(['/']);
    expect(await page.evaluate(() => (window as unknown as { reactBundleType?: number }).reactBundleType)).toBe(1);

    await walkShop(page, (path) => app(path.slice(1)), pageViewPaths, 5000);
    await quiet();
    expect(pageViewPaths()).toEqual(['/', '/product/170830', '/cart', '/', '/product/310552']);
    // The hook called track once per page: StrictMode's second effect run never reached the SDK.
    expect(await sdkLog(page)).toEqual(Array<string>(5).fill(SENT));
    const products = browserRig.rig.receiver.events.filter(isPageView).map((event) => event.record.product_id);
    expect(products).toEqual([undefined, '170830', undefined, undefined, '310552']);
  });

  it('the thank-you route sends its order once, through StrictMode and three reloads', async () => {
    const { receiver } = browserRig.rig;
    const page = await browserRig.newPage();
    await page.goto(app('product/170830'));
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('link', { name: 'Cart' }).click();
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByLabel('Email').fill('pat@example.com');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/react\/thank-you\?order=\d+$/);
    const orderId = new URL(page.url()).searchParams.get('order')!;
    await receiver.waitFor((event) => isOrder(event) && event.record.order_id === orderId);
    await expect
      .poll(async () => (await sdkLog(page)).filter((line) => line.startsWith('order:')).sort(), { timeout: 5000 })
      .toEqual(['order: sent (fetch)']);

    for (let reload = 1; reload <= 3; reload++) {
      await page.reload();
      await expect
        .poll(async () => (await sdkLog(page)).filter((line) => line.startsWith('order:')), {
          message: `reload ${reload}`,
          timeout: 5000,
        })
        .toEqual(['order: dropped (duplicate)']);
    }
    await quiet();
    const orders = receiver.events.filter(isOrder);
    expect(orders.map((order) => order.record.order_id)).toEqual([orderId]);
    // The shop's product is the vendor document's example item.
    expect(orders[0]!.record.items).toEqual(vendorOrderItems().slice(0, 1));
    // Page views: product, cart, checkout, thank-you, and one per reload.
    expect(pageViewPaths()).toEqual([
      '/product/170830',
      '/cart',
      '/checkout',
      ...Array<string>(4).fill(`/thank-you?order=${orderId}`),
    ]);
  });
});
