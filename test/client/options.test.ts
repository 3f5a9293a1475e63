// @vitest-environment happy-dom
/**
 * One rule for options, in the browser client (`new SymbiosysClient`,
 * `init`), the tag's `init`, the server client and the app client: a wrong option throws a
 * `SymbiosysError` (`invalid_option`) at construction naming the option, what
 * it got (never the API key) and what it takes; an unknown key is reported,
 * not thrown; options are read from the caller's own properties only.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SymbiosysClient, isSymbiosysError, type SymbiosysError } from '@acme/symbiosys';
import { SymbiosysServerClient } from '@acme/symbiosys/server';
import { SymbiosysAppClient } from '../../src/react-native/index.js';
import { memoryStorage } from '../app/storage.js';
import { startCollector } from '../helpers/collector.js';

const KEY = 'pk_live_s3cr3t';

/** The error a constructor throws, or undefined. */
function thrown(make: () => unknown): SymbiosysError | undefined {
  try {
    make();
    return undefined;
  } catch (error) {
    expect(isSymbiosysError(error), String(error)).toBe(true);
    return error as SymbiosysError;
  }
}

const BROWSER_MISTAKES: Array<[options: Record<string, unknown>, message: string]> = [
  [{ region: 'EU' }, "region must be 'us' or 'eu', got 'EU'"],
  [{ environment: 'prod' }, "environment must be 'production' or 'development', got 'prod'"],
  [{ endpoint: 7878 }, 'endpoint must be an absolute http(s) URL without query or fragment'],
  [{ endpoint: 'collector.example.com' }, "got 'collector.example.com'"],
  [{ endpoint: 'collector.example.com:8080' }, 'endpoint must be an absolute http(s) URL'],
  [{ endpoint: 'https://collect.example/?a=1' }, 'endpoint must be'],
  [{ consent: 'yes' }, "consent must be 'granted', 'pending', or 'denied', got 'yes'"],
  [{ transport: 'xhr' }, "transport must be 'auto', 'beacon', or 'fetch', got 'xhr'"],
  [{ storage: 'session' }, "storage must be 'cookie+localStorage', 'localStorage', or 'memory', got 'session'"],
  [{ onError: 'log' }, "onError must be a function, got 'log'"],
  [{ maxQueueSize: -1 }, 'maxQueueSize must be an integer >= 1, got -1'],
  [{ maxQueueBytes: 1.5 }, 'maxQueueBytes must be an integer >= 1, got 1.5'],
  [{ retryBaseMs: 'fast' }, "retryBaseMs must be an integer >= 1, got 'fast'"],
  [{ pageViewDedupeMs: Number.NaN }, 'pageViewDedupeMs must be an integer >= 0, got NaN'],
  [{ honorGlobalPrivacyControl: 'no' }, "honorGlobalPrivacyControl must be true or false, got 'no'"],
  [{ debug: 1 }, 'debug must be true or false, got 1'],
  [{ defaultCountry: 'Germany' }, "defaultCountry must be an ISO 3166 alpha-2 country code, like 'DE', got 'Germany'"],
  [{ cookieDomain: '' }, 'cookieDomain must be a non-empty string, got an empty string'],
  [{ clickIds: { yclid: 3 } }, 'clickIds must be an object of query parameter names to channels'],
  [{ piiQueryParams: 'email' }, 'piiQueryParams must be an array of query parameter names'],
  [{ visitorId: 12 }, 'visitorId must be a non-empty string, got a number'],
];

