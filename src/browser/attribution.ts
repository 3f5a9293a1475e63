/**
 * Which ad click brought the visitor: the `channel`, `channel_click_id` and
 * `external_campaign_id` of a page view, read from the landing URL's click id
 * and kept for the rest of the session, so the product page three clicks
 * later is still credited to the ad.
 */

import type { EventIds } from './identity.js';
import type { KeyValueStore } from './storage.js';

/**
 * Click-id query parameter -> channel, in priority order (the first present
 * wins). Names are matched exactly, as the platforms send them (`ScCid`).
 */
export const DEFAULT_CLICK_IDS: Readonly<Record<string, string>> = Object.freeze({
  gclid: 'google',
  gbraid: 'google',
  wbraid: 'google',
  dclid: 'google',
  fbclid: 'facebook',
  msclkid: 'microsoft',
  ttclid: 'tiktok',
  twclid: 'x',
  li_fat_id: 'linkedin',
  ScCid: 'snapchat',
  epik: 'pinterest',
});

/** Query parameters carrying the ad platform's campaign id, in priority order. */
export const DEFAULT_CAMPAIGN_PARAMS: readonly string[] = Object.freeze(['utm_id', 'gad_campaignid', 'campaign_id']);

/** The storage key of the session's attribution (JSON). */
export const ATTRIBUTION_KEY = '_sym_attr';

/** Long enough for any real session; the record is also bound to its session id, so a new session never inherits it. */
const RECORD_MAX_AGE_MS = 86_400_000;

export interface AttributionFields {
  channel?: string;
  channel_click_id?: string;
  external_campaign_id?: string;
}

/**
 * The attribution a URL carries: the first click id of `clickIds` (in its
 * order) present with a value, and the first campaign parameter. A URL that
 * cannot be parsed carries none. Relative URLs are accepted.
 */
export function readAttribution(
  url: string,
  clickIds: Readonly<Record<string, string>> = DEFAULT_CLICK_IDS,
  campaignParams: readonly string[] = DEFAULT_CAMPAIGN_PARAMS,
): AttributionFields {
  // No `?`, no query: most page URLs of a visit, spared the URL parser.
  if (!url.includes('?')) return {};
  let params: URLSearchParams;
  try {
    params = new URL(url, 'http://localhost').searchParams;
  } catch {
    return {};
  }
  const value = (name: string) => params.get(name)?.trim() || undefined;
  const out: AttributionFields = {};
  for (const [name, channel] of Object.entries(clickIds)) {
    const clickId = value(name);
    if (!channel || clickId === undefined) continue;
    out.channel = channel;
    out.channel_click_id = clickId;
    break;
  }
  for (const name of campaignParams) {
    const campaignId = value(name);
    if (campaignId === undefined) continue;
    out.external_campaign_id = campaignId;
    break;
  }
  return out;
}

export interface AttributionOptions {
  /** Extra click ids (`{ yclid: 'yandex' }`), merged over `DEFAULT_CLICK_IDS`; map a name to `''` to ignore it. */
  clickIds?: Record<string, string> | undefined;
  /** Replaces `DEFAULT_CAMPAIGN_PARAMS`. */
  campaignParams?: readonly string[];
  /** @default Date.now */
  now?: () => number;
}
const FIELDS = ['channel', 'channel_click_id', 'external_campaign_id'] as const;

/**
 * The fields of the stored record (`{ sid, ...fields }`), if it belongs to
 * `sessionId`. Only string fields are taken: storage is shared with whatever
 * else runs on the page.
 */
function parse(raw: string | undefined, sessionId: string): AttributionFields | undefined {
  try {
    const parsed = raw ? (JSON.parse(raw) as Record<string, unknown> | null) : null;
    if (parsed?.sid !== sessionId) return undefined;
    const out: AttributionFields = {};
    for (const f of FIELDS) {
      const v = parsed[f];
      if (typeof v === 'string' && v) out[f] = v;
    }
    return out;
  } catch {
    return undefined; // Not ours, or corrupted: treated as absent.
  }
}

/**
 * The session's attribution. Captured from the landing URL; replaced when a
 * later URL of the session carries a click id (a new ad click), or carries a
 * campaign id while no click id was captured; forgotten when a new session
 * starts. Kept in the store (tab-shared through localStorage) under
 * `ATTRIBUTION_KEY`. Fields given explicitly to `track` win over it: that
 * merge is the client's.
 */
export class Attribution {
  private readonly _store: KeyValueStore;
  private readonly _clickIds: Record<string, string>;
  private readonly _campaignParams: readonly string[];
  private readonly _now: () => number;

  constructor(store: KeyValueStore, options: AttributionOptions = {}) {
    this._store = store;
    this._clickIds = { ...DEFAULT_CLICK_IDS, ...options.clickIds };
    this._campaignParams = options.campaignParams ?? DEFAULT_CAMPAIGN_PARAMS;
    this._now = options.now ?? Date.now;
  }

  /** Call on each page view with its URL and the session `Identity.idsForEvent` gave; gives the fields to send. */
  forPageView(url: string, session: Pick<EventIds, 'sessionId' | 'isNewSession'>): AttributionFields {
    const raw = this._store.readLocal(ATTRIBUTION_KEY);
    const saved = session.isNewSession ? undefined : parse(raw, session.sessionId);
    const seen = readAttribution(url, this._clickIds, this._campaignParams);
    const replace =
      seen.channel_click_id !== undefined || (seen.external_campaign_id !== undefined && !saved?.channel_click_id);
    const fields = replace ? seen : saved;
    const text = fields && JSON.stringify({ sid: session.sessionId, ...fields });
    const expires = this._store.expiresAt(ATTRIBUTION_KEY);
    if (!text) {
      if (raw !== undefined) this._store.remove(ATTRIBUTION_KEY); // Another session's.
    } else if (text !== raw || expires === undefined || expires - this._now() < RECORD_MAX_AGE_MS / 2) {
      // Unchanged records are rewritten only past half their life: no write per page view.
      this._store.set(ATTRIBUTION_KEY, text, RECORD_MAX_AGE_MS);
    }
    return fields ?? {};
  }

  /** Forgets the session's attribution (consent withdrawn). */
  clear(): void {
    this._store.remove(ATTRIBUTION_KEY);
  }
}
