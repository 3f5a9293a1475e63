/**
 * The GTM APIs the templates use, as Google's API references describe them
 * ("Sandboxed JavaScript APIs" for web templates, "Server-side tagging APIs"
 * for server templates), each refusing what the template's permissions do
 * not grant, as GTM does. They act on an environment: a plain window and
 * data layer (or a real page's), the event data and cookies of a request.
 */
import { createHash, randomInt } from 'node:crypto';

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

export interface ServerEnvironment {
  eventData: Record<string, unknown>;
  cookies: Record<string, string[]>;
  setCookies: Array<{ name: string; value: string; options: Record<string, unknown> }>;
  fetch?: typeof fetch;
  logs: string[];
}

export class PermissionError extends Error {}

function deny(api: string, what: string): never {
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
const keyMatches = (patterns: unknown, key: string): boolean =>
  Array.isArray(patterns) &&
  patterns.some(
    (pattern: string) => pattern === key || (pattern.endsWith('.*') && key.startsWith(pattern.slice(0, -1))),
  );

function path(root: Record<string, unknown>, key: string): unknown {
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

function parseUrl(url: string): Record<string, unknown> | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const searchParams: Record<string, string | string[]> = {};
  for (const name of new Set(parsed.searchParams.keys())) {
    const values = parsed.searchParams.getAll(name);
    searchParams[name] = values.length === 1 ? (values[0] as string) : values;
  }
  const { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash } = parsed;
  return { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash, searchParams };
}

export function serverApis(env: ServerEnvironment, grants: Grants): Record<string, unknown> {
  const cookieGrant = (api: string, id: string, name: string) => {
    const grant = grants.get(id);
    const names = grant?.['cookieNames'];
    if (grant?.['cookieAccess'] !== 'any' && !(Array.isArray(names) && names.includes(name)))
      deny(api, `cookie ${name}`);
  };
  return {
    ...commonApis(),
    encodeUriComponent: (value: string) => encodeURIComponent(value),
    generateRandom: (min: number, max: number) => randomInt(min, max + 1),
    parseUrl,
    sha256Sync: (input: string, options?: { outputEncoding?: 'hex' | 'base64' }) =>
      createHash('sha256')
        .update(input, 'utf8')
        .digest(options?.outputEncoding === 'hex' ? 'hex' : 'base64'),
    getEventData: (key: string) => {
      const grant = grants.get('read_event_data');
      if (grant?.['eventDataAccess'] !== 'any' && !keyMatches(grant?.['keyPatterns'], key)) deny('getEventData', key);
      return path(env.eventData, key);
    },
    getAllEventData: () => {
      if (grants.get('read_event_data')?.['eventDataAccess'] !== 'any') deny('getAllEventData', 'all event data');
      return env.eventData;
    },
    getCookieValues: (name: string) => {
      cookieGrant('getCookieValues', 'get_cookies', name);
      return env.cookies[name] ?? [];
    },
    setCookie: (name: string, value: string, options: Record<string, unknown> = {}) => {
      const allowed = (grants.get('set_cookies')?.['allowedCookies'] ?? []) as Array<Record<string, unknown>>;
      if (!allowed.some((entry) => entry['name'] === name || entry['name'] === '*'))
        deny('setCookie', `cookie ${name}`);
      env.setCookies.push({ name, value, options });
    },
    sendHttpRequest: (url: string, ...rest: unknown[]) => {
      const grant = grants.get('send_http');
      const urls = (grant?.['urls'] ?? []) as string[];
      if (grant?.['allowedUrls'] !== 'any' && !urls.some((pattern) => urlMatches(pattern, url)))
        deny('sendHttpRequest', url);
      // Two forms: (url, options, body) returns a promise; (url, callback, options, body) calls back.
      const callback =
        typeof rest[0] === 'function'
          ? (rest.shift() as (status: number, headers: object, body: string) => void)
          : undefined;
      const [options = {}, body] = rest as [
        { method?: string; headers?: Record<string, string>; timeout?: number }?,
        string?,
      ];
      if (!env.fetch) return Promise.reject(new Error('no network in this environment'));
      const init: RequestInit = { method: options.method ?? 'GET' };
      if (options.headers) init.headers = options.headers;
      if (body !== undefined) init.body = body;
      if (options.timeout) init.signal = AbortSignal.timeout(options.timeout);
      const request = env.fetch(url, init).then(async (response) => ({
        statusCode: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      }));
      if (!callback) return request;
      request.then(
        (response) => callback(response.statusCode, response.headers, response.body),
        () => callback(0, {}, ''),
      );
      return undefined;
    },
    logToConsole: (...values: unknown[]) => {
      const environments = grants.get('logging')?.['environments'];
      if (environments !== 'all' && environments !== 'debug') deny('logToConsole', 'logging');
      env.logs.push(values.map(String).join(' '));
    },
  };
}
