// What the SDK did with each call, for the page to show: under StrictMode
// each navigation lists one `sent` and one `dropped (repeated_page_view)`.
import { useSyncExternalStore } from 'react';

let lines = [];
const listeners = new Set();

/** Records a `track` result. */
export function note(result) {
  const how = result.status === 'sent' ? result.transport : result.reason;
  lines = [...lines, `${result.event}: ${result.status} (${how})`];
  for (const listener of listeners) listener();
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
