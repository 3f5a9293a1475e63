/**
 * The server client: validates and hashes each event, sends page views at
 * once (one `POST /page_view` each) and batches orders into `POST /orders`
 * by count, bytes and time. At most `concurrency` requests are in flight;
 * everything accepted and not yet settled counts against `maxQueueSize`, so
 * the heap stays bounded however slow the API is.
 */
import type { Queued } from '../core/dispatch/batch.js';
import { Dispatcher } from '../core/dispatch/dispatcher.js';
import { RETRY_DEFAULTS, TIMEOUT_DEFAULT_MS, fetchRequester, postJson } from '../core/dispatch/post.js';
import type { RetryOptions } from '../core/dispatch/post.js';
import { DeliveryError, DropError, InputError } from '../core/errors.js';
import type { SymbiosysError } from '../core/errors.js';
import { baseUrl } from '../core/hosts.js';
import type { Environment, Region } from '../core/hosts.js';
import type { PostEvent } from '../core/post-encoder.js';
import { buildPostEvent } from './input.js';
import type { ServerEventName, ServerInputs } from './input.js';
import { nodeRequester } from './sender.js';

/**
 * Receives every problem, typed, with the POST bodies it concerns (already
 * hashed: safe to log or to keep for a later resend). Input errors carry no
 * events; delivery and drop errors carry the events that were not delivered.
 */
export type ServerErrorHandler = (error: SymbiosysError, events: readonly PostEvent[]) => void;

export interface BatchOptions {
  /**
   * Orders per `POST /orders` request.
   * @default 100
   */
  maxCount?: number;
  /**
   * Upper bound of one `POST /orders` body, in UTF-8 bytes. A single larger order still goes, alone.
   * @default 500_000
   */
  maxBytes?: number;
  /**
   * How long the first order of a batch waits for company before the batch is sent.
   * @default 1000
   */
  flushIntervalMs?: number;
}

export interface ServerClientOptions {
  /** Required: a missing or empty key throws at construction (a programming mistake). */
  apiKey: string;
  /** @default 'production' */
  environment?: Environment;
  /** @default 'us' */
  region?: Region;
  /** Base URL override (a proxy or a local receiver); wins over environment and region. */
  endpoint?: string;
  onError?: ServerErrorHandler;
  /** ISO alpha-2, for national-format phone numbers whose person has no `country`. */
  defaultCountry?: string;
  batch?: BatchOptions;
  /**
   * Events accepted but not yet delivered or given up (queued, batched, in flight).
   * Past it, `track` drops the new event with a `queue_full` error.
   * @default 10_000
   */
  maxQueueSize?: number;
  /**
   * Requests in flight at once.
   * @default 8
   */
  concurrency?: number;
  retry?: RetryOptions;
  /**
   * Per attempt, in ms; a timeout is retried like a network failure.
   * @default 10_000
   */
  timeoutMs?: number;
  /**
   * A `fetch` to send with (a custom agent, a test double); it receives a `Request`, body included.
   * @default Node's `http`/`https` with keep-alive connections
   */
  fetch?: typeof fetch;
}

/** What `track` did with the event, synchronously. `errors` lists the fields dropped from it. */
export type ServerTrackResult =
  /** Accepted: sent now (page view) or batched (order). Delivery problems arrive at `onError`. */
  | { status: 'queued'; event: PostEvent; errors: InputError[] }
  /** Not sendable: a required field (`visitor_id`, `session_id`, `order_id`, `items`) is missing or invalid. */
  | { status: 'invalid'; errors: InputError[] }
  /** Valid but not kept: the queue is full, or a 403 stopped this client. */
  | { status: 'dropped'; event: PostEvent; error: DropError | DeliveryError; errors: InputError[] };

export interface CloseOptions {
  /**
   * Deadline for the final flush, in ms; what is still unsent then is given up.
   * @default 10_000
   */
  timeoutMs?: number;
}

export interface CloseResult {
  /** True when everything accepted was delivered. */
  ok: boolean;
  /** Events not delivered: refused, failed after retries, or cut off by the deadline. */
  undelivered: PostEvent[];
}

/** An event name as a message can quote it, whatever was passed (a symbol, an object without a prototype). */
function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`SymbiosysServerClient: ${name} must be a positive integer`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`SymbiosysServerClient: ${name} must be a number >= 0`);
  return value;
}

function toPostEvents(events: readonly Queued[]): PostEvent[] {
  return events.map((queued) => ({ event: queued.event, body: JSON.parse(queued.json) as unknown }) as PostEvent);
}

/**
 * Sends page views and orders to the Event API from Node.
 *
 * @example
 * const symbiosys = new SymbiosysServerClient({ apiKey: process.env.SYMBIOSYS_API_KEY!, onError: console.warn });
 * symbiosys.track('order', { ...readIdsFromCookieHeader(req.headers.cookie), order_id, items, customer });
 * process.on('SIGTERM', () => symbiosys.close({ timeoutMs: 5000 }));
 */
export class SymbiosysServerClient {
  readonly #onError: ServerErrorHandler | undefined;
  readonly #defaultCountry: string | undefined;
  readonly #maxQueueSize: number;
  readonly #dispatcher: Dispatcher<Queued>;

