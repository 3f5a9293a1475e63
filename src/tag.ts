/**
 * The tag-manager build: one self-contained script (IIFE) that defines
 * `window.Symbiosys` with the browser entry's functions, for a Google Tag
 * Manager Custom HTML tag or a plain `<script>`.
 *
 * Loaded by the README's loader snippet, it finds the snippet's stub
 * `window.Symbiosys` first: the calls the stub queued (with the time and page
 * of each) are replayed here, in order, once this script's `Symbiosys` has
 * replaced the stub.
 *
 * The script exports nothing and sets the global itself: a bundler's export
 * helper walks the exports with `for…in`, which breaks on a page whose
 * `Object.prototype` carries an enumerable property, and a second copy of the
 * script must not replace the live `Symbiosys` (its client, its queue).
 */
import { SymbiosysClient, type ClientOptions } from './browser/client.js';
import { googleConsentMode } from './browser/consent-google.js';
import { tcfConsent } from './browser/consent-tcf.js';
import * as defaultApi from './browser/default-client.js';
import { flush, getClient, identify, reset, setConsent, track } from './browser/default-client.js';

/** Marks the `Symbiosys` of a tag script already running on the page. */
const LIVE = Symbol.for('@acme/symbiosys/tag');

/**
 * The tag's `init` options: a tag (or the loader snippet's queue) can only
 * hand over data, so the consent source may also be named: `'tcf'` is
 * `tcfConsent()`, `'google'` is `googleConsentMode()`. With options
 * (`vendorId`), pass `Symbiosys.tcfConsent({ … })` once this script has loaded.
 */
export type TagOptions = Omit<ClientOptions, 'consentSource'> & {
  consentSource?: ClientOptions['consentSource'] | 'tcf' | 'google';
};

/** The browser entry's `init`, with a consent source given by name. */
function init(options: TagOptions): SymbiosysClient {
  const named = (options as TagOptions | undefined)?.consentSource;
  const consentSource = named === 'tcf' ? tcfConsent() : named === 'google' ? googleConsentMode() : named;
  return defaultApi.init({ ...options, consentSource } as ClientOptions);
}

const api = {
  SymbiosysClient,
  init,
  track,
  identify,
  reset,
  setConsent,
  flush,
  getClient,
  tcfConsent,
  googleConsentMode,
  [LIVE]: true,
};

/**
 * A call as the stub recorded it: the method, its arguments, when and where
 * it was made, and the stub promise's settle functions.
 */
type QueuedCall = [
  name: string,
  args: unknown[],
  timestamp: number,
  pageUrl: string,
  resolve?: (value: unknown) => void,
  reject?: (reason: unknown) => void,
];

type Replayed = (...args: unknown[]) => unknown;

/** What the stub queues besides `track`, by name (a `Map`: no inherited keys). */
const REPLAYED = new Map<string, Replayed>([
  ['init', init as Replayed],
  ['identify', identify as Replayed],
  ['setConsent', setConsent as Replayed],
  ['reset', reset],
]);

function replay(entry: unknown): void {
  if (!Array.isArray(entry)) return;
  const [name, args, timestamp, pageUrl, resolve, reject] = entry as QueuedCall;
  const list = Array.isArray(args) ? args : [];
  try {
    let value: unknown;
    if (name === 'track') {
      const [event, input, options] = list;
      // The call's own time and page; options the caller passed win.
      value = track(event as 'page_view', input as undefined, { timestamp, pageUrl, ...(options as object) });
    } else {
      value = REPLAYED.get(name)?.(...list);
    }
    if (typeof resolve === 'function') resolve(value);
  } catch (error) {
    // Only `init` throws (an option's mistake): the stub's promise says so, as the direct call would have.
    if (typeof reject === 'function') reject(error);
  }
}

function isLive(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[LIVE] === true;
}

/** The stub's queue, if the loader snippet ran before this script. */
function stubQueue(value: unknown): unknown[] | undefined {
  const queue = typeof value === 'object' && value !== null ? (value as { q?: unknown }).q : undefined;
  return Array.isArray(queue) ? queue : undefined;
}

function install(): void {
  if (typeof window === 'undefined') return;
  const page = window as unknown as { Symbiosys?: unknown };
  // A second copy of the script: the first one's client and queue stay in charge.
  if (isLive(page.Symbiosys)) return;
  const queue = stubQueue(page.Symbiosys);
  page.Symbiosys = api;
  if (!queue) return;
  for (const entry of queue.splice(0)) replay(entry);
  // Code that kept a reference to the stub still reaches the SDK: its calls now replay at once.
  queue.push = (...entries: unknown[]) => {
    entries.forEach(replay);
    return 0;
  };
}

install();
