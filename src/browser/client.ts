/**
 * `SymbiosysClient`: the browser SDK's lifecycle. It owns consent and what
 * consent allows to exist (storage, ids, the persisted outbox), the signed-in
 * profile, and the calls waiting for consent; each tracked call then runs
 * through the event pipeline (`pipeline.ts`). It never throws into the page
 * after construction: every problem is a typed error in the result and in
 * `onError`.
 */
import {
  DropError,
  InputError,
  internalError,
  report,
  type ErrorHandler,
  type SymbiosysError,
} from '../core/errors.js';
import type { EventName } from '../core/fields.js';
import { baseUrl, HOST_OPTION_RULES, type HostOptions } from '../core/hosts.js';
import type { EventInputs, Profile, ProfileFields } from '../core/model.js';
import { checkOptions, countryRule, flag, handler, integer, oneOf, text, type OptionRules } from '../core/options.js';
import { NO_INPUT, isObject, plainInput } from '../core/plain-input.js';
import { VALUE_RULES, acceptValue } from '../core/values.js';
import { Attribution } from './attribution.js';
import {
  consentInForce,
  toDecisions,
  type Consent,
  type ConsentDecisions,
  type ConsentInput,
  type ConsentSource,
} from './consent.js';
import { createDebugView } from './debug.js';
import { createDelivery, type Delivery } from './delivery.js';
import { sha256Hex } from './hash.js';
import { Identity, wholeMsNow } from './identity.js';
import { OrderClaims } from './order-claims.js';
import { Outbox } from './outbox.js';
import { PageViewGate } from './page-view-gate.js';
import { hashProfile, runPipeline, type BrowserState, type PipelineOptions } from './pipeline.js';
import { dropped, type DropReason, type TrackCall, type TrackResult } from './result.js';
import { createKeyValueStore, type StorageMode } from './storage.js';
import type { Transport } from './transport.js';

export type { TrackResult } from './result.js';

/**
 * The browser client's options (`init`, `new SymbiosysClient`, the tag's
 * `Symbiosys.init`). Each is checked at construction by its row of
 * `CLIENT_OPTIONS` below: a wrong type or value throws an `invalid_option`
 * `SymbiosysError` naming it; an unknown key is reported to `onError`.
 */
export interface ClientOptions extends HostOptions {
  /** Required. A missing or empty key is a programming mistake: the constructor throws. */
  apiKey: string;
  /** `auto`: page views by beacon, orders by fetch (confirmed). @default 'auto' */
  transport?: Transport;
  /** `pending` keeps events in memory and writes no storage until `setConsent`. @default 'granted' */
  consent?: Consent;
  /**
   * A consent platform to follow: `tcfConsent()` (IAB TCF v2.2) or
   * `googleConsentMode()` (Consent Mode v2). The client then starts
   * `pending`, whatever `consent` says, and follows each of the platform's
   * decisions (README, "Consent").
   */
  consentSource?: ConsentSource;
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
  /**
   * Use this visitor id instead of generating one (one the SDK made before,
   * kept by you). It must have the SDK's shape, 45 lowercase hex characters:
   * any other value is reported (`invalid_field` on `visitorId`) and the
   * SDK's own id is used.
   */
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
  /**
   * Logs each event to the console as it is tracked: its fields (hashes
   * shortened), the GET request, then what became of it. Never raw PII.
   * @default false
   */
  debug?: boolean;
}

/** What each option takes (`core/options.ts` has the rule): one row per option. */
const CLIENT_OPTIONS: OptionRules<ClientOptions> = {
  apiKey: { ...text, secret: true, required: true },
  ...HOST_OPTION_RULES,
  transport: oneOf<Transport>('auto', 'beacon', 'fetch'),
  consent: oneOf<Consent>('granted', 'pending', 'denied'),
  consentSource: {
    takes: 'a consent source (tcfConsent(), googleConsentMode())',
    test: (value) => isObject(value) && typeof value.start === 'function',
  },
  honorGlobalPrivacyControl: flag,
  defaultCountry: countryRule,
  onError: handler,
  storage: oneOf<StorageMode>('cookie+localStorage', 'localStorage', 'memory'),
  cookieDomain: text,
  visitorId: { ...text, secret: true },
  clickIds: {
    takes: "an object of query parameter names to channels, like { yclid: 'yandex' }",
    test: (value) => isObject(value) && Object.values(value).every((channel) => text.test(channel)),
  },
  piiQueryParams: {
    takes: 'an array of query parameter names',
    test: (value) => Array.isArray(value) && value.every((name) => text.test(name)),
  },
  pageViewDedupeMs: integer(0),
  maxQueueSize: integer(1),
  maxQueueBytes: integer(1),
  retryBaseMs: integer(1),
  debug: flag,
};

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

