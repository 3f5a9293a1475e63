// What the SDK did with each call, for the page to show. The hooks call `track`
// once per navigation and once per order, StrictMode or not, so the list has
// one `page_view: sent` per navigation and one `order:` line per thank-you visit.
import { useSyncExternalStore } from 'react';
import { SymbiosysClient } from '@acme/symbiosys';

let lines = [];
const listeners = new Set();

function note(result) {
  const how = result.status === 'sent' ? result.transport : result.reason;
  lines = [...lines, `${result.event}: ${result.status} (${how})`];
  for (const listener of listeners) listener();
}

/** A client that also notes each `track` result; handed to `<SymbiosysProvider client>`. */
export class LoggedClient extends SymbiosysClient {
  async track(event, input, options) {
    const result = await super.track(event, input, options);
    note(result);
    return result;
  }
}

const subscribe = (listener) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useSdkLog = () =>
  useSyncExternalStore(
    subscribe,
    () => lines,
    () => lines,
  );