  constructor(options: ServerClientOptions) {
    // Called from plain JavaScript too: no options at all is the same mistake.
    if (typeof (options as ServerClientOptions | undefined)?.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new TypeError('SymbiosysServerClient: apiKey is required');
    }
    const retry = options.retry ?? {};
    const post = {
      base: baseUrl(options),
      apiKey: options.apiKey,
      retry: {
        limit: nonNegative(retry.limit, RETRY_DEFAULTS.limit, 'retry.limit'),
        backoffLimitMs: nonNegative(retry.backoffLimitMs, RETRY_DEFAULTS.backoffLimitMs, 'retry.backoffLimitMs'),
        maxRetryAfterMs: nonNegative(retry.maxRetryAfterMs, RETRY_DEFAULTS.maxRetryAfterMs, 'retry.maxRetryAfterMs'),
      },
      timeoutMs: positiveInteger(options.timeoutMs, TIMEOUT_DEFAULT_MS, 'timeoutMs'),
      request: options.fetch ? fetchRequester(options.fetch) : nodeRequester,
    };
    this.#onError = options.onError;
    this.#defaultCountry = options.defaultCountry;
    const flushIntervalMs = nonNegative(options.batch?.flushIntervalMs, 1000, 'batch.flushIntervalMs');
    this.#maxQueueSize = positiveInteger(options.maxQueueSize, 10_000, 'maxQueueSize');
    const concurrency = positiveInteger(options.concurrency, 8, 'concurrency');
    const batch = {
      maxCount: positiveInteger(options.batch?.maxCount, 100, 'batch.maxCount'),
      maxBytes: positiveInteger(options.batch?.maxBytes, 500_000, 'batch.maxBytes'),
      flushIntervalMs,
    };
    this.#dispatcher = new Dispatcher<Queued>({
      batch,
      concurrency,
      send: (job, signal) => postJson(job.path, job.json, signal, post),
      failed: (error, events) => this.#report(error, toPostEvents(events)),
    });
  }

  /**
   * Validates, hashes and queues one event; never throws. Page views are
   * posted at once, orders join the open batch. The result is synchronous:
   * delivery problems arrive later at `onError`; `flush()` awaits delivery.
   */
  track<E extends ServerEventName>(event: E, input: ServerInputs[E]): ServerTrackResult {
    try {
      return this.#track(event, input);
    } catch (cause) {
      // Only a bug of ours lands here; the host server must not pay for it.
      const error = new DropError('unsupported_environment', `track(${describe(event)}) failed unexpectedly`, {
        cause,
      });
      this.#report(error, []);
      return { status: 'invalid', errors: [] };
    }
  }

  #track(event: ServerEventName, input: unknown): ServerTrackResult {
    // Called from plain JavaScript too: any value may arrive as the event.
    const name: unknown = event;
    if (name !== 'page_view' && name !== 'order') {
      const error = new InputError('invalid_field', `unknown event ${describe(name)}; use 'page_view' or 'order'`, {
        field: 'event',
      });
      this.#report(error, []);
      return { status: 'invalid', errors: [error] };
    }
    const built = buildPostEvent(event, input, {
      now: Date.now(),
      ...(this.#defaultCountry === undefined ? {} : { defaultCountry: this.#defaultCountry }),
    });
    for (const error of built.errors) this.#report(error, []);
    if (!built.ok) return { status: 'invalid', errors: built.errors };
    const post = built.post;
    const forbidden = this.#dispatcher.forbidden;
    if (forbidden) return { status: 'dropped', event: post, error: forbidden, errors: built.errors };
    const waiting = this.#dispatcher.size;
    if (waiting >= this.#maxQueueSize) {
      const error = new DropError(
        'queue_full',
        `${waiting} events are waiting (maxQueueSize); this ${event} was dropped`,
        {
          event,
        },
      );
      this.#report(error, [post]);
      return { status: 'dropped', event: post, error, errors: built.errors };
    }
    this.#dispatcher.add({ event, json: JSON.stringify(post.body) });
    return { status: 'queued', event: post, errors: built.errors };
  }

  /** Sends the open batch and everything queued; resolves when all of it is settled. Never rejects. */
  flush(): Promise<void> {
    return this.#dispatcher.flush();
  }

  /**
   * Flushes within `timeoutMs`, then gives up what is left: it is reported
   * once through `onError` and listed in the result. Every network read,
   * response bodies included, ends by the deadline, so `close()` resolves by
   * it whatever the server does. Stops the batch timer. Events tracked
   * afterwards are sent at once, unbatched. Never rejects.
   */
  async close({ timeoutMs = 10_000 }: CloseOptions = {}): Promise<CloseResult> {
    const { failed, cutOff } = await this.#dispatcher.close(timeoutMs);
    if (cutOff.length > 0) {
      const error = new DeliveryError(
        'network',
        `close(): ${cutOff.length} events were not delivered within ${timeoutMs} ms`,
      );
      this.#report(error, toPostEvents(cutOff));
    }
    const undelivered = failed.concat(cutOff);
    return { ok: undelivered.length === 0, undelivered: toPostEvents(undelivered) };
  }

  #report(error: SymbiosysError, events: readonly PostEvent[]): void {
    if (!this.#onError) return;
    try {
      this.#onError(error, events);
    } catch {
      // A throwing onError must not break delivery.
    }
  }
}