describe('browser client options', () => {
  it.each(BROWSER_MISTAKES)('%o throws: %s', (options, message) => {
    const error = thrown(() => new SymbiosysClient({ apiKey: KEY, ...options }));
    expect(error?.code).toBe('invalid_option');
    expect(error?.message).toContain(message);
    expect(error?.field).toBe(Object.keys(options)[0]);
  });

  it('a missing, empty or mistyped apiKey throws, naming it and never quoting it', () => {
    const cases: unknown[] = [undefined, {}, { apiKey: '  ' }, { apiKey: 12345 }, { apiKey: [KEY] }];
    const messages = cases.map((options) => thrown(() => new SymbiosysClient(options as never))?.message);
    expect(messages).toEqual([
      'apiKey must be a non-empty string, got nothing',
      'apiKey must be a non-empty string, got nothing',
      'apiKey must be a non-empty string, got an empty string',
      'apiKey must be a non-empty string, got a number',
      'apiKey must be a non-empty string, got an array',
    ]);
    // A key of the wrong type among other mistakes: its value is never in the message.
    expect(thrown(() => new SymbiosysClient({ apiKey: { KEY } as never }))?.message).not.toContain(KEY);
  });

  it('every documented value is taken, and undefined is an option left out', () => {
    const good = {
      apiKey: KEY,
      environment: 'development',
      region: 'eu',
      endpoint: 'http://127.0.0.1:7878/sym/',
      transport: 'fetch',
      consent: 'pending',
      honorGlobalPrivacyControl: false,
      defaultCountry: 'de',
      onError: () => undefined,
      storage: 'memory',
      cookieDomain: '.shop.example',
      visitorId: 'a'.repeat(45),
      clickIds: { yclid: 'yandex' },
      piiQueryParams: ['token'],
      pageViewDedupeMs: 0,
      maxQueueSize: 1,
      maxQueueBytes: 10_000,
      retryBaseMs: 1,
      debug: false,
    } as const;
    expect(thrown(() => new SymbiosysClient(good))).toBeUndefined();
    expect(thrown(() => new SymbiosysClient({ apiKey: KEY, endpoint: undefined, region: undefined }))).toBeUndefined();
  });

  it('an unknown key (a typo) is reported through onError, once, and the client works', () => {
    const errors: SymbiosysError[] = [];
    const options = { apiKey: KEY, endpiont: 'https://x.example', onError: (e: SymbiosysError) => errors.push(e) };
    expect(thrown(() => new SymbiosysClient(options as never))).toBeUndefined();
    expect(errors.map((e) => [e.code, e.field, e.message])).toEqual([
      ['invalid_option', 'endpiont', 'endpiont is not an option of SymbiosysClient: ignored'],
    ]);
  });

  it('a getter that throws is the option at fault, named', () => {
    const options = {
      apiKey: KEY,
      get region(): string {
        throw new Error('boom');
      },
    };
    const error = thrown(() => new SymbiosysClient(options as never));
    expect([error?.code, error?.field]).toEqual(['invalid_option', 'region']);
  });
});

describe('options are read from the caller own properties only', () => {
  const collector = startCollector();
  const polluted = ['endpoint', 'debug', 'visitorId', 'region', 'transport', 'apiKey'] as const;
  const proto = Object.prototype as Record<string, unknown>;
  beforeEach(() => {
    localStorage.clear();
    proto.endpoint = 'https://evil.example';
    proto.debug = true;
    proto.visitorId = 'b'.repeat(45);
    proto.region = 'us';
    proto.transport = 'beacon';
    proto.apiKey = 'pk_from_the_prototype';
  });
  afterEach(() => {
    for (const key of polluted) Reflect.deleteProperty(proto, key);
    collector.reset();
  });
  afterAll(() => collector.close());

  it('a polluted Object.prototype changes neither the host, the key, the transport nor the ids', async () => {
    const logged: unknown[] = [];
    const originalLog = console.log;
    console.log = (...args: unknown[]) => logged.push(args);
    try {
      // No own apiKey: the prototype's is not one.
      expect(thrown(() => new SymbiosysClient({} as never))?.field).toBe('apiKey');
      const client = new SymbiosysClient({ apiKey: KEY, region: 'eu', transport: 'fetch' });
      const result = await client.track('order', { order_id: 'o1', items: [{ product_id: 'p1', quantity: 1 }] });
      expect(result.status).toBe('sent');
      const [request] = await collector.waitFor(1);
      expect(request?.url.origin).toBe('https://eu.event.symbiosys.ai');
      expect(request?.params.get('api_key')).toBe(KEY);
      expect(request?.params.get('vid')).not.toBe('b'.repeat(45));
      expect(logged).toEqual([]); // debug stayed off
    } finally {
      console.log = originalLog;
    }
  });

  it('the server client ignores a polluted Object.prototype too', async () => {
    const seen: string[] = [];
    const fetch = (input: RequestInfo | URL) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return Promise.resolve(new Response('{}', { status: 200 }));
    };
    const client = new SymbiosysServerClient({ apiKey: KEY, region: 'eu', fetch });
    const result = client.track('page_view', { visitor_id: 'a'.repeat(45), session_id: '1796640692097' });
    expect(result.status).toBe('queued');
    await client.flush();
    expect(seen.map((url) => new URL(url).origin)).toEqual(['https://eu.event.symbiosys.ai']);
  });
});