/**
 * The browser SDK: tracks page views and orders, hashes PII before anything
 * leaves the page, keeps what waits for consent or for the network. `init`
 * makes the default one; make your own for a second key.
 *
 * @example
 * const symbiosys = new SymbiosysClient({ apiKey: 'pk_live_…', region: 'eu', onError: console.warn });
 * await symbiosys.track('page_view', { product_id: '170830' });
 */
export class SymbiosysClient {
  private readonly _options: ClientOptions;
  /** As the page's banner or consent source last said; `_consentNow()` adds Global Privacy Control. */
  private _consent: ConsentDecisions;
  private readonly _outbox: Outbox;
  private readonly _delivery: Delivery;
  private readonly _pipeline: PipelineOptions;
  /** What exists only while consent is granted: the ids and what this browser remembers. */
  private _state: BrowserState | undefined;
  /** The signed-in profile as sent with every event: its hashed `*_user` fields and `crm_id`. */
  private _profile: ProfileFields = {};
  /** A profile given before user data was granted: hashed only once it is. */
  private _unhashedProfile: Profile | undefined;
  /** Calls waiting for consent, replayed as they were called once it is granted. */
  private _pending: TrackCall[] = [];
  private _saidUnsupported = false;
  private _presetIds: PresetIds = {};
  /** Hands an error to the user's `onError`, whose own exceptions never reach the page. */
  private readonly _onError = (error: SymbiosysError): void => report(this._options.onError, error);

  /**
   * @throws SymbiosysError (`invalid_option`) when an option breaks its rule
   * (a missing `apiKey`, `region: 'EU'`): a programming mistake. Nothing is
   * thrown after construction.
   */
  constructor(given: ClientOptions) {
    const { options, warnings } = checkOptions(given, CLIENT_OPTIONS, 'SymbiosysClient');
    this._options = options;
    warnings.forEach(this._onError);
    const base = baseUrl(options);
    this._outbox = new Outbox({
      maxCount: options.maxQueueSize ?? 100,
      maxBytes: options.maxQueueBytes ?? 250_000,
      now: Date.now,
      onDrop: ({ event }, reason) =>
        this._onError(new DropError(reason, `An undelivered ${event} was dropped`, { event })),
      base,
    });
    this._delivery = createDelivery({
      transport: options.transport ?? 'auto',
      outbox: this._outbox,
      now: Date.now,
      report: this._onError,
      retryBaseMs: options.retryBaseMs,
      // The claims of the consent in force: none while it is withdrawn, when orders are not sent.
      claims: () => this._state?.orders,
      // The session stamp the identity holds back is written when the page goes away.
      beforeExit: () => this._state?.identity.writeLastEvent(),
    });
    this._pipeline = {
      apiKey: options.apiKey,
      base,
      defaultCountry: options.defaultCountry,
      piiQueryParams: options.piiQueryParams,
      sha256: sha256Hex,
      pageViews: new PageViewGate({ windowMs: options.pageViewDedupeMs }),
      delivery: this._delivery,
      report: this._onError,
      debug: options.debug === true ? createDebugView() : undefined,
      userData: () => this._consentNow().userData === 'granted',
    };
    const initial = options.consentSource ? 'pending' : (options.consent ?? 'granted');
    this._consent = { storage: initial, userData: initial };
    if (!hasWindow()) return;
    this._delivery.watchPage();
    this._applyConsent();
    try {
      options.consentSource?.start((decisions) => this.setConsent(decisions), this._onError);
    } catch (cause) {
      this._onError(new DropError('consent_unanswered', 'The consent source failed to start: events wait', { cause }));
    }
  }

