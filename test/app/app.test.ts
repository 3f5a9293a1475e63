/**
 * The app route, under Node acting as an app: `SymbiosysAppClient` over an
 * AsyncStorage-shaped store, sending to the project's receiver on 127.0.0.1.
 * Screen views and orders go as POST with `platform: "app"` and the app's
 * user agent; ids outlive a restart; an app killed offline delivers its
 * order on its next start, exactly once; `track` never waits on storage.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startReceiver } from '../../src/receiver/index.js';
import type { Receiver } from '../../src/receiver/index.js';
import { SymbiosysAppClient, flushInBackground } from '../../src/react-native/index.js';
import type { AppClientOptions, AsyncStorageLike, SymbiosysError } from '../../src/react-native/index.js';
import { fileStorage, memoryStorage } from './storage.js';

const USER_AGENT = 'ShopApp/3.4.5 (com.example.shop; iOS 17.2)';
const ITEMS = [{ product_id: '170830', quantity: 1, regular_unit_price: 10 }];
const MINUTE = 60_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const offline: typeof fetch = () => Promise.reject(new TypeError('Network request failed'));

let receiver: Receiver;
let errors: SymbiosysError[];
beforeAll(async () => {
  receiver = await startReceiver({ quiet: true, apiKeys: ['test-key'] });
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.clear();
  errors = [];
});
afterEach(() => {
  vi.useRealTimers();
});

function app(storage: AsyncStorageLike, options: Partial<AppClientOptions> = {}): SymbiosysAppClient {
  return new SymbiosysAppClient({
    apiKey: 'test-key',
    endpoint: receiver.url,
    storage,
    userAgent: USER_AGENT,
    retry: { limit: 0 },
    onError: (error) => errors.push(error),
    ...options,
  });
}

const order = (orderId: string) => ({ order_id: orderId, items: ITEMS, customer: { email: 'Jane@Example.com' } });
const records = () => receiver.events.map((event) => event.record as unknown as Record<string, unknown>);
const orderIds = () => records().flatMap((record) => (typeof record.order_id === 'string' ? [record.order_id] : []));

describe('the wire', () => {
  it('a screen view and an order: POST /page_view and POST /orders, platform app, the user agent; the receiver takes both', async () => {
    const client = app(memoryStorage());
    expect(client.track('page_view', { page_view_url: 'myapp://product/170830', product_id: '170830' })).toEqual({
      status: 'queued',
      errors: [],
    });
    client.identify({ email: 'jane@example.com', country: 'US' });
    expect(client.track('order', order('238476923')).status).toBe('queued');
    await client.flush();

    expect(receiver.requests.map((request) => [request.method, request.path, request.status])).toEqual([
      ['POST', '/page_view', 200],
      ['POST', '/orders', 200],
    ]);
    const [pageView, placed] = records() as [Record<string, unknown>, Record<string, unknown>];
    for (const record of [pageView, placed]) {
      expect(record.platform).toBe('app');
      expect(record.user_agent).toBe(USER_AGENT);
      expect(record.visitor_id).toMatch(/^[0-9a-f]{45}$/);
      expect(record.session_id).toMatch(/^\d{13}$/);
    }
    expect(placed.visitor_id).toBe(pageView.visitor_id);
    expect(placed.session_id).toBe(pageView.session_id);
    expect(Object.keys(pageView).sort()).toEqual(
      ['page_view_ts', 'page_view_url', 'platform', 'product_id', 'session_id', 'user_agent', 'visitor_id'].sort(),
    );
    expect(pageView.page_view_url).toBe(encodeURIComponent('myapp://product/170830'));
    // The order's customer, normalized and hashed as every entry does; the signed-in user's as *_user.
    expect(placed.hashed_email).toBe(sha256('jane@example.com'));
    expect(placed.hashed_email_user).toBeUndefined();
    expect(placed.order_id).toBe('238476923');
    expect(placed.items).toEqual([{ product_id: '170830', quantity: 1, regular_unit_price: 10 }]);
    expect(errors).toEqual([]);
  });

  it('refuses what it cannot send at once, and never throws', () => {
    const client = app(memoryStorage());
    expect(client.track('order', { items: ITEMS } as never).status).toBe('invalid');
    expect(client.track('purchase' as never, {} as never).status).toBe('invalid');
    expect(errors.map((error) => error.field)).toEqual(['order_id', 'event']);
  });
});

describe('ids', () => {
  it('a restart keeps the visitor and the session', async () => {
    const data = new Map<string, string>();
    const first = app(memoryStorage(data));
    first.track('page_view', { page_view_url: 'myapp://home' });
    await first.close();
    const second = app(memoryStorage(data));
    second.track('page_view', { page_view_url: 'myapp://cart' });
    await second.flush();
    const [before, after] = records() as [Record<string, unknown>, Record<string, unknown>];
    expect(after.visitor_id).toBe(before.visitor_id);
    expect(after.session_id).toBe(before.session_id);
  });

  it("a session ends after 30 idle minutes, or when the clock goes back more than 30; 29 idle minutes, or a minute back, keep it (the browser's rule)", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.UTC(2026, 11, 7, 9, 0, 0);
    vi.setSystemTime(start);
    const client = app(memoryStorage());
    const at = async (ms: number) => {
      vi.setSystemTime(ms);
      client.track('page_view', { page_view_url: 'myapp://home' });
      await client.flush();
    };
    await at(start);
    await at(start + 29 * MINUTE);
    await at(start + 59 * MINUTE);
    await at(start + 58 * MINUTE);
    await at(start + 27 * MINUTE);
    expect(records().map((record) => record.session_id)).toEqual([
      String(start),
      String(start),
      String(start + 59 * MINUTE),
      String(start + 59 * MINUTE),
      String(start + 27 * MINUTE),
    ]);
    expect(new Set(records().map((record) => record.visitor_id)).size).toBe(1);
  });
});

/** One device's storage: each call opens another handle on it, as each start of the app does. */
type Device = () => AsyncStorageLike & { kill(): void };

