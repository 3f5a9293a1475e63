/**
 * A faulty Event API (msw, for happy-dom): each GET gets the next planned
 * fault, then 200s. It keeps every attempt and, apart, what was delivered
 * (answered 2xx), keyed by `oid` for orders and `prodid` for page views, so a
 * test can say "each event delivered exactly once".
 */
import { afterAll, afterEach, beforeEach, expect, vi } from 'vitest';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SymbiosysClient, type ClientOptions } from '@acme/symbiosys';
import { OUTBOX_PREFIX, type OutboxEntry } from '../../src/browser/outbox.js';
import { keepingErrors } from '../helpers/errors-kept.js';

export type Fault = number | { status: number; retryAfter?: string } | 'network' | 'hang';

const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS' };

export interface Attempt {
  path: string;
  key: string;
  at: number;
  answer: number | 'network' | 'hang';
}

function keyOf(url: URL): string {
  return url.searchParams.get('oid') ?? url.searchParams.get('prodid') ?? '?';
}

export function startFaultyApi() {
  const attempts: Attempt[] = [];
  const delivered: string[] = [];
  let plan: Fault[] = [];
  const answer = async (request: Request) => {
    const url = new URL(request.url);
    const key = keyOf(url);
    const fault = plan.shift();
    const at = Date.now();
    if (fault === 'network') {
      attempts.push({ path: url.pathname, key, at, answer: 'network' });
      return HttpResponse.error();
    }
    if (fault === 'hang') {
      attempts.push({ path: url.pathname, key, at, answer: 'hang' });
      await delay('infinite');
      return HttpResponse.error(); // Never reached: the client gives up first.
    }
    const spec: { status: number; retryAfter?: string } =
      fault === undefined ? { status: 200 } : typeof fault === 'number' ? { status: fault } : fault;
    attempts.push({ path: url.pathname, key, at, answer: spec.status });
    if (spec.status >= 200 && spec.status < 300) delivered.push(key);
    const headers: Record<string, string> = { ...CORS };
    if (spec.retryAfter !== undefined) headers['Retry-After'] = spec.retryAfter;
    return new HttpResponse(spec.status === 200 ? '{"ok":true}' : 'no', { status: spec.status, headers });
  };
  const server = setupServer(
    http.options('*', () => new HttpResponse(null, { status: 204, headers: CORS })),
    http.get('*/page_viewjs', ({ request }) => answer(request)),
    http.get('*/orderjs', ({ request }) => answer(request)),
  );
  server.listen({ onUnhandledRequest: 'error' });
  return {
    attempts,
    delivered,
    /** The next requests get these faults, in turn (whatever their event), then 200s. */
    plan(...faults: Fault[]) {
      plan = [...faults];
    },
    /** How many times each key was delivered. */
    counts(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const key of delivered) counts.set(key, (counts.get(key) ?? 0) + 1);
      return counts;
    },
    reset() {
      attempts.length = 0;
      delivered.length = 0;
      plan = [];
    },
    close: () => server.close(),
  };
}

export type FaultyApi = ReturnType<typeof startFaultyApi>;

/** A client on fetch only (beacons cannot be confirmed), with fast retries and its errors kept. */
export function faultClient(options: Partial<ClientOptions> = {}) {
  return keepingErrors(
    (onError) =>
      new SymbiosysClient({
        apiKey: 'test-key',
        endpoint: 'https://collect.test',
        transport: 'fetch',
        retryBaseMs: 20,
        onError,
        ...options,
      }),
  );
}

export const order = (id: string) => ({
  order_id: id,
  items: [{ product_id: 'p1', quantity: 1, regular_unit_price: 5 }],
});

/** Empties storage and cookies between tests. */
export function resetBrowser(): void {
  localStorage.clear();
  for (const part of document.cookie.split(';')) {
    const name = part.split('=')[0]?.trim();
    if (name) document.cookie = `${name}=; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Path=/`;
  }
}

/** Counts what reaches the page's own error handlers: it must stay zero. */
export function watchPage() {
  const seen: unknown[] = [];
  const onError = (e: Event) => seen.push((e as ErrorEvent).error ?? e);
  const onRejection = (e: Event) => seen.push((e as PromiseRejectionEvent).reason ?? e);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  const onNode = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', onNode);
  return {
    seen,
    stop() {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
      process.off('unhandledRejection', onNode);
    },
  };
}

/**
 * The file's faulty API, with each test on a fresh browser (storage, cookies)
 * that the page watch guards: nothing may reach the page's error handlers.
 */
export function useFaultyApi(): FaultyApi {
  const api = startFaultyApi();
  let page: ReturnType<typeof watchPage> | undefined;
  beforeEach(() => {
    resetBrowser();
    page = watchPage();
  });
  afterEach(() => {
    page?.stop();
    expect(page?.seen).toEqual([]); // Nothing thrown into the page, ever.
    api.reset();
    vi.restoreAllMocks();
  });
  afterAll(() => api.close());
  return api;
}

/** Polls until `check` holds (real time), or gives up after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

/** The outbox entries in localStorage (one key each), oldest first, as the next page load would find them. */
export function storedEntries(): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(OUTBOX_PREFIX)) entries.push(JSON.parse(localStorage.getItem(key)!) as OutboxEntry);
  }
  return entries.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}
