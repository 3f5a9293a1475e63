/**
 * The server client: validates and hashes each event, sends page views at
 * once (one `POST /page_view` each) and batches orders into `POST /orders`
 * by count, bytes and time. At most `concurrency` requests are in flight;
 * everything accepted and not yet settled counts against `maxQueueSize`, so
 * the heap stays bounded however slow the API is.
 */
import { DeliveryError, DropError, InputError, internalError } from '../core/errors.js';
import type { SymbiosysError } from '../core/errors.js';
import { POST_PATH } from '../core/fields.js';
import { baseUrl, HOST_OPTION_RULES } from '../core/hosts.js';
import type { HostOptions } from '../core/hosts.js';
import { atLeast, checkOptions, countryRule, group, handler, integer, text } from '../core/options.js';
import type { OptionRules } from '../core/options.js';
import type { PostEvent } from '../core/post-encoder.js';
import { OrderBatch, ordersJob } from './batch.js';
import type { Job, Queued } from './batch.js';
import { buildPostEvent } from './input.js';
import type { ServerEventName, ServerInputs } from './input.js';
import { RETRY_DEFAULTS, TIMEOUT_DEFAULT_MS, postJson } from './sender.js';
import type { RetryOptions, SenderOptions } from './sender.js';

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
  /** A `fetch` to send with (a custom agent, a test double). @default globalThis.fetch */
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
  retry: group({ limit: atLeast(0), backoffLimitMs: atLeast(0), maxRetryAfterMs: atLeast(0) }),
  timeoutMs: integer(1),
  fetch: handler,
};

/** An event name as a message can quote it, whatever was passed (a symbol, an object without a prototype). */
function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value;
}

/**
 * A refusal worth splitting the batch for: the API refuses a whole `POST
 * /orders` for what one order holds (400), or for its size (413); a refused
 * half is split again, so only orders refused on their own are given up.
 */
function splittable(error: DeliveryError): boolean {
  return error.code === 'rejected' && (error.status === 400 || error.status === 413);
}

