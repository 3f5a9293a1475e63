/**
 * Main-thread cost of the delivery path in Chromium, with 100 entries waiting
 * in the persisted outbox (one localStorage key each).
 * Prints the figures; asserts only that each operation did its work.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useBrowserRig } from './helpers/hooks.js';

const browserRig = useBrowserRig();
const root = fileURLToPath(new URL('../../', import.meta.url));

async function outboxBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: "import { Outbox } from './src/browser/outbox.ts'; window.Outbox = Outbox;",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
  });
  return result.outputFiles[0]!.text;
}

describe('delivery path cost (printed, in µs)', () => {
  it('outbox operations and a whole track() with 100 queued entries', async () => {
    const page = await browserRig.newPage();
    await page.goto(`${browserRig.rig.site.url}/fixtures/delivery.html?maxQueueSize=1000`);
    await page.addScriptTag({ content: await outboxBundle() });
    const figures = await page.evaluate(() => {
      type Entry = {
        id: string;
        event: 'order' | 'page_view';
        url: string;
        createdAt: number;
        attempts: number;
        lease: number;
      };
      const Outbox = (window as unknown as { Outbox: new (o: unknown) => Record<string, (...a: unknown[]) => unknown> })
        .Outbox;
      localStorage.clear();
      const outbox = new Outbox({
        maxCount: 1000,
        maxBytes: 10_000_000,
        now: Date.now,
        onDrop: () => undefined,
        base: 'https://event.symbiosys.ai',
      });
      outbox.setPersistent!(true);
      // ~600-character URLs, as an order with a few items and hashed PII makes.
      const url = (i: number) =>
        `https://event.symbiosys.ai/${i % 2 ? 'orderjs' : 'page_viewjs'}?api_key=k&ts=${Date.now()}&oid=o-${i}&${'x'.repeat(560)}`;
      // What an event is to the outbox; it mints the entry's id.
      const event = (i: number) => ({ event: i % 2 ? 'order' : 'page_view', url: url(i), createdAt: Date.now() });
      const state = { attempts: 0, lease: 0 };
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) ids.push((outbox.add!(event(i), state) as Entry).id);
      const time = (runs: number, op: (i: number) => void) => {
        const start = performance.now();
        for (let i = 0; i < runs; i++) op(i);
        return ((performance.now() - start) * 1000) / runs;
      };
      const RUNS = 200;
      const add =
        time(RUNS, (i) => {
          outbox.remove!((outbox.add!(event(1000 + i), state) as Entry).id);
        }) / 2;
      const claim =
        time(RUNS, () => {
          outbox.takeWaiting!(30_000);
          outbox.release!((outbox.entries!() as Entry[]).map((e) => e.id));
        }) / 2;
      const patch = time(RUNS, (i) => outbox.patch!(ids[i % 100], { attempts: 1 }));
      const entries = time(RUNS, () => outbox.entries!());
      const count = (outbox.entries!() as Entry[]).length;
      const bytes = Object.keys(localStorage)
        .filter((key) => key.startsWith('_sym_outbox:'))
        .reduce((sum, key) => sum + (localStorage.getItem(key) ?? '').length, 0);
      outbox.clear!();
      return { add, claim, patch, entries, count, bytes };
    });

    // A whole track(): validation, ids, hashing, encoding and the outbox writes.
    // The synchronous part is what blocks the page: measured with the queue
    // drained (online, each awaited), then offline with 100 to 200 queued.
    const measureTracks = (prefix: string, warm: number) =>
      page.evaluate(
        async ({ prefix, warm }) => {
          const w = window as unknown as { track(e: string, i: unknown): Promise<unknown> };
          const order = (id: string) => ({
            order_id: id,
            customer: { email: 'a@b.example', phone: '+14155550100' },
            items: [{ product_id: 'p1', quantity: 1, regular_unit_price: 9.5 }],
          });
          for (let i = 0; i < warm; i++) await w.track('order', order(`${prefix}warm-${i}`));
          const samples: number[] = [];
          for (let i = 0; i < 100; i++) {
            const start = performance.now();
            const pending = w.track('order', order(`${prefix}${i}`));
            samples.push((performance.now() - start) * 1000);
            await pending;
          }
          samples.sort((a, b) => a - b);
          const queued = Object.keys(localStorage).filter((key) => key.startsWith('_sym_outbox:')).length;
          return { median: samples[50]!, p95: samples[95]!, queued };
        },
        { prefix, warm },
      );
    const drained = await measureTracks('on-', 20);
    await page.context().setOffline(true);
    const track = await measureTracks('off-', 100);

    console.log(
      `[delivery cost] outbox of ${figures.count} entries (${Math.round(figures.bytes / 1024)} KB in localStorage): ` +
        `add ${figures.add.toFixed(0)} µs, claim ${figures.claim.toFixed(0)} µs, patch ${figures.patch.toFixed(0)} µs, entries() ${figures.entries.toFixed(0)} µs; ` +
        `track(order) sync part, queue drained: median ${drained.median.toFixed(0)} µs, p95 ${drained.p95.toFixed(0)} µs; ` +
        `with 100-200 queued: median ${track.median.toFixed(0)} µs, p95 ${track.p95.toFixed(0)} µs`,
    );
    expect(figures.count).toBe(100);
    expect(figures.bytes).toBeGreaterThan(60_000);
    expect(drained.queued).toBe(0);
    expect(track.queued).toBe(200);
  });
});