describe.each([
  [
    'memory',
    (): Device => {
      const data = new Map<string, string>();
      return () => memoryStorage(data);
    },
  ],
  ['a file', (): Device => () => ({ ...fileStorage(join(directory, 'storage.json')), kill: () => undefined })],
])('storage in %s', (_name, device) => {
  it('an app killed offline sends its order on the next start, exactly once; no raw PII is stored', async () => {
    const makeStorage = device();
    const killed = makeStorage();
    const first = app(killed, { fetch: offline });
    first.identify({ email: 'jane@example.com', first_name: 'Jane' });
    first.track('order', order('offline-1'));
    await first.flush();
    killed.kill();
    expect(orderIds()).toEqual([]);

    const storage = makeStorage();
    const stored = JSON.stringify(
      await Promise.all(['ids', 'outbox'].map((key) => storage.getItem(`@acme/symbiosys:${key}`))),
    );
    expect(stored).toContain('offline-1');
    expect(stored.toLowerCase()).not.toMatch(/jane|example\.com/);

    await app(storage).flush();
    await app(makeStorage()).flush();
    expect(orderIds()).toEqual(['offline-1']);
    expect(await storage.getItem('@acme/symbiosys:outbox')).toBeNull();
    expect(errors).toEqual([]);
  });
});

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'symbiosys-app-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('storage never holds up track', () => {
  it('with a storage taking 300 ms a call, tracks return at once, queued; all arrive, with the same ids', async () => {
    const storage = memoryStorage(new Map(), 300);
    const client = app(storage);
    const started = performance.now();
    const results = Array.from({ length: 20 }, (_, n) => client.track('order', order(`slow-${n}`)).status);
    // Twenty synchronous calls; the storage's first answer is 300 ms away.
    expect(performance.now() - started).toBeLessThan(300);
    expect(results.every((status) => status === 'queued')).toBe(true);
    expect(storage.calls.filter((call) => !call.startsWith('get'))).toEqual([]);
    await client.flush();
    expect(orderIds()).toEqual(Array.from({ length: 20 }, (_, n) => `slow-${n}`));
    expect(new Set(records().map((record) => `${String(record.visitor_id)} ${String(record.session_id)}`)).size).toBe(
      1,
    );
  });
});

describe('a bounded outbox', () => {
  it('drops the oldest page view first, each drop reported; full of orders, the new event is refused', async () => {
    const data = new Map<string, string>();
    const client = app(memoryStorage(data), { fetch: offline, maxQueueSize: 3 });
    await client.flush();
    client.track('page_view', { page_view_url: 'myapp://1' });
    client.track('page_view', { page_view_url: 'myapp://2' });
    client.track('order', order('o1'));
    client.track('order', order('o2'));
    client.track('order', order('o3'));
    expect(client.track('order', order('o4')).status).toBe('dropped');
    expect(errors.map((error) => error.code)).toEqual(['queue_full', 'queue_full', 'queue_full']);
    await client.flush();
    await app(memoryStorage(data)).flush();
    expect(orderIds()).toEqual(['o1', 'o2', 'o3']);
    expect(receiver.events.filter((event) => event.event === 'page_view')).toEqual([]);
  });
});

describe('leaving the foreground', () => {
  it('flushInBackground flushes when AppState turns to background, until stopped', async () => {
    const client = app(memoryStorage(), { maxQueueSize: 10 });
    let listener: ((state: string) => void) | undefined;
    const appState = {
      addEventListener: (_type: 'change', handler: (state: string) => void) => {
        listener = handler;
        return { remove: () => (listener = undefined) };
      },
    };
    const stop = flushInBackground(client, appState);
    await client.flush();
    client.track('order', order('bg-1'));
    listener?.('active');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // An order waits for its batch (1 s) while the app is in front.
    expect(orderIds()).toEqual([]);
    listener?.('background');
    await receiver.waitFor((event) => event.event === 'order');
    expect(orderIds()).toEqual(['bg-1']);
    stop();
    expect(listener).toBeUndefined();
  });

  it('close() by its deadline keeps what is undelivered for the next start', async () => {
    const data = new Map<string, string>();
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const first = app(memoryStorage(data), {
      fetch: (request) => hanging(request, { signal: (request as Request).signal }),
    });
    first.track('order', order('late-1'));
    const started = Date.now();
    expect(await first.close({ timeoutMs: 300 })).toEqual({ ok: false, kept: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
    await app(memoryStorage(data)).flush();
    expect(orderIds()).toEqual(['late-1']);
  });
});
