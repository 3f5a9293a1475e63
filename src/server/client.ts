/**
 * The server client: validates and hashes each event, sends page views at
 * once (one `POST /page_view` each) and batches orders into `POST /orders`
 * by count, bytes and time. At most `concurrency` requests are in flight;
 * everything accepted and not yet settled counts against `maxQueueSize`, so
 * the heap stays bounded however slow the API is.
 */
import type { Queued } from '../core/dispatch/batch.js';
import { Dispatcher } from '../core/dispatch/dispatcher.js';
import { RETRY_RULE, TIMEOUT_DEFAULT_MS, fetchRequester, postJson, withRetryDefaults } from '../core/dispatch/post.js';
import type { RetryOptions } from '../core/dispatch/post.js';
import { DeliveryError, DropError, InputError, internalError, quotedName } from '../core/errors.js';
import type { SymbiosysError } from '../core/errors.js';
import { baseUrl, HOST_OPTION_RULES } from '../core/hosts.js';
import type { HostOptions } from '../core/hosts.js';
import { atLeast, checkOptions, countryRule, group, handler, integer, text } from '../core/options.js';
import type { OptionRules } from '../core/options.js';
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

/** How orders are grouped into `POST /orders` requests: by count, bytes and time. */
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

/**
 * The server client's options. Each is checked at construction by its row of
 * `SERVER_OPTIONS` below: a wrong type or value throws an `invalid_option`
 * `SymbiosysError` naming it; an unknown key is reported to `onError`.
 */
export interface ServerClientOptions extends HostOptions {
  /** Required: a missing or empty key throws at construction (a programming mistake). */
  apiKey: string;
  /**
   * Receives every problem, typed, with the POST bodies it concerns (input
   * errors as `track` finds them; delivery and drop errors with the events
   * not delivered). Its own exceptions are swallowed.
   */
  onError?: ServerErrorHandler;
  /** ISO alpha-2, for national-format phone numbers whose person has no `country`. */
  defaultCountry?: string;
  /** How orders are batched into `POST /orders`: by count, bytes and time. */
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
  /** How failed requests (network, timeout, 429, 5xx) are retried; 400 and 403 never are. */
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
  | { status: 'dropped'; event: PostEvent; error: DropError | DeliveryError; errors: InputError[] }
  /** A bug of the SDK's own (`internal_error`, also reported): the event was not sent. */
  | { status: 'failed'; error: SymbiosysError; errors: InputError[] };

/** `close()`'s deadline. */
export interface CloseOptions {
  /**
   * Deadline for the final flush, in ms; what is still unsent then is given up.
   * @default 10_000
   */
  timeoutMs?: number;
}

/** What `close()` achieved: everything delivered, or what was not. */
export interface CloseResult {
  /** True when everything accepted was delivered. */
  ok: boolean;
  /** Events not delivered: refused, failed after retries, or cut off by the deadline. */
  undelivered: PostEvent[];
}

/** What each option takes (`core/options.ts` has the rule): one row per option. */
const SERVER_OPTIONS: OptionRules<ServerClientOptions> = {
  apiKey: { ...text, secret: true, required: true },
  ...HOST_OPTION_RULES,
  onError: handler,
  defaultCountry: countryRule,
  batch: group({ maxCount: integer(1), maxBytes: integer(1), flushIntervalMs: atLeast(0) }),
  maxQueueSize: integer(1),
  concurrency: integer(1),
  retry: RETRY_RULE,
  timeoutMs: integer(1),
  fetch: handler,
};

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

  /**
   * @throws SymbiosysError (`invalid_option`) when an option breaks its rule
   * (a missing `apiKey`, `concurrency: 0`): a programming mistake. Nothing is
   * thrown after construction.
   */
  constructor(given: ServerClientOptions) {
    const { options, warnings } = checkOptions(given, SERVER_OPTIONS, 'SymbiosysServerClient');
    const post = {
      base: baseUrl(options),
      apiKey: options.apiKey,
      retry: withRetryDefaults(options.retry),
      timeoutMs: options.timeoutMs ?? TIMEOUT_DEFAULT_MS,
      request: options.fetch ? fetchRequester(options.fetch) : nodeRequester,
    };
    this.#onError = options.onError;
    this.#defaultCountry = options.defaultCountry;
    this.#maxQueueSize = options.maxQueueSize ?? 10_000;
    const concurrency = options.concurrency ?? 8;
    const batch = {
      maxCount: options.batch?.maxCount ?? 100,
      maxBytes: options.batch?.maxBytes ?? 500_000,
      flushIntervalMs: options.batch?.flushIntervalMs ?? 1000,
    };
    this.#dispatcher = new Dispatcher<Queued>({
      batch,
      concurrency,
      send: (job, signal) => postJson(job.path, job.json, signal, post),
      failed: (error, events) => this.#report(error, toPostEvents(events)),
    });
    for (const warning of warnings) this.#report(warning, []);
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
      const error = internalError(`track(${quotedName(event)})`, cause);
      this.#report(error, []);
      return { status: 'failed', error, errors: [] };
    }
  }

  #track(event: ServerEventName, input: unknown): ServerTrackResult {
    // Called from plain JavaScript too: any value may arrive as the event.
    const name: unknown = event;
    if (name !== 'page_view' && name !== 'order') {
      const error = new InputError('invalid_field', `unknown event ${quotedName(name)}; use 'page_view' or 'order'`, {
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
