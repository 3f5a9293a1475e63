/**
 * The GTM APIs of web templates ("Sandboxed JavaScript APIs") and those both
 * contexts share, as Google's API reference describes them, each refusing
 * what the template's permissions do not grant, as GTM does. They act on an
 * environment: a plain window and data layer, or a real page's (the browser
 * runtime); server-apis.ts has the server's.
 */
export type Grants = Map<string, Record<string, unknown>>;

export interface WebEnvironment {
  window: Record<string, unknown>;
  /** The data layer's merged model (copyFromDataLayer's version 2). */
  dataLayer: () => Record<string, unknown>;
  consent: {
    granted(type: string): boolean;
    listen(type: string, listener: (type: string, granted: boolean) => void): void;
  };
  injectScript(url: string, onSuccess: () => void, onFailure: () => void, cacheToken?: string): void;
}

export class PermissionError extends Error {}

export function deny(api: string, what: string): never {
  throw new PermissionError(`${api}: the template's permissions do not allow ${what}`);
}

/** GTM's URL match patterns: `*` matches any run of characters. */
export function urlMatches(pattern: string, url: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(url);
}

/** A key pattern: the key itself, or `prefix.*` for what lies under it. */
export const keyMatches = (patterns: unknown, key: string): boolean =>
  Array.isArray(patterns) &&
  patterns.some(
    (pattern: string) => pattern === key || (pattern.endsWith('.*') && key.startsWith(pattern.slice(0, -1))),
  );

export function path(root: Record<string, unknown>, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((value, part) => (value == null ? undefined : (value as Record<string, unknown>)[part]), root);
}

function setPath(root: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  const last = parts.pop() as string;
  let node = root;
  for (const part of parts) node = (node[part] ??= {}) as Record<string, unknown>;
  node[last] = value;
}

export function getType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The APIs of both contexts that need no permission. */
export function commonApis(): Record<string, unknown> {
  return {
    JSON: {
      parse: (text: string) => JSON.parse(text) as unknown,
      stringify: (value: unknown) => JSON.stringify(value),
    },
    Math,
    Object: {
      keys: (value: object) => Object.keys(value),
      values: (value: object): unknown[] => Object.values(value),
      entries: (value: object) => Object.entries(value),
      freeze: (value: object) => Object.freeze(value),
    },
    getType,
    makeString: (value: unknown) => String(value),
    makeNumber: (value: unknown) => Number(value),
    getTimestampMillis: () => Date.now(),
  };
}

export function webApis(env: WebEnvironment, grants: Grants): Record<string, unknown> {
  const globalKey = (api: string, key: string, access: 'read' | 'write' | 'execute') => {
    const keys = (grants.get('access_globals')?.['keys'] ?? []) as Array<Record<string, unknown>>;
    if (!keys.some((entry) => entry['key'] === key && entry[access] === true)) deny(api, `${access} on window.${key}`);
  };
  const consentType = (api: string, type: string) => {
    const types = (grants.get('access_consent')?.['consentTypes'] ?? []) as Array<Record<string, unknown>>;
    if (!types.some((entry) => entry['consentType'] === type && entry['read'] === true)) deny(api, `reading ${type}`);
  };
  const storage = new Map<string, unknown>();
  return {
    ...commonApis(),
    templateStorage: {
      getItem: (key: string) => storage.get(key),
      setItem: (key: string, value: unknown) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
      clear: () => storage.clear(),
    },
    injectScript: (url: string, onSuccess: () => void, onFailure: () => void, cacheToken?: string) => {
      const urls = (grants.get('inject_script')?.['urls'] ?? []) as string[];
      if (!urls.some((pattern) => urlMatches(pattern, url))) deny('injectScript', url);
      env.injectScript(url, onSuccess, onFailure, cacheToken);
    },
    copyFromWindow: (key: string) => {
      globalKey('copyFromWindow', key, 'read');
      return path(env.window, key);
    },
    setInWindow: (key: string, value: unknown, overrideExisting = false) => {
      globalKey('setInWindow', key, 'write');
      if (path(env.window, key) !== undefined && !overrideExisting) return false;
      setPath(env.window, key, value);
      return true;
    },
    callInWindow: (key: string, ...args: unknown[]) => {
      globalKey('callInWindow', key, 'execute');
      const parts = key.split('.');
      const method = parts.pop() as string;
      const owner = (parts.length ? path(env.window, parts.join('.')) : env.window) as
        Record<string, unknown> | undefined;
      const fn = owner?.[method];
      return typeof fn === 'function' ? (fn as (...values: unknown[]) => unknown).apply(owner, args) : undefined;
    },
    createQueue: (key: string) => {
      globalKey('createQueue', key, 'read');
      globalKey('createQueue', key, 'write');
      let queue = path(env.window, key);
      if (!Array.isArray(queue)) setPath(env.window, key, (queue = []));
      const array = queue as unknown[];
      return (...values: unknown[]) => void array.push(...values);
    },
    copyFromDataLayer: (key: string) => {
      const grant = grants.get('read_data_layer');
      if (grant?.['allowedKeys'] !== 'any' && !keyMatches(grant?.['keyPatterns'], key)) deny('copyFromDataLayer', key);
      return path(env.dataLayer(), key);
    },
    isConsentGranted: (type: string) => {
      consentType('isConsentGranted', type);
      return env.consent.granted(type);
    },
    addConsentListener: (type: string, listener: (type: string, granted: boolean) => void) => {
      consentType('addConsentListener', type);
      env.consent.listen(type, listener);
    },
  };
}
