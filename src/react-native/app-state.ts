/**
 * Flushing when the app leaves the foreground: iOS and Android may suspend
 * or kill a backgrounded app, and what was sent before is what arrives first.
 * Takes React Native's `AppState` as an argument, so this entry imports no
 * `react-native` module of its own.
 */

/** The part of React Native's `AppState` this uses. */
export interface AppStateLike {
  addEventListener(type: 'change', listener: (state: string) => void): { remove(): void };
}

/**
 * Calls `client.flush()` each time the app turns to `background` (or
 * `inactive`, iOS's step before it); returns the function that stops it.
 *
 * @example
 * import { AppState } from 'react-native';
 * useEffect(() => flushInBackground(symbiosys, AppState), []);
 */
export function flushInBackground(client: { flush(): Promise<void> }, appState: AppStateLike): () => void {
  const subscription = appState.addEventListener('change', (state) => {
    if (state === 'background' || state === 'inactive') void client.flush();
  });
  return () => subscription.remove();
}