/** A batch's two halves as requests of their own; `undefined` for a single event. */
function split(job: Job): [Job, Job] | undefined {
  if (job.events.length < 2) return undefined;
  const middle = Math.ceil(job.events.length / 2);
  return [ordersJob(job.events.slice(0, middle)), ordersJob(job.events.slice(middle))];
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
  readonly #sender: SenderOptions;
  readonly #onError: ServerErrorHandler | undefined;
  readonly #defaultCountry: string | undefined;
  readonly #flushIntervalMs: number;
  readonly #maxQueueSize: number;
  readonly #concurrency: number;
  readonly #batch: OrderBatch;
  #jobs: Job[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort = new AbortController();
  #inFlight = 0;
  /** Events accepted and not yet settled: the queue bound. */
  #pending = 0;
  #forbidden: DeliveryError | undefined;
  #closing = false;
  /** Set while `close()` runs: every event given up meanwhile, to list as undelivered. */
  #undelivered: Queued[] | undefined;
  /** Set once `close()`'s deadline passed: events whose requests it cut short, for its one report. */
  #cutOff: Queued[] | undefined;
  #idle: Array<() => void> = [];

  /**
   * @throws SymbiosysError (`invalid_option`) when an option breaks its rule
   * (a missing `apiKey`, `concurrency: 0`): a programming mistake. Nothing is
   * thrown after construction.
   */
  constructor(given: ServerClientOptions) {
    const { options, warnings } = checkOptions(given, SERVER_OPTIONS, 'SymbiosysServerClient');
    const retry = options.retry ?? {};
    this.#sender = {
      base: baseUrl(options),
      apiKey: options.apiKey,
      retry: {
        limit: retry.limit ?? RETRY_DEFAULTS.limit,
        backoffLimitMs: retry.backoffLimitMs ?? RETRY_DEFAULTS.backoffLimitMs,
        maxRetryAfterMs: retry.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs,
      },
      timeoutMs: options.timeoutMs ?? TIMEOUT_DEFAULT_MS,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    this.#onError = options.onError;
    this.#defaultCountry = options.defaultCountry;
    this.#flushIntervalMs = options.batch?.flushIntervalMs ?? 1000;
    this.#maxQueueSize = options.maxQueueSize ?? 10_000;
    this.#concurrency = options.concurrency ?? 8;
    this.#batch = new OrderBatch(options.batch?.maxCount ?? 100, options.batch?.maxBytes ?? 500_000);
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
      const error = internalError(`track(${describe(event)})`, cause);
      this.#report(error, []);
      return { status: 'failed', error, errors: [] };
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
    if (this.#forbidden) return { status: 'dropped', event: post, error: this.#forbidden, errors: built.errors };
    if (this.#pending >= this.#maxQueueSize) {
      const error = new DropError(
        'queue_full',
        `${this.#pending} events are waiting (maxQueueSize); this ${event} was dropped`,
        { event },
      );
      this.#report(error, [post]);
      return { status: 'dropped', event: post, error, errors: built.errors };
    }
    this.#pending += 1;
    const queued: Queued = { event, json: JSON.stringify(post.body) };
    if (event === 'page_view') {
      this.#jobs.push({ path: POST_PATH.page_view, json: queued.json, events: [queued] });
    } else {
      for (const orders of this.#batch.add(queued)) this.#jobs.push(ordersJob(orders));
      if (this.#batch.size === 0) this.#stopTimer();
      else if (this.#closing) this.#seal();
      else this.#startTimer();
    }
    this.#pump();
    return { status: 'queued', event: post, errors: built.errors };
  }

  /** Sends the open batch and everything queued; resolves when all of it is settled. Never rejects. */
  flush(): Promise<void> {
    this.#seal();
    this.#pump();
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Flushes within `timeoutMs`, then gives up what is left: it is reported
   * once through `onError` and listed in the result. Every network read,
   * response bodies included, ends by the deadline, so `close()` resolves by
   * it whatever the server does. Stops the batch timer. Events tracked
   * afterwards are sent at once, unbatched. Never rejects.
   */
  async close({ timeoutMs = 10_000 }: CloseOptions = {}): Promise<CloseResult> {
    this.#closing = true;
    this.#stopTimer();
    const undelivered: Queued[] = [];
    this.#undelivered = undelivered;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      this.flush().then(() => false),
      new Promise<boolean>((resolve) => {
        deadline = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(deadline);
    if (timedOut) {
      // What waits is given up unsent; requests in flight (or waiting to retry) end now and add their events.
      const cutOff = this.#jobs.flatMap((job) => job.events);
      this.#jobs = [];
      this.#settle(cutOff.length);
      this.#cutOff = cutOff;
      const abort = this.#abort;
      this.#abort = new AbortController();
      abort.abort();
      await this.flush();
      this.#cutOff = undefined;
      undelivered.push(...cutOff);
      if (cutOff.length > 0) {
        const error = new DeliveryError(
          'network',
          `close(): ${cutOff.length} events were not delivered within ${timeoutMs} ms`,
        );
        this.#report(error, toPostEvents(cutOff));
      }
    }
    this.#undelivered = undefined;
    return { ok: undelivered.length === 0, undelivered: toPostEvents(undelivered) };
  }

  #seal(): void {
    this.#stopTimer();
    if (this.#batch.size > 0) this.#jobs.push(ordersJob(this.#batch.take()));
  }

  #startTimer(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#seal();
      this.#pump();
    }, this.#flushIntervalMs);
    // A batch waiting for company must not keep the process alive; close() flushes it.
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #pump(): void {
    while (this.#inFlight < this.#concurrency) {
      const job = this.#jobs.shift();
      if (job === undefined) break;
      if (this.#cutOff) {
        // `close()`'s deadline passed: nothing new goes out until it has resolved.
        this.#cutShort(job);
        continue;
      }
      this.#inFlight += 1;
      void this.#send(job).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
        this.#notifyIdle();
      });
    }
    this.#notifyIdle();
  }

  /**
   * One request and what becomes of its events: delivered; refused and split
   * (below); cut short by `close()`'s deadline (listed in its one report); or
   * given up, each event reported once, with the error that ended it.
   */
  async #send(job: Job): Promise<void> {
    const signal = this.#abort.signal;
    const outcome = this.#forbidden
      ? ({ ok: false, error: this.#forbidden, aborted: false } as const)
      : await postJson(job.path, job.json, signal, this.#sender);
    if (outcome.ok) {
      this.#settle(job.events.length);
      return;
    }
    const halves = splittable(outcome.error) ? split(job) : undefined;
    if (outcome.aborted || (halves && signal.aborted)) {
      this.#cutShort(job);
      return;
    }
    if (halves) {
      // A batch is refused whole for what one order holds: its halves go again, until each refused order
      // is alone. Its events stay accepted (and counted against the queue bound) meanwhile.
      this.#jobs.unshift(...halves);
      return;
    }
    if (outcome.error.code === 'forbidden' && !this.#forbidden) {
      this.#forbidden = outcome.error;
      // Nothing else may go out with this key: everything waiting is given up with it, in one report.
      this.#seal();
      const waiting = this.#jobs.flatMap((queued) => queued.events);
      this.#jobs = [];
      this.#giveUp(outcome.error, job.events.concat(waiting));
      return;
    }
    this.#giveUp(outcome.error, job.events);
  }

  /** Past `close()`'s deadline: the job's events join its one report. */
  #cutShort(job: Job): void {
    this.#settle(job.events.length);
    this.#cutOff?.push(...job.events);
  }

  /** Events that will not be delivered: settled, listed by a running `close()`, reported once. */
  #giveUp(error: DeliveryError, events: Queued[]): void {
    this.#settle(events.length);
    this.#undelivered?.push(...events);
    this.#report(error, toPostEvents(events));
  }

  #settle(count: number): void {
    this.#pending -= count;
  }

  #isIdle(): boolean {
    return this.#jobs.length === 0 && this.#inFlight === 0 && this.#batch.size === 0;
  }

  #notifyIdle(): void {
    if (!this.#isIdle() || this.#idle.length === 0) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
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
