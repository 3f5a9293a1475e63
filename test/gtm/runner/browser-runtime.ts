/**
 * The web template's runtime inside a real page, as GTM's would be: the
 * APIs act on the page's window, its `dataLayer`, a consent state that
 * `gtag('consent', 'update', …)` would change, and injected <script>s.
 * Bundled by test/gtm/web-e2e.test.ts and added to the page; the template
 * runs through `window.gtmRuntime.run(code, data, grants)`.
 */
import { getType, webApis, type WebEnvironment } from './apis.js';

type Listener = (type: string, granted: boolean) => void;

/** GTM's data layer model (version 2): pushed objects merged recursively, arrays and other values replaced. */
function merge(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    if (getType(value) === 'object' && getType(existing) === 'object') {
      merge(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      into[key] = getType(value) === 'object' ? structuredClone(value) : value;
    }
  }
}

function dataLayerModel(): Record<string, unknown> {
  const model: Record<string, unknown> = {};
  const layer = (window as unknown as { dataLayer?: unknown[] }).dataLayer ?? [];
  for (const entry of layer) if (getType(entry) === 'object') merge(model, entry as Record<string, unknown>);
  return model;
}

const consentState: Record<string, boolean> = {};
const listeners: Array<{ type: string; listener: Listener }> = [];
const scripts = new Map<string, Promise<void>>();

const environment: WebEnvironment = {
  window: window as unknown as Record<string, unknown>,
  dataLayer: dataLayerModel,
  consent: {
    // Not set at all counts as granted (isConsentGranted's reference).
    granted: (type) => consentState[type] !== false,
    listen: (type, listener) => void listeners.push({ type, listener }),
  },
  injectScript(url, onSuccess, onFailure, cacheToken) {
    const key = cacheToken ?? url;
    let loading = scripts.get(key);
    if (!loading) {
      loading = new Promise<void>((resolve, reject) => {
        const script = document.createElement('script');
        script.src = url;
        script.async = true;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(url));
        document.head.appendChild(script);
      });
      scripts.set(key, loading);
    }
    loading.then(onSuccess, onFailure);
  },
};

const runtime = {
  /** Runs the template once, as a tag firing; resolves 'success' or 'failure' when it says. */
  run(code: string, data: Record<string, unknown>, grants: Array<[string, Record<string, unknown>]>): Promise<string> {
    const apis = webApis(environment, new Map(grants));
    return new Promise((resolve) => {
      const require = (name: string) => apis[name];
      const full = { ...data, gtmOnSuccess: () => resolve('success'), gtmOnFailure: () => resolve('failure') };
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the template's code, as GTM evaluates it.
      (new Function('require', 'data', code) as (r: typeof require, d: typeof full) => void)(require, full);
    });
  },
  /** What `gtag('consent', 'default' | 'update', state)` does to GTM's consent state. */
  consent(state: Record<string, 'granted' | 'denied'>): void {
    for (const [type, value] of Object.entries(state)) {
      const granted = value === 'granted';
      const changed = consentState[type] !== undefined ? consentState[type] !== granted : !granted;
      consentState[type] = granted;
      if (changed) for (const entry of listeners) if (entry.type === type) entry.listener(type, granted);
    }
  },
};

(window as unknown as { gtmRuntime: typeof runtime }).gtmRuntime = runtime;
