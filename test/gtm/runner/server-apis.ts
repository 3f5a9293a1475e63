/**
 * The server-side tagging APIs the server template uses ("Server-side
 * tagging APIs"), each refusing what the template's permissions do not grant.
 */
import { createHash, randomInt } from 'node:crypto';
import { commonApis, deny, keyMatches, path, urlMatches, type Grants } from './apis.js';

export interface ServerEnvironment {
  eventData: Record<string, unknown>;
  cookies: Record<string, string[]>;
  setCookies: Array<{ name: string; value: string; options: Record<string, unknown> }>;
  fetch?: typeof fetch;
  logs: string[];
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