  private _consentNow(): ConsentDecisions {
    return consentInForce(this._consent, this._options.honorGlobalPrivacyControl ?? true);
  }

  /**
   * Storage, identity and the outbox exist only once storage is granted; the
   * events kept go out once user data is decided too, with or without it.
   */
  private _applyConsent(): void {
    const { storage, userData } = this._consentNow();
    const options = this._options;
    if (storage === 'granted') {
      if (!this._state) {
        const mode = options.storage ?? 'cookie+localStorage';
        const store = createKeyValueStore(mode, { cookieDomain: options.cookieDomain });
        // Attribution and sent orders only matter to this browser: localStorage, never a cookie sent to the shop.
        const local = mode === 'memory' ? store : createKeyValueStore('localStorage');
        const identity = new Identity(store);
        this._adoptIds(identity, { visitorId: options.visitorId, ...this._presetIds });
        this._state = {
          identity,
          attribution: new Attribution(local, { clickIds: options.clickIds }),
          orders: new OrderClaims({ store: local }),
        };
        this._outbox.setPersistent(mode !== 'memory');
        this._delivery.sendWaiting(); // Whatever earlier pages left undelivered.
      }
      if (userData === 'pending') return;
      if (userData === 'granted' && this._unhashedProfile) this.identify(this._unhashedProfile);
      for (const call of this._pending.splice(0)) {
        void this._process(call).then((result) => this._pipeline.debug?.settled(call, result));
      }
    } else if (storage === 'denied') {
      const state = this._state;
      this._pending = [];
      this._state = undefined;
      if (state) {
        state.identity.forget();
        state.attribution.clear();
        state.orders.clear();
      }
      this._outbox.clear();
      this._outbox.setPersistent(false);
    }
  }

  /**
   * Sets the signed-in profile: its PII becomes the `*_user` hashed fields
   * (and `hashed_email`) of every later event, hashed once: here, or when
   * consent to user data is granted, never before. Kept in memory only: call
   * it on each page load while signed in. `null` forgets it.
   */
  identify(profile: Profile | null): void {
    this._unhashedProfile = undefined;
    try {
      // No PII is hashed before user data is granted (a consent platform may yet deny it).
      if (profile != null && this._consentNow().userData !== 'granted') this._unhashedProfile = profile;
      this._profile = profile == null || this._unhashedProfile ? {} : hashProfile(profile, this._pipeline);
    } catch (cause) {
      this._onError(internalError('identify', cause));
    }
  }

  /**
   * Logout on a shared computer: forgets the profile (as `identify(null)`),
   * starts a new visitor and a new session, and clears the attribution
   * captured from ad clicks, so the next person at this browser is not
   * joined to the last one. Order ids already sent stay remembered, so a
   * reloaded confirmation page still sends no duplicate.
   */
  reset(): void {
    this._profile = {};
    this._unhashedProfile = undefined;
    this._presetIds = {};
    const state = this._state;
    if (!state) return;
    state.identity.forget();
    state.attribution.clear();
    state.identity.idsForEvent(); // The new visitor and session exist at once (getIds, your server).
  }

  /**
   * The ids in use, to hand to your server (its events need them). Empty
   * until consent is granted: no id exists before.
   */
  getIds(): { visitorId?: string; sessionId?: string } {
    const identity = this._state?.identity;
    const visitorId = identity?.getVisitorId();
    const sessionId = identity?.getSessionId();
    return { ...(visitorId && { visitorId }), ...(sessionId && { sessionId }) };
  }

  /**
   * Adopts ids you already keep (e.g. from your own first-party cookie), in
   * the SDK's shapes: a visitor id of 45 lowercase hex characters, a session
   * id of digits (the session's start in ms). Others are reported
   * (`invalid_field`) and the SDK's own ids stay. Applied once consent is granted.
   */
  setIds(ids: { visitorId?: string; sessionId?: string }): void {
    this._presetIds = { ...this._presetIds, ...ids };
    if (this._state) this._adoptIds(this._state.identity, this._presetIds);
  }

