/**
 * An msw stand-in for the Event API's GET endpoints on every host, recording
 * what arrives. happy-dom's sendBeacon sends a CORS preflight first (real
 * Chromium does not for a body-less beacon), so OPTIONS is answered too.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export interface Received {
  method: string;
  url: URL;
  path: string;
  params: Map<string, string>;
}

export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'content-type, api_key',
};

export function paramsOf(url: URL): Map<string, string> {
  return new Map([...url.searchParams.entries()]);
}

export function startCollector() {
  const received: Received[] = [];
  const record = (request: Request) => {
    const url = new URL(request.url);
    received.push({ method: request.method, url, path: url.pathname, params: paramsOf(url) });
  };
  const server = setupServer(
    http.options('*', () => new HttpResponse(null, { status: 204, headers: CORS_HEADERS })),
    http.all('*/page_viewjs', ({ request }) => {
      record(request);
      return new HttpResponse(null, { status: 200, headers: CORS_HEADERS });
    }),
    http.all('*/orderjs', ({ request }) => {
      record(request);
      return new HttpResponse(null, { status: 200, headers: CORS_HEADERS });
    }),
  );
  server.listen({ onUnhandledRequest: 'error' });
  return {
    server,
    received,
    /** Answers the next requests to `path` with these statuses, in turn, then 200s. */
    respondWith(
      path: string,
      ...statuses: Array<number | { status: number; headers?: Record<string, string>; body?: string } | 'network'>
    ) {
      const queue = [...statuses];
      server.use(
        http.all(`*${path}`, ({ request }) => {
          record(request);
          const next = queue.shift();
          if (next === undefined) return new HttpResponse(null, { status: 200, headers: CORS_HEADERS });
          if (next === 'network') return HttpResponse.error();
          const spec = typeof next === 'number' ? { status: next } : next;
          return new HttpResponse(spec.body ?? null, {
            status: spec.status,
            headers: { ...CORS_HEADERS, ...spec.headers },
          });
        }),
      );
    },
    async waitFor(count: number, timeoutMs = 3000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return received;
    },
    reset() {
      received.length = 0;
      server.resetHandlers();
    },
    close() {
      server.close();
    },
  };
}
