/**
 * `SymbiosysClient`: wires the stages, in one direction:
 * input -> validate -> enrich (ids, session, attribution, profile)
 * -> hash PII -> encode (GET shorthand) -> outbox -> deliver.
 * It never throws into the page after construction: every problem is a
 * typed error in the result and in `onError`.
 */
import { Attribution } from './attribution.js';
import { consentInForce, isConsent, type Consent } from './consent.js';
import { createDelivery, type Delivery, type DeliveryStatus } from './delivery.js';
import { PageViewGate, SentOrders } from './dedupe.js';
import { DropError, InputError, report, type ErrorHandler, type SymbiosysError } from './errors.js';
import { baseUrl, type Environment, type Region } from './hosts.js';
import { Identity } from './identity.js';
import type { EventInputs, EventName, EventRecords, OrderInput, Profile } from './model.js';
import { Outbox } from './outbox.js';
import { hashPerson, scrubPageUrl } from './pii/index.js';
import { validateId, validateOrder, validatePageView, type Validated } from './schema.js';
import { encodeGet } from './shorthand.js';
import { createStore, type StorageMode } from './storage.js';
import type { Transport } from './transport.js';

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

export type TrackResult = (
  | { status: 'sent'; transport: 'fetch' | 'beacon'; confirmed: boolean }
  | { status: 'queued'; reason: 'consent_pending' | 'not_initialized' | 'offline' | 'retrying' }
  | {
      status: 'dropped';
      reason:
        | 'invalid'
        | 'duplicate'
        | 'repeated_page_view'
        | 'consent_denied'
        | 'forbidden'
        | 'rejected'
        | 'too_large'
        | 'queue_full'
        | 'unsupported_environment';
    }
) & {
  event: EventName;
  /** Everything that went wrong, fields dropped included. Empty when all went well. */
  errors: SymbiosysError[];
};

type DropReason = Extract<TrackResult, { status: 'dropped' }>['reason'];

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

/** A tracked event as it was called: replayed as such once consent arrives. */
interface Call {
  event: EventName;
  input: unknown;
  at: number;
  url: string;
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

const dropped = (event: EventName, reason: DropReason, errors: SymbiosysError[]): TrackResult => ({
  event,
  status: 'dropped',
  reason,
  errors,
});

export class SymbiosysClient {
  private readonly options: ClientOptions;
  private readonly base: string;
  /** As the page's banner last said; `consentNow()` adds Global Privacy Control. */
  private consent: Consent;
  private readonly outbox: Outbox;
  private readonly delivery: Delivery;
  private readonly pageViews: PageViewGate;
  /** What exists only while consent is granted: the ids and what this browser remembers. */
  private state: { identity: Identity; attribution: Attribution; orders: SentOrders } | undefined;
  /** The signed-in profile as sent with every event: its hashed `*_user` fields and `crm_id`. */
  private profile: Record<string, string | undefined> = {};
  private pending: Call[] = [];
  private saidUnsupported = false;
  private presetIds: PresetIds = {};
  /** Hands an error to the user's `onError`, whose own exceptions never reach the page. */
  private readonly onError = (error: SymbiosysError): void => report(this.options.onError, error);

  constructor(options: ClientOptions) {
    if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new TypeError('apiKey must be a non-empty string');
    }
    this.options = options;
    this.base = baseUrl(options);
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
    this.pageViews = new PageViewGate({ windowMs: options.pageViewDedupeMs });
    this.consent = options.consent ?? 'granted';
    if (!hasWindow()) return;
    this.delivery.followPage();
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
        this.delivery.pump(); // Whatever earlier pages left undelivered.
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
      let fields = {};
      if (profile != null) {
        const { fields: hashed, errors } = hashPerson(profile, {
          role: 'user',
          defaultCountry: this.options.defaultCountry,
        });
        const crm = validateId(profile.crm_id, 'user.crm_id');
        if (crm.error) errors.push(crm.error);
        errors.forEach(this.onError);
        fields = { ...hashed, crm_id: crm.value };
      }
      this.profile = fields;
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
    const refuse = (field: string, rule: string) =>
      this.onError(new InputError('invalid_field', `${field} must be 1 to 256 characters${rule}`, { field }));
    if (visitorId && !identity.setVisitorId(visitorId)) refuse('visitorId', '');
    if (sessionId && !identity.setSessionId(sessionId)) refuse('sessionId', ', without "."');
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

  private async process(call: Call): Promise<TrackResult> {
    const { event, input, at } = call;
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

    // Validation, enrichment, hashing and encoding: everything before the network.
    const valid: Validated<{ page_view_url?: string; order_id?: string }> =
      event === 'page_view' ? validatePageView(input) : validateOrder(input);
    const errors: SymbiosysError[] = valid.errors;
    const fail = (reason: DropReason, error?: SymbiosysError) => {
      if (error) errors.push(error);
      errors.forEach(this.onError);
      return dropped(event, reason, errors);
    };
    const fields = valid.value;
    if (!fields) return fail('invalid');
    const url = fields.page_view_url ?? call.url;
    if (event === 'page_view' && !this.pageViews.admit({ ...fields, page_view_url: url }, at))
      return fail('repeated_page_view');
    // Orders carry their customer's hashed PII (whose email wins over the profile's); page views the session's attribution.
    let extra = {};
    const customer = event === 'order' && (input as OrderInput).customer;
    if (customer) {
      const hashed = hashPerson(customer, { role: 'customer', defaultCountry: this.options.defaultCountry, event });
      errors.push(...hashed.errors);
      extra = hashed.fields;
    }
    const ids = state.identity.touch(at);
    if (event === 'page_view') extra = state.attribution.forPageView(call.url, ids);
    const record = {
      [`${event}_ts`]: at, // page_view_ts, order_ts
      visitor_id: ids.visitorId,
      session_id: ids.sessionId,
      ...this.profile,
      ...extra,
      ...fields,
      page_view_url: scrubPageUrl(url, { piiParams: this.options.piiQueryParams }),
    } as unknown as EventRecords[EventName];
    const encoded = encodeGet(event, record, { apiKey: this.options.apiKey, base: this.base });
    if (!encoded.ok) return fail('too_large', encoded.error);
    errors.push(...encoded.request.errors);
    errors.forEach(this.onError);

    const orderId = fields.order_id;
    // Claimed last, once the order is known to be sendable: a refused order can be fixed and tracked again.
    if (orderId && !state.orders.claim(orderId)) {
      return dropped(event, 'duplicate', [
        ...errors,
        new DropError('duplicate', 'order_id already sent from this browser', { event, field: 'order_id' }),
      ]);
    }
    const { error, ...status }: DeliveryStatus & { error?: SymbiosysError } = await this.delivery.send({
      // Unique across tabs and page loads, which share the outbox; nothing reads meaning into it.
      id: Math.random().toString(36).slice(2),
      event,
      url: encoded.request.url,
      createdAt: at,
      attempts: 0,
      lease: 0,
      ...(orderId ? { orderId } : {}),
    });
    return { event, ...status, errors: error ? [...errors, error] : errors };
  }

  /** Resolves when every queued event was handed to the network (or `timeoutMs` passed). */
  async flush(timeoutMs = 10_000): Promise<void> {
    try {
      this.delivery.pump();
      await this.delivery.settled(timeoutMs);
    } catch {
      // flush never rejects.
    }
  }
}