  private _adoptIds(identity: Identity, { visitorId, sessionId }: PresetIds): void {
    this._presetIds = {};
    const refuse = (field: string, shape: string) =>
      this._onError(
        new InputError('invalid_field', `${field} must be ${shape}: ignored, the SDK's own id is used`, { field }),
      );
    if (visitorId && !identity.setVisitorId(visitorId)) refuse('visitorId', '45 lowercase hex characters');
    if (sessionId && !identity.setSessionId(sessionId)) refuse('sessionId', "the session's start in ms, as digits");
  }

  /**
   * Consent from your banner: one state for everything, or the two decisions
   * (`{ storage, userData }`, see `ConsentDecisions`). Storage `denied` drops
   * what waits and clears the SDK's storage; user data `denied` sends events
   * without any `hashed_*` field or `crm_id`. With a `consentSource`, the
   * source's next decision replaces this one. Anything else is ignored.
   */
  setConsent(consent: ConsentInput): void {
    const decisions = toDecisions(consent);
    if (decisions) this._consent = decisions;
    if (hasWindow()) this._applyConsent();
  }

  /**
   * Tracks a page view or an order. Never throws; never rejects. Resolves to
   * what became of the event: sent, queued, or dropped, and why.
   */
  async track<E extends EventName>(event: E, input?: EventInputs[E], options?: TrackOptions): Promise<TrackResult> {
    try {
      if (event !== 'page_view' && event !== 'order') {
        return this._drop(
          event,
          'invalid',
          new InputError('invalid_field', "event must be 'page_view' or 'order'", { field: 'event' }),
        );
      }
      if (!hasWindow()) {
        const error = new DropError(
          'unsupported_environment',
          'No window here (server-side rendering, Node): the browser client does nothing. ' +
            'To send events from a server, use SymbiosysServerClient from @acme/symbiosys/server.',
          { event },
        );
        if (!this._saidUnsupported) this._onError(error);
        this._saidUnsupported = true;
        return dropped(event, 'unsupported_environment', [error]);
      }
      // Read once, as the input is: an option whose getter throws is reported and falls back to its default.
      const read = plainInput(options, event, 'options');
      read.errors.forEach(this._onError);
      const { timestamp, pageUrl: url } = (read.value ?? NO_INPUT) as TrackOptions;
      const at = timestamp === undefined ? undefined : acceptValue('timestamp', timestamp);
      if (timestamp !== undefined && at === undefined) {
        const rule = VALUE_RULES.timestamp.expected;
        this._onError(
          new InputError('invalid_field', `timestamp must be ${rule}: the time of the call is used`, {
            field: 'timestamp',
            event,
          }),
        );
      }
      const call: TrackCall = {
        event,
        input,
        // Whole ms: a given timestamp is by its rule, and a page may replace Date.now with one giving fractions.
        at: at ?? wholeMsNow(),
        url: typeof url === 'string' && url !== '' ? url : window.location.href,
      };
      const result = await this._process(call);
      this._pipeline.debug?.settled(call, result);
      return result;
    } catch (cause) {
      return this._drop(event, 'internal_error', internalError('track', cause, event));
    }
  }

  /** Drops an event for one reason, reported. */
  private _drop(event: EventName, reason: DropReason, error: SymbiosysError): TrackResult {
    this._onError(error);
    return dropped(event, reason, [error]);
  }

  /** The consent gate: a call runs through the pipeline now, waits for consent, or is dropped. */
  private async _process(call: TrackCall): Promise<TrackResult> {
    const { event } = call;
    const { storage, userData } = this._consentNow();
    if (storage === 'denied') {
      return dropped(event, 'consent_denied', [new DropError('consent_denied', 'Consent is denied', { event })]);
    }
    const state = this._state;
    if (storage === 'pending' || userData === 'pending' || !state) {
      if (this._pending.length < MAX_PENDING) {
        this._pending.push(call);
        return { event, status: 'queued', reason: 'consent_pending', errors: [] };
      }
      return this._drop(
        event,
        'queue_full',
        new DropError('queue_full', 'Too many events wait for consent', { event }),
      );
    }
    return runPipeline(call, state, this._profile, this._pipeline);
  }

  /** Resolves when every queued event was handed to the network (or `timeoutMs` passed). */
  async flush(timeoutMs = 10_000): Promise<void> {
    try {
      this._delivery.sendWaiting();
      await this._delivery.settled(timeoutMs);
    } catch {
      // flush never rejects.
    }
  }
}
