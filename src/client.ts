/**
 * `SymbiosysClient`: wires the stages, in one direction:
 * input -> validate -> enrich (ids, session, attribution, profile)
 * -> hash PII -> encode (GET shorthand) -> outbox -> deliver.
 * It never throws into the page after construction: every problem is a
 * typed error in the result and in `onError`.
 */
import { Attribution } from './attribution.js';
import { ConsentGate, type Consent } from './consent.js';
import { Delivery, type DeliveryStatus } from './delivery.js';
import { PageViewGate, SentOrders } from './dedupe.js';
import { DropError, InputError, report, type ErrorHandler, type SymbiosysError } from './errors.js';
import { baseUrl, type Environment, type Region } from './hosts.js';
import { Identity } from './identity.js';
import type { EventInputs, EventName, EventRecords, HashedFields, Profile } from './model.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { hashPerson, scrubPageUrl } from './pii/index.js';
import { validateId, validateOrder, validatePageView } from './schema.js';
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

interface Pending {
  event: EventName;
  input: unknown;
  at: number;
  url: string | undefined;
}

/** Events kept while consent is pending, at most. */
const MAX_PENDING = 100;

function hasWindow(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

function currentUrl(): string | undefined {
  return hasWindow() ? window.location.href : undefined;
}

export class SymbiosysClient {
  private readonly options: ClientOptions;
  private readonly base: string;
  private readonly consent: ConsentGate;
  private readonly outbox: Outbox;
  private readonly delivery: Delivery;
  private readonly pageViews: PageViewGate;
  private state: { identity: Identity; attribution: Attribution; orders: SentOrders } | undefined;
  private profile: { fields: HashedFields; crm_id?: string } | undefined;
  private pending: Pending[] = [];
  private saidUnsupported = false;
  private presetIds: { visitorId?: string; sessionId?: string } = {};

  constructor(options: ClientOptions) {
    if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new TypeError('SymbiosysClient needs an apiKey (a non-empty string)');
    }
    this.options = options;
    this.base = baseUrl(options);
    const onError = (error: SymbiosysError) => report(options.onError, error);
    this.outbox = new Outbox({
      maxCount: options.maxQueueSize ?? 100,
      maxBytes: options.maxQueueBytes ?? 250_000,
      now: Date.now,
      onDrop: (entry, reason) =>
        onError(new DropError(reason, `An undelivered ${entry.event} was dropped (${reason})`, { event: entry.event })),
    });
    this.delivery = new Delivery({
      transport: options.transport ?? 'auto',
      outbox: this.outbox,
      now: Date.now,
      report: onError,
      ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
    });
    this.pageViews = new PageViewGate({ windowMs: options.pageViewDedupeMs ?? 1000 });
    this.consent = new ConsentGate(options.consent ?? 'granted', options.honorGlobalPrivacyControl ?? true);
    if (!hasWindow()) return;
    this.listen();
    this.applyConsent();
  }

  private report(error: SymbiosysError): void {
    report(this.options.onError, error);
  }

  /** Storage, identity and the outbox exist only once consent is granted. */
  private applyConsent(): void {
    const consent = this.consent.value;
    if (consent === 'granted') {
      if (!this.state) {
        const storage = this.options.storage ?? 'cookie+localStorage';
        const store = createStore(storage, this.options.cookieDomain ? { cookieDomain: this.options.cookieDomain } : {});
        // Attribution and sent orders only matter to this browser: localStorage, never a cookie sent to the shop.
        const local = storage === 'memory' ? store : createStore('localStorage');
        const identity = new Identity(store);
        if (this.options.visitorId) this.presetIds = { visitorId: this.options.visitorId, ...this.presetIds };
        this.applyIds(identity);
        const attribution = new Attribution(local, this.options.clickIds ? { clickIds: this.options.clickIds } : {});
        this.state = { identity, attribution, orders: new SentOrders({ store: local }) };
        this.outbox.setPersistent(this.options.storage !== 'memory');
        this.delivery.pump(); // Whatever earlier pages left undelivered.
      }
      const waiting = this.pending;
      this.pending = [];
      for (const p of waiting) void this.process(p);
    } else if (consent === 'denied') {
      this.pending = [];
      this.state?.identity.forget();
      this.state?.attribution.clear();
      this.state?.orders.clear();
      this.state = undefined;
      this.outbox.clear();
      this.outbox.setPersistent(false);
    }
  }

  private listen(): void {
    const exit = () => this.delivery.flushOnExit();
    window.addEventListener('pagehide', exit);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') exit();
      else this.delivery.resume();
    });
    window.addEventListener('pageshow', () => this.delivery.resume());
    window.addEventListener('online', () => this.delivery.retryNow());
  }

  /**
   * Sets the signed-in profile: its PII becomes the `*_user` hashed fields
   * (and `hashed_email`) of every later event, hashed once, here. Kept in
   * memory only: call it on each page load while signed in. `null` forgets it.
   */
  identify(profile: Profile | null): void {
    try {
      if (profile === null || profile === undefined) {
        this.profile = undefined;
        return;
      }
      const { fields, errors } = hashPerson(profile, this.personOptions('user'));
      const crm = validateId(profile.crm_id, 'user.crm_id');
      for (const error of [...errors, ...(crm.error ? [crm.error] : [])]) this.report(error);
      this.profile = crm.value === undefined ? { fields } : { fields, crm_id: crm.value };
    } catch (cause) {
      this.report(new DropError('unsupported_environment', 'identify failed unexpectedly', { cause }));
    }
  }

  private personOptions(role: 'user' | 'customer', event?: EventName) {
    return { role, defaultCountry: this.options.defaultCountry, event };
  }

  /**
   * The ids in use, to hand to your server (its events need them). Empty
   * until consent is granted: no id exists before.
   */
  getIds(): { visitorId?: string; sessionId?: string } {
    const identity = this.state?.identity;
    const visitorId = identity?.getVisitorId();
    const sessionId = identity?.getSessionId();
    return { ...(visitorId ? { visitorId } : {}), ...(sessionId ? { sessionId } : {}) };
  }

  /** Adopts ids you already keep (e.g. from your own first-party cookie). Applied once consent is granted. */
  setIds(ids: { visitorId?: string; sessionId?: string }): void {
    this.presetIds = { ...this.presetIds, ...ids };
    if (this.state) this.applyIds(this.state.identity);
  }

  private applyIds(identity: Identity): void {
    const { visitorId, sessionId } = this.presetIds;
    if (visitorId && !identity.setVisitorId(visitorId)) {
      this.report(new InputError('invalid_field', 'visitorId must be a non-empty id of at most 256 characters', { field: 'visitorId' }));
    }
    if (sessionId && !identity.setSessionId(sessionId)) {
      this.report(new InputError('invalid_field', 'sessionId must be a non-empty id without "."', { field: 'sessionId' }));
    }
    this.presetIds = {};
  }

  /** Consent from your banner. `denied` drops what waits and clears the SDK's storage. */
  setConsent(consent: Consent): void {
    this.consent.set(consent);
    if (hasWindow()) this.applyConsent();
  }

  /**
   * Tracks a page view or an order. Never throws; never rejects. Resolves to
   * what became of the event: sent, queued, or dropped, and why.
   */
  track<E extends EventName>(event: E, input?: EventInputs[E]): Promise<TrackResult> {
    try {
      if (event !== 'page_view' && event !== 'order') {
        const error = new InputError('invalid_field', `Unknown event "${String(event)}": use 'page_view' or 'order'`, { field: 'event' });
        this.report(error);
        return Promise.resolve({ event, status: 'dropped', reason: 'invalid', errors: [error] });
      }
      return this.process({ event, input, at: Date.now(), url: currentUrl() }).catch((cause) =>
        this.unexpected(event, cause),
      );
    } catch (cause) {
      return Promise.resolve(this.unexpected(event, cause));
    }
  }

  private unexpected(event: EventName, cause: unknown): TrackResult {
    const error = new DropError('unsupported_environment', `The ${event} could not be tracked`, { event, cause });
    this.report(error);
    return { event, status: 'dropped', reason: 'unsupported_environment', errors: [error] };
  }

  private async process(p: Pending): Promise<TrackResult> {
    const { event } = p;
    if (!hasWindow()) {
      const error = new DropError('unsupported_environment', 'No window here (server-side rendering?): the browser client does nothing', { event });
      if (!this.saidUnsupported) this.report(error);
      this.saidUnsupported = true;
      return { event, status: 'dropped', reason: 'unsupported_environment', errors: [error] };
    }
    const consent = this.consent.value;
    if (consent === 'denied') {
      return { event, status: 'dropped', reason: 'consent_denied', errors: [new DropError('consent_denied', `Consent is denied: the ${event} was not sent`, { event })] };
    }
    if (consent === 'pending' || !this.state) {
      if (this.pending.length >= MAX_PENDING) {
        const error = new DropError('queue_full', `${MAX_PENDING} events already wait for consent; this ${event} was dropped`, { event });
        this.report(error);
        return { event, status: 'dropped', reason: 'queue_full', errors: [error] };
      }
      this.pending.push(p);
      return { event, status: 'queued', reason: 'consent_pending', errors: [] };
    }
    const built = this.build(p, this.state);
    for (const error of built.errors) this.report(error);
    if (built.dropped) return { event, status: 'dropped', reason: built.dropped, errors: built.errors };
    const entry = built.entry;
    // Claimed last, once the order is known to be sendable: a refused order can be fixed and tracked again.
    if (entry.orderId && !this.state.orders.claim(entry.orderId)) {
      const error = new DropError('duplicate', `Order ${entry.orderId} was already sent from this browser`, { event, field: 'order_id' });
      return { event, status: 'dropped', reason: 'duplicate', errors: [...built.errors, error] };
    }
    if (!this.outbox.add(entry)) {
      return { event, status: 'dropped', reason: 'queue_full', errors: [...built.errors, new DropError('queue_full', 'The delivery queue is full', { event })] };
    }
    return this.toResult(event, await this.delivery.attempt(entry), built.errors);
  }

  private toResult(event: EventName, status: DeliveryStatus, errors: SymbiosysError[]): TrackResult {
    if (status.status === 'sent') return { event, ...status, errors };
    if (status.status === 'queued') return { event, status: 'queued', reason: status.reason, errors: status.error ? [...errors, status.error] : errors };
    return { event, status: 'dropped', reason: status.reason, errors: [...errors, status.error] };
  }

  /** Validation, enrichment, hashing and encoding: everything before the network. */
  private build(
    p: Pending,
    state: NonNullable<SymbiosysClient['state']>,
  ): { entry: OutboxEntry; errors: SymbiosysError[]; dropped?: undefined } | { dropped: Extract<TrackResult, { status: 'dropped' }>['reason']; errors: SymbiosysError[] } {
    const { event } = p;
    const scrub = (url: string) =>
      scrubPageUrl(url, this.options.piiQueryParams ? { piiParams: this.options.piiQueryParams } : {});
    const errors: SymbiosysError[] = [];
    let record: EventRecords[EventName];
    let orderId: string | undefined;

    if (event === 'page_view') {
      const { value = {}, errors: invalid } = validatePageView(p.input);
      errors.push(...invalid);
      const url = value.page_view_url ?? p.url;
      if (!this.pageViews.admit({ ...value, page_view_url: url ?? '' }, p.at)) return { dropped: 'repeated_page_view', errors };
      const ids = state.identity.touch(p.at);
      const attribution = state.attribution.forPageView(p.url ?? '', ids);
      record = {
        page_view_ts: p.at,
        visitor_id: ids.visitorId,
        session_id: ids.sessionId,
        ...this.profileFields(),
        ...attribution,
        ...value,
        ...(url ? { page_view_url: scrub(url) } : {}),
      };
    } else {
      const { value, errors: invalid } = validateOrder(p.input);
      errors.push(...invalid);
      if (!value) return { dropped: 'invalid', errors };
      orderId = value.order_id;
      const customer = (p.input as EventInputs['order']).customer;
      const hashed = customer ? hashPerson(customer, this.personOptions('customer', event)) : { fields: {}, errors: [] };
      errors.push(...hashed.errors);
      const ids = state.identity.touch(p.at);
      const url = value.page_view_url ?? p.url;
      record = {
        order_ts: p.at,
        visitor_id: ids.visitorId,
        session_id: ids.sessionId,
        ...this.profileFields(),
        ...hashed.fields, // The order's customer email wins over the profile's.
        ...value,
        ...(url ? { page_view_url: scrub(url) } : {}),
      };
    }

    const encoded = encodeGet(event, record, { apiKey: this.options.apiKey, base: this.base });
    if (!encoded.ok) return { dropped: 'too_large', errors: [...errors, encoded.error] };
    errors.push(...encoded.request.errors);
    const entry: OutboxEntry = {
      id: `${p.at.toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
      event,
      url: encoded.request.url,
      createdAt: p.at,
      attempts: 0,
      lease: Date.now() + 30_000, // This tab sends it now; others keep off.
      ...(orderId === undefined ? {} : { orderId }),
    };
    return { entry, errors };
  }

  private profileFields(): HashedFields & { crm_id?: string } {
    if (!this.profile) return {};
    return this.profile.crm_id === undefined ? this.profile.fields : { ...this.profile.fields, crm_id: this.profile.crm_id };
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