const SERVER_MISTAKES: Array<[options: Record<string, unknown>, message: string]> = [
  [{ region: 'EU' }, "region must be 'us' or 'eu', got 'EU'"],
  [{ endpoint: 'collector.example.com' }, 'endpoint must be an absolute http(s) URL'],
  [{ concurrency: 0 }, 'concurrency must be an integer >= 1, got 0'],
  [{ timeoutMs: -5 }, 'timeoutMs must be an integer >= 1, got -5'],
  [{ maxQueueSize: '10' }, "maxQueueSize must be an integer >= 1, got '10'"],
  [{ batch: { maxCount: 0 } }, 'batch.maxCount must be an integer >= 1, got 0'],
  [{ batch: 100 }, 'batch must be an object, got 100'],
  [{ retry: { limit: -1 } }, 'retry.limit must be a number >= 0, got -1'],
  [{ onError: console }, 'onError must be a function, got an object'],
  [{ fetch: 'node-fetch' }, "fetch must be a function, got 'node-fetch'"],
  [{ defaultCountry: 'XX' }, "defaultCountry must be an ISO 3166 alpha-2 country code, like 'DE', got 'XX'"],
];

describe('server client options', () => {
  it.each(SERVER_MISTAKES)('%o throws: %s', (options, message) => {
    const error = thrown(() => new SymbiosysServerClient({ apiKey: KEY, ...options }));
    expect(error?.code).toBe('invalid_option');
    expect(error?.message).toContain(message);
  });

  it('a missing apiKey throws by the same rule; a typo in a nested option is reported', () => {
    expect(thrown(() => new SymbiosysServerClient({} as never))?.message).toBe(
      'apiKey must be a non-empty string, got nothing',
    );
    const errors: SymbiosysError[] = [];
    new SymbiosysServerClient({
      apiKey: KEY,
      batch: { maxCont: 5 } as never,
      onError: (error) => errors.push(error),
    });
    expect(errors.map((e) => [e.code, e.field])).toEqual([['invalid_option', 'batch.maxCont']]);
  });
});

describe('app client options', () => {
  const app = (options: Record<string, unknown>) =>
    new SymbiosysAppClient({ apiKey: KEY, storage: memoryStorage(), ...options });

  it.each([
    [{ region: 'EU' }, "region must be 'us' or 'eu', got 'EU'"],
    [
      { storage: { getItem: () => null } },
      'storage must be an AsyncStorage (getItem, setItem, removeItem), got an object',
    ],
    [{ maxQueueSize: 0 }, 'maxQueueSize must be an integer >= 1, got 0'],
    // Spread over the defaults, an undefined or text limit used to make every retry loop run until close().
    [{ retry: { limit: '3' } }, "retry.limit must be a number >= 0, got '3'"],
    [{ userAgent: 42 }, 'userAgent must be a non-empty string, got 42'],
  ])('%o throws: %s', (options, message) => {
    const error = thrown(() => app(options));
    expect(error?.code).toBe('invalid_option');
    expect(error?.message).toContain(message);
  });

  it('a missing apiKey or storage throws by the same rule; a typo is reported', () => {
    expect(thrown(() => new SymbiosysAppClient({ storage: memoryStorage() } as never))?.message).toBe(
      'apiKey must be a non-empty string, got nothing',
    );
    expect(thrown(() => new SymbiosysAppClient({ apiKey: KEY } as never))?.field).toBe('storage');
    const errors: SymbiosysError[] = [];
    app({ retry: { limit: undefined }, maxQueSize: 5, onError: (error: SymbiosysError) => errors.push(error) });
    expect(errors.map((e) => [e.code, e.field])).toEqual([['invalid_option', 'maxQueSize']]);
  });

  it('retry.limit undefined is the default limit: a 503 is tried 1 + 3 times, then kept for later', async () => {
    let calls = 0;
    const fetch = () => {
      calls += 1;
      return Promise.resolve(new Response('busy', { status: 503 }));
    };
    const client = app({ fetch, retry: { limit: undefined, backoffLimitMs: 1 } });
    client.track('order', { order_id: 'o-1', items: [{ product_id: 'p', quantity: 1 }] });
    const done = await Promise.race([
      client.flush().then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('still retrying'), 3000)),
    ]);
    expect(done).toBe('settled');
    expect(calls).toBe(4);
  });
});
