/**
 * `SymbiosysClient`: the browser SDK's lifecycle. It owns consent and what
 * consent allows to exist (storage, ids, the persisted outbox), the signed-in
 * profile, and the calls waiting for consent; each tracked call then runs
 * through the event pipeline (`pipeline.ts`). It never throws into the page
 * after construction: every problem is a typed error in the result and in
 * `onError`.
 */
import { DropError, InputError, report, type ErrorHandler, type SymbiosysError } from '../core/errors.js';
import type { EventName } from '../core/fields.js';
import { baseUrl, type Environment, type Region } from '../core/hosts.js';
import type { EventInputs, Profile } from '../core/model.js';
import { Attribution } from './attribution.js';
import { consentInForce, isConsent, type Consent } from './consent.js';
import { PageViewGate, SentOrders } from './dedupe.js';
import { createDelivery, type Delivery } from './delivery.js';
import { sha256Hex } from './hash.js';
import { Identity } from './identity.js';
import { Outbox } from './outbox.js';
import {
  dropped,
  hashProfile,
  runPipeline,
  type BrowserState,
  type DropReason,
  type PipelineOptions,
  type ProfileFields,
  type TrackCall,
  type TrackResult,
} from './pipeline.js';
import { createStore, type StorageMode } from './storage.js';
import type { Transport } from './transport.js';

export type { TrackResult } from './pipeline.js';

export interface ClientOptions {
  /** Required. A missing or empty key is a programming mistake: the constructor throws. */
  apiKey: string;
  /** @default 'production' */
  environment?: Environment;
  /** Production only; development always uses `.dev`. @default 'us' */
  region?: Region;
  /** Base URL that wins over environment and region: a first-party proxy, or a local receiver. */
  endpoint?: string;
  /** `auto`: page views by beacon, orders by fetch (confirmed). @default 'auto' */
  transport?: Transport;
  /** `pending` keeps events in memory and writes no storage until `setConsent`. @default 'granted' */
  consent?: Consent;
  /** Treat `navigator.globalPrivacyControl === true` as denied consent. @default true */
  honorGlobalPrivacyControl?: boolean;
  /** ISO 3166 alpha-2 country for national-format phone numbers. */
  defaultCountry?: string;
  /** Every problem arrives here, typed, with a `code`. */
  onError?: ErrorHandler;
  /** Where the visitor and session ids live. @default 'cookie+localStorage' */
  storage?: StorageMode;
  /** Cookie domain, e.g. `.shop.example` to share ids across subdomains. */
  cookieDomain?: string;
  /** Use this visitor id instead of generating one (you already have an id). */
  visitorId?: string;
  /** Extra click-id query parameters, mapped to a channel: `{ yclid: 'yandex' }`. */
  clickIds?: Record<string, string>;
  /** Extra query parameter names to strip from page URLs as PII. */
  piiQueryParams?: readonly string[];
  /** The same page view within this window is sent once (React StrictMode). @default 1000 */
  pageViewDedupeMs?: number;
  /** Most events waiting for delivery. @default 100 */
  maxQueueSize?: number;
  /** Most bytes of URLs waiting for delivery. @default 250_000 */
  maxQueueBytes?: number;
  /** First retry delay, doubling with jitter up to a minute. @default 1000 */
  retryBaseMs?: number;
}

/**
 * When and where an event happened, for calls recorded earlier and replayed
 * now (the tag loader's queue, calls made before `init`). Both default to
 * the moment and page of the call.
 */
export interface TrackOptions {
  /** Event time, ms since the epoch. @default Date.now() */
  timestamp?: number;
  /** The page the event happened on (PII is stripped before it is sent). @default location.href */
  pageUrl?: string;
}

/** Ids the page already keeps, adopted once consent is granted. */
interface PresetIds {
  visitorId?: string | undefined;
  sessionId?: string | undefined;
}

/** Events kept while consent is pending, at most. */
const MAX_PENDING = 100;

