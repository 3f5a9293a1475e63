/**
 * The tag-manager build: one self-contained script (IIFE) that defines
 * `window.Symbiosys` with the browser entry's functions, for a Google Tag
 * Manager Custom HTML tag or a plain `<script>`.
 *
 * Loaded by the README's loader snippet, it finds the snippet's stub
 * `window.Symbiosys` first: the calls the stub queued (with the time and page
 * of each) are replayed here, in order, before this script's own
 * `Symbiosys` replaces the stub.
 */
import { SymbiosysClient } from './browser/client.js';
import * as defaultApi from './browser/default-client.js';
import { flush, getClient, identify, init, reset, setConsent, track } from './browser/default-client.js';

export { SymbiosysClient, init, track, identify, reset, setConsent, flush, getClient };

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

/** What the stub queues. `reset` replays only once the default API has one. */
const QUEUED_METHODS = new Set(['init', 'track', 'identify', 'setConsent', 'reset']);

function replay(entry: unknown): void {
  if (!Array.isArray(entry)) return;
  const [name, args, timestamp, pageUrl, resolve, reject] = entry as QueuedCall;
  const method = (defaultApi as Record<string, unknown>)[name];
  try {
    let value: unknown;
    if (name === 'track') {
      const [event, input, options] = Array.isArray(args) ? args : [];
      // The call's own time and page; options the caller passed win.
      value = track(event as 'page_view', input as undefined, { timestamp, pageUrl, ...(options as object) });
    } else if (QUEUED_METHODS.has(name) && typeof method === 'function') {
      value = (method as (...values: unknown[]) => unknown)(...(Array.isArray(args) ? args : []));
    }
    if (typeof resolve === 'function') resolve(value);
  } catch (error) {
    // Only `init` throws (an option's mistake): the stub's promise says so, as the direct call would have.
    if (typeof reject === 'function') reject(error);
  }
}

/** The stub's queue, if the loader snippet ran before this script. */
function stubQueue(): unknown[] | undefined {
  if (typeof window === 'undefined') return undefined;
  const stub = (window as { Symbiosys?: { q?: unknown } }).Symbiosys;
  return Array.isArray(stub?.q) ? stub.q : undefined;
}

const queue = stubQueue();
if (queue) {
  for (const entry of queue.splice(0)) replay(entry);
  // Code that kept a reference to the stub still reaches the SDK: its calls now replay at once.
  queue.push = (...entries: unknown[]) => {
    entries.forEach(replay);
    return 0;
  };
}
