/**
 * `fetch` replaced, for the whole test file, by a recorder that answers 200 at
 * once: for tests about what the SDK would send, not about delivery (a real
 * collector is in collector.ts).
 */
import { afterAll, beforeAll } from 'vitest';

const urlOf = (input: RequestInfo | URL): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

/** The URLs fetched while the file's tests run, in order; empty it between cases with `length = 0`. */
export function recordFetch(): string[] {
  const sent: string[] = [];
  const realFetch = globalThis.fetch;
  beforeAll(() => {
    globalThis.fetch = (input: RequestInfo | URL) => {
      sent.push(urlOf(input));
      return Promise.resolve(new Response(null, { status: 200 }));
    };
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });
  return sent;
}