function hasWindow(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

export class SymbiosysClient {
  private readonly options: ClientOptions;
  /** As the page's banner last said; `consentNow()` adds Global Privacy Control. */
  private consent: Consent;
  private readonly outbox: Outbox;
  private readonly delivery: Delivery;
  private readonly pipeline: PipelineOptions;
  /** What exists only while consent is granted: the ids and what this browser remembers. */
  private state: BrowserState | undefined;
  /** The signed-in profile as sent with every event: its hashed `*_user` fields and `crm_id`. */
  private profile: ProfileFields = {};
  /** Calls waiting for consent, replayed as they were called once it is granted. */
  private pending: TrackCall[] = [];
  private saidUnsupported = false;
  private presetIds: PresetIds = {};
  /** Hands an error to the user's `onError`, whose own exceptions never reach the page. */
  private readonly onError = (error: SymbiosysError): void => report(this.options.onError, error);

  constructor(options: ClientOptions) {
    if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new TypeError('apiKey must be a non-empty string');
    }
    this.options = options;
    this.outbox = new Outbox({
      maxCount: options.maxQueueSize ?? 100,
      maxBytes: options.maxQueueBytes ?? 250_000,
      now: Date.now,
      onDrop: ({ event }, reason) =>
        this.onError(new DropError(reason, `An undelivered ${event} was dropped`, { event })),
    });
    this.delivery = createDelivery({
      transport: options.transport ?? 'auto',
      outbox: this.outbox,
      now: Date.now,
      report: this.onError,
      retryBaseMs: options.retryBaseMs,
    });
    this.pipeline = {
      apiKey: options.apiKey,
      base: baseUrl(options),
      defaultCountry: options.defaultCountry,
      piiQueryParams: options.piiQueryParams,
      sha256: sha256Hex,
      pageViews: new PageViewGate({ windowMs: options.pageViewDedupeMs }),
      delivery: this.delivery,
      report: this.onError,
    };
    this.consent = options.consent ?? 'granted';
    if (!hasWindow()) return;
    this.delivery.watchPage();
    this.applyConsent();
  }

  private consentNow(): Consent {
    return consentInForce(this.consent, this.options.honorGlobalPrivacyControl ?? true);
  }

  /** Storage, identity and the outbox exist only once consent is granted. */
  private applyConsent(): void {
    const consent = this.consentNow();
    const options = this.options;
    if (consent === 'granted') {
      if (!this.state) {
        const mode = options.storage ?? 'cookie+localStorage';
        const store = createStore(mode, { cookieDomain: options.cookieDomain });
        // Attribution and sent orders only matter to this browser: localStorage, never a cookie sent to the shop.
        const local = mode === 'memory' ? store : createStore('localStorage');
        const identity = new Identity(store);
        this.adoptIds(identity, { visitorId: options.visitorId, ...this.presetIds });
        this.state = {
          identity,
          attribution: new Attribution(local, { clickIds: options.clickIds }),
          orders: new SentOrders({ store: local }),
        };
        this.outbox.setPersistent(mode !== 'memory');
        this.delivery.sendWaiting(); // Whatever earlier pages left undelivered.
      }
      for (const call of this.pending.splice(0)) void this.process(call);
    } else if (consent === 'denied') {
      const state = this.state;
      this.pending = [];
      this.state = undefined;
      if (state) {
        state.identity.forget();
        state.attribution.clear();
        state.orders.clear();
      }
      this.outbox.clear();
      this.outbox.setPersistent(false);
    }
  }

  /**
   * Sets the signed-in profile: its PII becomes the `*_user` hashed fields
   * (and `hashed_email`) of every later event, hashed once, here. Kept in
   * memory only: call it on each page load while signed in. `null` forgets it.
   */
  identify(profile: Profile | null): void {
    try {
      this.profile = profile == null ? {} : hashProfile(profile, this.pipeline);
    } catch (cause) {
      this.onError(new DropError('unsupported_environment', 'identify failed', { cause }));
    }
  }

  /**
   * The ids in use, to hand to your server (its events need them). Empty
   * until consent is granted: no id exists before.
   */
  getIds(): { visitorId?: string; sessionId?: string } {
    const identity = this.state?.identity;
    const visitorId = identity?.getVisitorId();
    const sessionId = identity?.getSessionId();
    return { ...(visitorId && { visitorId }), ...(sessionId && { sessionId }) };
  }

  /** Adopts ids you already keep (e.g. from your own first-party cookie). Applied once consent is granted. */
  setIds(ids: { visitorId?: string; sessionId?: string }): void {
    this.presetIds = { ...this.presetIds, ...ids };
    if (this.state) this.adoptIds(this.state.identity, this.presetIds);
  }

  private adoptIds(identity: Identity, { visitorId, sessionId }: PresetIds): void {
    this.presetIds = {};
    const refuse = (field: string) =>
      this.onError(new InputError('invalid_field', `${field} is not an id the SDK accepts: ignored`, { field }));
    if (visitorId && !identity.setVisitorId(visitorId)) refuse('visitorId');
    if (sessionId && !identity.setSessionId(sessionId)) refuse('sessionId');
  }

  /** Consent from your banner. `denied` drops what waits and clears the SDK's storage. */
  setConsent(consent: Consent): void {
    if (isConsent(consent)) this.consent = consent;
    if (hasWindow()) this.applyConsent();
  }

  /**
   * Tracks a page view or an order. Never throws; never rejects. Resolves to
   * what became of the event: sent, queued, or dropped, and why.
   */
  async track<E extends EventName>(event: E, input?: EventInputs[E], options?: TrackOptions): Promise<TrackResult> {
    try {
      if (event !== 'page_view' && event !== 'order') {
        return this.drop(
          event,
          'invalid',
          new InputError('invalid_field', "event must be 'page_view' or 'order'", { field: 'event' }),
        );
      }
      if (!hasWindow()) {
        const error = new DropError('unsupported_environment', 'No window (server-side rendering?): not tracked', {
          event,
        });
        if (!this.saidUnsupported) this.onError(error);
        this.saidUnsupported = true;
        return dropped(event, 'unsupported_environment', [error]);
      }
      const at = options?.timestamp;
      const url = options?.pageUrl;
      return await this.process({
        event,
        input,
        at: Number.isSafeInteger(at) && (at as number) > 0 ? (at as number) : Date.now(),
        url: typeof url === 'string' && url !== '' ? url : window.location.href,
      });
    } catch (cause) {
      return this.drop(
        event,
        'unsupported_environment',
        new DropError('unsupported_environment', `The ${event} could not be tracked`, { event, cause }),
      );
    }
  }

  /** Drops an event for one reason, reported. */
  private drop(event: EventName, reason: DropReason, error: SymbiosysError): TrackResult {
    this.onError(error);
    return dropped(event, reason, [error]);
  }

  /** The consent gate: a call runs through the pipeline now, waits for consent, or is dropped. */
  private async process(call: TrackCall): Promise<TrackResult> {
    const { event } = call;
    const consent = this.consentNow();
    if (consent === 'denied') {
      return dropped(event, 'consent_denied', [new DropError('consent_denied', 'Consent is denied', { event })]);
    }
    const state = this.state;
    if (consent === 'pending' || !state) {
      if (this.pending.length < MAX_PENDING) {
        this.pending.push(call);
        return { event, status: 'queued', reason: 'consent_pending', errors: [] };
      }
      return this.drop(event, 'queue_full', new DropError('queue_full', 'Too many events wait for consent', { event }));
    }
    return runPipeline(call, state, this.profile, this.pipeline);
  }

  /** Resolves when every queued event was handed to the network (or `timeoutMs` passed). */
  async flush(timeoutMs = 10_000): Promise<void> {
    try {
      this.delivery.sendWaiting();
      await this.delivery.settled(timeoutMs);
    } catch {
      // flush never rejects.
    }
  }
}
