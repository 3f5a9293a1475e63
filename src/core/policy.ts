/**
 * The delivery policy, one for the browser and the server: what an answer
 * means for an event, and how long to wait before trying again. The browser's
 * delivery and the server's sender each bring their own loop (a persisted
 * outbox that outlives the page; ky's retries for one request), and both ask
 * these questions here.
 */

/** What became of one attempt. */
export type Verdict =
  /** 2xx: the API has it. */
  | 'delivered'
  /** 408, 429, 5xx, or no answer at all: worth another try. */
  | 'retry'
  /** 400 and every other refusal: the data will not be taken; never retried. */
  | 'rejected'
  /** 403: the API key was refused; nothing more may be sent with it. */
  | 'forbidden';

/**
 * The verdict on an HTTP status, as `docs/contract.md` states it: "A 400 or
 * 403 is never retried; a network failure, timeout, 429 or 5xx is." A 408
 * (the server timed the request out) is a timeout too.
 */
export function classify(status: number): Verdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 403) return 'forbidden';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

export interface BackoffOptions {
  /** The wait after the first failed attempt, before jitter. */
  baseMs: number;
  /** The longest wait, before jitter. */
  maxMs: number;
  /** @default Math.random */
  random?: () => number;
}

/**
 * How long to wait after failed attempt number `attempt` (1 for the first):
 * exponential from `baseMs`, capped at `maxMs`, with jitter over the upper
 * half (so many clients hit by one outage do not retry in step, and no wait
 * collapses to nothing), and never shorter than the server's `Retry-After`.
 */
export function backoff(attempt: number, options: BackoffOptions, retryAfterMs?: number): number {
  const { baseMs, maxMs, random = Math.random } = options;
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.max(retryAfterMs ?? 0, jittered);
}

/** `Retry-After` in seconds or as an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
