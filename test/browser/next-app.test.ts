/**
 * examples/next-app, as a user ships it: `next build` (Turbopack, type check,
 * static prerendering of the pages that use the hooks), then `next start`,
 * driven in real Chromium against the receiver. The page views come from
 * `usePageView` in the root layout (inside <Suspense>, as `useSearchParams`
 * requires), the browser's order from `useOrder` on the thank-you page, and
 * a second copy of the order from the app's route handler through
 * `@acme/symbiosys/server`, joined by the SDK's cookies.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedEvent, ReceivedEventOf } from '../../src/receiver/index.js';
import { useBrowserRig } from './helpers/hooks.js';
import { REPO_ROOT } from './helpers/paths.js';
import { API_KEY } from './helpers/rig.js';
import { walkShop } from './helpers/shop-walk.js';

const APP_DIR = join(REPO_ROOT, 'examples', 'next-app');
const NEXT_BIN = join(REPO_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
/** `next build` on two busy cores: about a minute alone, more beside the other test files. */
const BUILD_TIMEOUT_MS = 300_000;

const browserRig = useBrowserRig();
let server: ChildProcessWithoutNullStreams | undefined;
let shopUrl = '';

/**
 * Runs the Next.js CLI. The child exits when its stdin closes, so a `next
 * start` outlives neither this test file nor a crashed test worker.
 */
function runNext(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  const exitWithParent = "data:text/javascript,process.stdin.on('end',()=>process.exit(0)).resume()";
  return spawn(process.execPath, ['--import', exitWithParent, NEXT_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
}

/** Collects the output; resolves on a zero exit, rejects with the output otherwise. */
function finished(child: ChildProcessWithoutNullStreams): Promise<string> {
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`next exited with ${code}:\n${output}`)),
    );
  });
}

/** Resolves with the URL `next start` prints once it listens. */
function listening(child: ChildProcessWithoutNullStreams): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url && /Ready/.test(output)) resolve(url);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`next start exited with ${code}:\n${output}`)));
  });
}

beforeAll(async () => {
  const { receiver } = browserRig.rig;
  // NEXT_PUBLIC_ values are inlined into the browser's code at build time; the route handler reads the others at run time.
  const build = runNext(['build', APP_DIR], {
    NEXT_PUBLIC_SYMBIOSYS_KEY: API_KEY,
    NEXT_PUBLIC_SYMBIOSYS_ENDPOINT: receiver.url,
  });
  await finished(build);
  server = runNext(['start', APP_DIR, '--hostname', '127.0.0.1', '--port', '0'], {
    SYMBIOSYS_KEY: API_KEY,
    SYMBIOSYS_ENDPOINT: receiver.url,
  });
  shopUrl = await listening(server);
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server?.on('exit', resolve));
  server.stdin.end();
  server.kill('SIGTERM');
  await exited;
});

const isPageView = (event: ReceivedEvent): event is ReceivedEventOf<'page_view'> => event.event === 'page_view';
const isOrder = (event: ReceivedEvent): event is ReceivedEventOf<'order'> => event.event === 'order';
const events = () => browserRig.rig.receiver.events;
const pageViewPaths = () =>
  events()
    .filter(isPageView)
    .map((event) => event.pageUrl?.replace(shopUrl, ''));
/** Long enough for a request the page should not have made to reach the receiver. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 500));

describe('examples/next-app: next build, next start, Chromium', () => {
  it('4 route changes: exactly 5 page views, with the product on product pages', async () => {
    const page = await browserRig.newPage();
    await page.goto(`${shopUrl}/`);
    await expect.poll(pageViewPaths, { timeout: 10_000 }).toEqual(['/']);

    await walkShop(page, (path) => `${shopUrl}${path}`, pageViewPaths, 10_000);
    await quiet();
    expect(pageViewPaths()).toEqual(['/', '/product/170830', '/cart', '/', '/product/310552']);
    expect(
      events()
        .filter(isPageView)
        .map((event) => event.record.product_id),
    ).toEqual([undefined, '170830', undefined, undefined, '310552']);
    expect(events().filter(isOrder)).toEqual([]);
  });

  it('checkout: one order from the browser through 3 reloads of the thank-you page, one from the server', async () => {
    const { receiver } = browserRig.rig;
    const page = await browserRig.newPage();
    await page.goto(`${shopUrl}/product/170830`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('link', { name: 'Cart' }).click();
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByLabel('Email').fill('Pat@Example.com');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/thank-you\?order=\d+$/);
    const orderId = new URL(page.url()).searchParams.get('order')!;

    const fromBrowser = await receiver.waitFor(
      (event): event is ReceivedEventOf<'order'> => isOrder(event) && event.via !== 'POST',
      10_000,
    );
    const fromServer = await receiver.waitFor(
      (event): event is ReceivedEventOf<'order'> => isOrder(event) && event.via === 'POST',
      10_000,
    );
    for (let reload = 1; reload <= 3; reload++) {
      await page.reload();
      await page.getByRole('heading', { name: `Thank you for order ${orderId}` }).waitFor();
      await expect
        .poll(() => pageViewPaths().filter((path) => path?.startsWith('/thank-you')).length, {
          message: `reload ${reload}`,
          timeout: 10_000,
        })
        .toBe(1 + reload);
    }
    await quiet();

    const orders = events().filter(isOrder);
    const where = (order: ReceivedEventOf<'order'>) => `${order.path} ${order.record.order_id}`;
    expect(orders.filter((order) => order.via !== 'POST').map(where)).toEqual([`/orderjs ${orderId}`]);
    expect(orders.filter((order) => order.via === 'POST').map(where)).toEqual([`/orders ${orderId}`]);
    // The same order, the same shopper: the server read the browser's visitor and session from its cookies.
    const views = events().filter(isPageView);
    expect(fromServer.record).toMatchObject({
      visitor_id: views[0]!.record.visitor_id,
      session_id: views[0]!.record.session_id,
      hashed_email: fromBrowser.record.hashed_email,
      items: [{ product_id: '170830', quantity: 1, regular_unit_price: 10, discount_unit_price: 5 }],
    });
    expect(fromBrowser.record.hashed_email).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(views.map((view) => view.record.visitor_id)).size).toBe(1);
    expect(pageViewPaths()).toEqual([
      '/product/170830',
      '/cart',
      '/checkout',
      ...Array<string>(4).fill(`/thank-you?order=${orderId}`),
    ]);
  });
});
