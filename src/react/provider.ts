import { createElement, useContext, useState, type ReactElement, type ReactNode } from 'react';
import {
  InputError,
  getClient,
  init,
  isSymbiosysError,
  type ClientOptions,
  type ConsentSource,
  type SymbiosysClient,
  type SymbiosysError,
} from '@acme/symbiosys';
import { ClientContext } from './context.js';

/**
 * Either `options` (the provider calls `init`) or a `client` you made, never
 * both. `consentSource` (with `options`): the consent platform the client
 * follows, as `options.consentSource`, which it wins over.
 */
export type SymbiosysProviderProps =
  | { options: ClientOptions; consentSource?: ConsentSource; client?: never; children?: ReactNode }
  | { client: SymbiosysClient; consentSource?: never; options?: never; children?: ReactNode };

/** Options already reported as unusable: StrictMode renders twice, the user hears once. */
const reported = new WeakSet<ClientOptions>();
/** Problems already logged for apps without `onError`: remounts and StrictMode log nothing more. */
const logged = new Set<string>();

/** What `init` threw, as the SDK's error type `onError` takes; the SDK's own errors pass as they are. */
function asSymbiosysError(cause: unknown): SymbiosysError {
  if (isSymbiosysError(cause)) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new InputError('invalid_field', message, { cause });
}

/** To `options.onError` once per options object; without one, to the console once per problem. */
function reportUnusable(options: ClientOptions | undefined, error: SymbiosysError): void {
  if (options instanceof Object && typeof options.onError === 'function') {
    if (reported.has(options)) return;
    reported.add(options);
    try {
      options.onError(error);
    } catch {
      // The user's handler failing must not break rendering either.
    }
    return;
  }
  if (logged.has(error.message)) return;
  logged.add(error.message);
  console.error(`[symbiosys] ${error.message}: nothing is tracked`);
}

/**
 * `init(options)`, where unusable options are reported rather than thrown: a
 * missing key in one environment must not take the whole app down.
 */
function initOrReport(options: ClientOptions | undefined, consentSource?: ConsentSource): SymbiosysClient | null {
  try {
    // The caller's object stays the one reported against: StrictMode's second render reports nothing more.
    return init(
      (consentSource && options instanceof Object ? { ...options, consentSource } : options) as ClientOptions,
    );
  } catch (cause) {
    reportUnusable(options, asSymbiosysError(cause));
    return null;
  }
}

/**
 * Makes a client available to `useSymbiosys`, `usePageView` and `useOrder`
 * below it.
 *
 * With `options` it calls `init(options)` once, so the browser entry's plain
 * `track` works anywhere in the app too (a second provider, or StrictMode's
 * second render, gets the same default client). Options `init` refuses (an
 * empty `apiKey`, an unknown `region`, …) are not thrown: the error `init`
 * threw goes to `options.onError`, or without one to the console, once
 * (`[symbiosys] …`), and nothing is tracked. With `client` it uses that
 * client as it is.
 *
 * Safe in server rendering: a client there does nothing.
 *
 * @example
 * <SymbiosysProvider options={{ apiKey: 'pk_live_…' }}>
 *   <App />
 * </SymbiosysProvider>
 */
export function SymbiosysProvider(props: SymbiosysProviderProps): ReactElement {
  const [initialised] = useState(() => {
    if (props.client) return undefined;
    return initOrReport(props.options, props.consentSource);
  });
  return createElement(ClientContext.Provider, { value: props.client ?? initialised ?? null }, props.children);
}

/**
 * The provider's client; outside a provider, the default client once `init`
 * has run. `undefined` when there is none (or the provider's key was unusable).
 */
export function useSymbiosys(): SymbiosysClient | undefined {
  const client = useContext(ClientContext);
  return client === undefined ? getClient() : (client ?? undefined);
}
