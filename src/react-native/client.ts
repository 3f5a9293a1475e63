/**
 * The app client: page (screen) views and orders from a React Native or Expo
 * app, straight to the Event API's POST endpoints with `platform: "app"`.
 * Events are built and hashed as the server entry builds them
 * (`server/input.ts`), kept in the app's storage until delivered
 * (`outbox.ts`), and sent by the same dispatcher as the server's
 * (`core/dispatch/`), over the app's `fetch`. `track` never waits: the ids
 * are read from storage once, and events tracked before that wait in memory.
 */
import type { Job } from '../core/dispatch/batch.js';
import { Dispatcher } from '../core/dispatch/dispatcher.js';
import { RETRY_RULE, TIMEOUT_DEFAULT_MS, fetchRequester, postJson, withRetryDefaults } from '../core/dispatch/post.js';
import type { PostOptions, RetryOptions } from '../core/dispatch/post.js';
import { DropError, InputError, internalError, quotedName, report } from '../core/errors.js';
import type { DeliveryError, ErrorHandler } from '../core/errors.js';
import { baseUrl, HOST_OPTION_RULES } from '../core/hosts.js';
import type { HostOptions } from '../core/hosts.js';
import { checkOptions, countryRule, handler, integer, text } from '../core/options.js';
import type { OptionRules } from '../core/options.js';
import type { Profile } from '../core/model.js';
import { isObject, plainInput } from '../core/plain-input.js';
import type { PostEvent } from '../core/post-encoder.js';
import { buildPostEvent } from '../server/input.js';
import type { ServerOrderInput, ServerPageViewInput } from '../server/input.js';
import { AppIdentity } from './identity.js';
import { AppOutbox } from './outbox.js';
import type { OutboxEntry } from './outbox.js';
import { StoredValue } from './storage.js';
import type { AsyncStorageLike } from './storage.js';

/** What the app supplies itself, never the caller. */
type AppContext = 'visitor_id' | 'session_id' | 'platform' | 'user_agent';

export type AppPageViewInput = Omit<ServerPageViewInput, AppContext | 'user'>;
export type AppOrderInput = Omit<ServerOrderInput, AppContext | 'user'>;

export interface AppInputs {
  page_view: AppPageViewInput;
  order: AppOrderInput;
}

export type AppEventName = keyof AppInputs;

/**
 * The app client's options. Each is checked at construction by its row of
 * `APP_OPTIONS` below, by the rule every client follows (`core/options.ts`):
 * a wrong type or value throws an `invalid_option` `SymbiosysError` naming
 * it; an unknown key is reported to `onError`.
 */
export interface AppClientOptions extends HostOptions {
  /** Required: a missing or empty key throws at construction (a programming mistake). */
  apiKey: string;
  /** Required: where ids and undelivered events are kept (AsyncStorage, or any async getItem/setItem/removeItem). */
  storage: AsyncStorageLike;
  /** Sent as `user_agent`, e.g. `AppName/3.4.5 (com.example.app; iOS 17.2)`. */
  userAgent?: string;
  onError?: ErrorHandler;
  /** ISO alpha-2, for national-format phone numbers whose person has no `country`. */
  defaultCountry?: string;
  /**
   * Events kept until delivered; past it the oldest page view is dropped (reported), or, with only orders
   * waiting, the new event.
   * @default 1000
   */
  maxQueueSize?: number;
  retry?: RetryOptions;
  /** A `fetch` to send with (a test double). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** What `track` did, at once. `errors` lists the fields dropped from the event. */
export type AppTrackResult =
  | { status: 'queued'; errors: InputError[] }
  | { status: 'invalid'; errors: InputError[] }
  | { status: 'dropped'; error: DropError | DeliveryError; errors: InputError[] };

export interface AppCloseResult {
  /** True when nothing is left undelivered. */
  ok: boolean;
  /** Events not delivered: kept in storage, they go on the app's next start. */
  kept: number;
}

const IDS_KEY = '@acme/symbiosys:ids';
const OUTBOX_KEY = '@acme/symbiosys:outbox';
/** Valid stand-ins while the stored ids load: each event gets its real ids before it is kept or sent. */
const PENDING_VISITOR = '0'.repeat(45);
const PENDING_SESSION = '0';

/** An event tracked before the ids were read: built and hashed, waiting for its ids. */
interface Early {
  post: PostEvent;
  at: number;
}

/** What each option takes (`core/options.ts` has the rule): one row per option. */
const APP_OPTIONS: OptionRules<AppClientOptions> = {
  apiKey: { ...text, secret: true, required: true },
  ...HOST_OPTION_RULES,
  storage: {
    takes: 'an AsyncStorage (getItem, setItem, removeItem)',
    test: (value) =>
      isObject(value) && ['getItem', 'setItem', 'removeItem'].every((name) => typeof value[name] === 'function'),
    required: true,
  },
  userAgent: text,
  onError: handler,
  defaultCountry: countryRule,
  maxQueueSize: integer(1),
  retry: RETRY_RULE,
  fetch: handler,
};

export class SymbiosysAppClient {
  readonly #options: AppClientOptions;
  readonly #identity: AppIdentity;
  readonly #outbox: AppOutbox;
  readonly #stores: StoredValue[];
  readonly #dispatcher: Dispatcher<OutboxEntry>;
  #profile: Profile | undefined;
  /** Events tracked before the ids were read; `undefined` once they are. */
  #early: Early[] | undefined = [];
  /** Kept entries the dispatcher gave back (no answer after its retries): sent again later. */
  #parked: OutboxEntry[] = [];
  readonly #ready: Promise<void>;

