/**
 * Shared setup for the server tests: an msw stand-in for the POST endpoints
 * that records every request (headers and parsed body) and answers from a
 * script, and the vendor's POST examples turned back into server input.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { vendorPostExample } from '../helpers/vendor.js';

export const API_KEY = 'test_key_123';
export const BASE = 'https://event.symbiosys.ai';

export interface PostReceived {
  path: string;
  apiKey: string | null;
  contentType: string | null;
  body: unknown;
  bytes: number;
  at: number;
}

export type Answer = number | { status: number; headers?: Record<string, string> } | 'network' | 'hang';

export function startApi() {
  const received: PostReceived[] = [];
  const scripts = new Map<string, Answer[]>();
  const fallbacks = new Map<string, Answer>();
  const answer = async (path: string, request: Request) => {
    const text = await request.text();
    received.push({
      path,
      apiKey: request.headers.get('api_key'),
      contentType: request.headers.get('content-type'),
      body: JSON.parse(text),
      bytes: Buffer.byteLength(text),
      at: Date.now(),
    });
    const next = scripts.get(path)?.shift() ?? fallbacks.get(path);
    if (next === undefined) return new HttpResponse(null, { status: 200 });
    if (next === 'network') return HttpResponse.error();
    if (next === 'hang') {
      // Never answers, but gives up when the client aborts.
      await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
      return HttpResponse.error();
    }
    const spec = typeof next === 'number' ? { status: next } : next;
    return new HttpResponse(null, { status: spec.status, ...(spec.headers ? { headers: spec.headers } : {}) });
  };
  const server = setupServer(
    http.post('*/page_view', ({ request }) => answer('/page_view', request)),
    http.post('*/orders', ({ request }) => answer('/orders', request)),
  );
  server.listen({ onUnhandledRequest: 'error' });
  return {
    received,
    /** The next requests to `path` get these answers, in turn; then 200s. */
    script(path: '/page_view' | '/orders', ...answers: Answer[]) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers]);
    },
    /** Every request to `path` from now on gets this answer. */
    always(path: '/page_view' | '/orders', answer: Answer) {
      fallbacks.set(path, answer);
    },
    orders(): unknown[] {
      return received.filter((r) => r.path === '/orders').flatMap((r) => r.body as unknown[]);
    },
    reset() {
      received.length = 0;
      scripts.clear();
      fallbacks.clear();
    },
    close() {
      server.close();
    },
  };
}

export function vendorBody(path: '/page_view' | '/orders'): Record<string, unknown> {
  const { body } = vendorPostExample(path);
  return (Array.isArray(body) ? body[0] : body) as Record<string, unknown>;
}

/**
 * The vendor's example body as server input: its hashes fed back as
 * pre-hashed PII (`hashed_x_user` -> `user.x`, `hashed_x` -> `customer.x`),
 * its URL decoded as a user would pass it.
 */
export function inputFromVendor(path: '/page_view' | '/orders'): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const user: Record<string, unknown> = {};
  const customer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vendorBody(path))) {
    const hashed = /^hashed_(.+?)(_user)?$/.exec(key);
    if (hashed) {
      const owner = key === 'hashed_email' ? (path === '/orders' ? customer : user) : hashed[2] ? user : customer;
      owner[hashed[1] as string] = value;
    } else if (key === 'page_view_url') {
      input[key] = decodeURIComponent(value as string);
    } else {
      input[key] = value;
    }
  }
  if (Object.keys(user).length) input.user = user;
  if (Object.keys(customer).length) input.customer = customer;
  return input;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