  /**
   * @throws SymbiosysError (`invalid_option`) when an option breaks its rule
   * (a missing `apiKey` or `storage`): a programming mistake. Nothing is
   * thrown after construction.
   */
  constructor(given: AppClientOptions) {
    const { options, warnings } = checkOptions(given, APP_OPTIONS, 'SymbiosysAppClient');
    warnings.forEach((warning) => report(options.onError, warning));
    this.#options = options;
    const storeFailed = (cause: unknown) =>
      report(options.onError, new DropError('unsupported_environment', 'The app storage failed', { cause }));
    const ids = new StoredValue(options.storage, IDS_KEY, storeFailed);
    const outbox = new StoredValue(options.storage, OUTBOX_KEY, storeFailed);
    this.#stores = [ids, outbox];
    this.#identity = new AppIdentity(ids);
    this.#outbox = new AppOutbox(outbox, options.maxQueueSize ?? 1000);
    const post: PostOptions = {
      base: baseUrl(options),
      apiKey: options.apiKey,
      retry: withRetryDefaults(options.retry),
      timeoutMs: TIMEOUT_DEFAULT_MS,
      request: fetchRequester(options.fetch),
    };
    this.#dispatcher = new Dispatcher<OutboxEntry>({
      batch: { maxCount: 100, maxBytes: 500_000, flushIntervalMs: 1000 },
      concurrency: 2,
      send: (job: Job<OutboxEntry>, signal) => postJson(job.path, job.json, signal, post),
      delivered: (entries) => this.#delivered(entries),
      failed: (error, entries) => this.#failed(error, entries),
    });
    this.#ready = this.#start();
  }

  /**
   * The signed-in user's PII (or its hashes), carried by every later event;
   * copied now (later changes to `profile` do not show) and kept in memory only.
   */
  identify(profile: Profile): void {
    const copy = plainInput(profile, undefined, 'user');
    for (const error of copy.errors) report(this.#options.onError, error);
    this.#profile = copy.value as Profile;
  }

  /** Validates, hashes and queues one event; returns at once and never throws. */
  track<E extends AppEventName>(event: E, input: AppInputs[E]): AppTrackResult {
    try {
      return this.#track(event, input);
    } catch (cause) {
      // Only a bug of ours lands here; the app must not pay for it.
      const error = internalError(`track(${quotedName(event)})`, cause);
      report(this.#options.onError, error);
      return { status: 'invalid', errors: [] };
    }
  }

  /** Sends everything kept and tracked; resolves when it is settled and stored. Never rejects. */
  async flush(): Promise<void> {
    await this.#ready;
    this.#resend();
    await this.#dispatcher.flush();
    await Promise.all(this.#stores.map((store) => store.settled()));
  }

  /**
   * Flushes within `timeoutMs`; what is still undelivered then stays in
   * storage for the app's next start. Never rejects.
   */
  async close({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<AppCloseResult> {
    const started = Date.now();
    await Promise.race([this.#ready, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    this.#resend();
    await this.#dispatcher.close(Math.max(0, timeoutMs - (Date.now() - started)));
    await Promise.all(this.#stores.map((store) => store.settled()));
    const kept = this.#outbox.size + (this.#early?.length ?? 0);
    return { ok: kept === 0, kept };
  }

  #track(event: AppEventName, input: unknown): AppTrackResult {
    const name: unknown = event;
    if (name !== 'page_view' && name !== 'order') {
      const error = new InputError('invalid_field', `unknown event ${quotedName(name)}; use 'page_view' or 'order'`, {
        field: 'event',
      });
      report(this.#options.onError, error);
      return { status: 'invalid', errors: [error] };
    }
    const at = Date.now();
    const copy = plainInput(input, event);
    const fields = (typeof copy.value === 'object' && copy.value !== null ? copy.value : {}) as Record<string, unknown>;
    fields.visitor_id = PENDING_VISITOR;
    fields.session_id = PENDING_SESSION;
    fields.platform = 'app';
    if (this.#options.userAgent !== undefined) fields.user_agent = this.#options.userAgent;
    if (this.#profile !== undefined) fields.user = this.#profile;
    const built = buildPostEvent(event, fields, { now: at, defaultCountry: this.#options.defaultCountry });
    const errors = copy.errors.concat(built.errors);
    for (const error of errors) report(this.#options.onError, error);
    if (!built.ok) return { status: 'invalid', errors };
    const forbidden = this.#dispatcher.forbidden;
    if (forbidden) return { status: 'dropped', error: forbidden, errors };
    if (this.#early) {
      this.#early.push({ post: built.post, at });
      return { status: 'queued', errors };
    }
    const dropped = this.#keep(built.post, at);
    return dropped ? { status: 'dropped', error: dropped, errors } : { status: 'queued', errors };
  }

  /** Gives the event its ids, keeps it in the outbox and hands it to the dispatcher; a refusal when full. */
  #keep(post: PostEvent, at: number): DropError | undefined {
    const body = post.body as { visitor_id: string; session_id: string };
    const ids = this.#identity.forEvent(at);
    body.visitor_id = ids.visitorId;
    body.session_id = ids.sessionId;
    const kept = this.#outbox.add({ event: post.event, json: JSON.stringify(body) }, at);
    if (kept.added === undefined) {
      const error = new DropError(
        'queue_full',
        `The outbox is full of orders (maxQueueSize); this ${post.event} was dropped`,
        {
          event: post.event,
        },
      );
      report(this.#options.onError, error);
      return error;
    }
    if (kept.evicted) {
      report(
        this.#options.onError,
        new DropError('queue_full', 'The outbox is full: its oldest page view was dropped', { event: 'page_view' }),
      );
    }
    this.#dispatcher.add(kept.added);
    return undefined;
  }

  /** Reads the ids and what the last run left; sends that, then the events tracked meanwhile. */
  async #start(): Promise<void> {
    const [, restored] = await Promise.all([this.#identity.load(), this.#outbox.load()]);
    for (const entry of restored) this.#dispatcher.add(entry);
    const early = this.#early ?? [];
    this.#early = undefined;
    for (const { post, at } of early) this.#keep(post, at);
  }

  #delivered(entries: OutboxEntry[]): void {
    this.#outbox.remove(entries);
    // An answer came: the network is back for what waited.
    this.#resend();
  }

  #failed(error: DeliveryError, entries: OutboxEntry[]): void {
    if (error.code === 'network' || error.code === 'server_error') {
      // Not lost: kept in storage, sent again on the next answer, flush() or start.
      this.#parked.push(...entries.filter((entry) => this.#outbox.has(entry)));
      return;
    }
    if (error.code === 'forbidden') this.#outbox.clear();
    else this.#outbox.remove(entries);
    report(this.#options.onError, error);
  }

  #resend(): void {
    const parked = this.#parked.filter((entry) => this.#outbox.has(entry));
    this.#parked = [];
    for (const entry of parked) this.#dispatcher.add(entry);
  }
}
