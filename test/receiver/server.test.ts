/**
 * The receiver as a server: CORS and caching headers, the NDJSON file, the
 * JSON and HTML routes, listeners and waiting, the summary lines, and a
 * clean close that frees the port.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../src/receiver/index.js';
import type { ReceivedEvent, ReceivedEventOf, ReceivedRequest } from '../../src/receiver/index.js';
import { vendorPostExample } from '../helpers/vendor.js';
import { KEY, call, postJson, useReceiver, vendorGetUrl } from './harness.js';

const receiver = useReceiver();
const dir = mkdtempSync(join(tmpdir(), 'symbiosys-receiver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ORIGIN = 'https://shop.example';

describe('CORS and caching', () => {
  it.each(['/page_viewjs', '/orderjs', '/page_view', '/orders'])(
    'OPTIONS %s: the preflight a POST with an api_key header needs',
    async (path) => {
      const answer = await call(receiver(), path, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,api_key',
        },
      });
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(answer.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
      expect(answer.headers.get('access-control-allow-headers')).toBe('content-type, api_key');
      expect(receiver().requests).toEqual([]);
    },
  );

  it('a preflight from a public page to localhost is allowed (Private Network Access)', async () => {
    const answer = await call(receiver(), '/page_viewjs', {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-private-network': 'true',
      },
    });
    expect(answer.headers.get('access-control-allow-private-network')).toBe('true');
  });

  it.each([
    ['200', () => call(receiver(), vendorGetUrl('/page_viewjs'), { headers: { origin: ORIGIN } }), 200],
    ['400', () => call(receiver(), '/page_viewjs?api_key=test-key', { headers: { origin: ORIGIN } }), 400],
    ['403', () => call(receiver(), '/orderjs', { headers: { origin: ORIGIN } }), 403],
    [
      'POST 200',
      () =>
        call(receiver(), '/page_view', {
          method: 'POST',
          headers: { origin: ORIGIN, api_key: KEY },
          body: JSON.stringify(vendorPostExample('/page_view').body),
        }),
      200,
    ],
  ] as const)('a %s answer carries ACAO and no-cache, never no-store', async (_, send, status) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(answer.headers.get('cache-control')).toBe('no-cache');
  });

  it('without an Origin header, ACAO is *', async () => {
    const answer = await call(receiver(), vendorGetUrl('/orderjs'));
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('routes for people and tests', () => {
  it('GET / is a self-contained HTML page polling /events', async () => {
    const answer = await call(receiver(), '/');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.body).toContain('fetch(p)');
    expect(answer.body).toContain("['events', 'requests', 'summary']");
    expect(answer.body).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('GET /events lists the decoded events; GET /requests every request', async () => {
    await call(receiver(), vendorGetUrl('/page_viewjs'));
    await call(receiver(), vendorGetUrl('/orderjs', 'wrong'));
    const events = await call(receiver(), '/events');
    expect(events.body).toEqual(JSON.parse(JSON.stringify(receiver().events)));
    expect((events.body as ReceivedEvent[]).map((event) => [event.event, event.record.visitor_id])).toEqual([
      ['page_view', '01929d42ae1a0016c0cebe6dd43a0508900160810056a'],
    ]);
    const requests = await call(receiver(), '/requests');
    expect((requests.body as ReceivedRequest[]).map((request) => [request.status, request.path])).toEqual([
      [200, '/page_viewjs'],
      [403, '/orderjs'],
    ]);
  });

  it.each<[string, RequestInit]>([
    ['DELETE /events', { method: 'DELETE' }],
    ['POST /events/clear', { method: 'POST', headers: { 'content-type': 'application/json' } }],
  ])('%s forgets events and requests; ids keep counting', async (route, init) => {
    await call(receiver(), vendorGetUrl('/page_viewjs'));
    const events = receiver().events;
    const path = route.slice(route.indexOf(' ') + 1);
    expect(await call(receiver(), path, init)).toMatchObject({ status: 200, body: { cleared: 1 } });
    expect(events).toEqual([]);
    expect(receiver().requests).toEqual([]);
    await call(receiver(), vendorGetUrl('/page_viewjs'));
    expect(events.map((event) => event.id)).toEqual([2]);
  });

  it.each([
    ['GET /orders', 'GET', '/orders', 405, 'POST, OPTIONS'],
    ['GET /page_view', 'GET', '/page_view', 405, 'POST, OPTIONS'],
    ['PUT /page_viewjs', 'PUT', '/page_viewjs', 405, 'GET, POST, OPTIONS'],
    ['GET /order', 'GET', '/order', 404, null],
  ])('%s: %i', async (_, method, path, status, allow) => {
    const answer = await call(receiver(), `${path}?api_key=${KEY}`, { method });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('allow')).toBe(allow);
    expect(receiver().events).toEqual([]);
  });

  it('a body over 1 MiB gets 413 and is not stored', async () => {
    const answer = await postJson(receiver(), '/page_view', { brand: 'x'.repeat(1024 * 1024) });
    expect(answer.status).toBe(413);
    expect(receiver().events).toEqual([]);
    expect(receiver().requests.map((request) => request.status)).toEqual([413]);
  });
});

describe('listening', () => {
  it('on() is told of each event, and can unsubscribe', async () => {
    const seen: number[] = [];
    const off = receiver().on((event) => seen.push(event.id));
    await postJson(
      receiver(),
      '/orders',
      [vendorPostExample('/orders').body, vendorPostExample('/orders').body].flat(),
    );
    off();
    await call(receiver(), vendorGetUrl('/page_viewjs'));
    expect(seen).toEqual([1, 2]);
    expect(receiver().events).toHaveLength(3);
  });

  it('waitFor finds an event already received, or waits for the next one', async () => {
    await call(receiver(), vendorGetUrl('/page_viewjs'));
    await expect(receiver().waitFor((event) => event.event === 'page_view')).resolves.toMatchObject({ id: 1 });
    const isOrder = (event: ReceivedEvent): event is ReceivedEventOf<'order'> => event.event === 'order';
    const pending = receiver().waitFor(isOrder, 2000);
    await call(receiver(), vendorGetUrl('/orderjs'));
    const order = await pending;
    expect(order.record.items.map((item) => item.quantity)).toEqual([1, 1]);
  });

  it('waitFor rejects after its timeout; waitForRequest sees refusals', async () => {
    await expect(receiver().waitFor(undefined, 50)).rejects.toThrow(/within 50 ms/);
    const refused = receiver().waitForRequest((request) => request.status === 400, 2000);
    await call(receiver(), '/orderjs?api_key=test-key');
    expect((await refused).problems.map((problem) => problem.field)).toEqual([
      'ts',
      'vid',
      'sid',
      'oid',
      'prodid',
      'qty',
    ]);
  });
});

describe('options', () => {
  it('file: one NDJSON line per accepted event, none for a refused request', async () => {
    const file = join(dir, 'events.ndjson');
    const local = await startReceiver({ quiet: true, file });
    await call(local, vendorGetUrl('/page_viewjs'));
    await call(local, vendorGetUrl('/orderjs', 'wrong'));
    await call(local, '/orderjs?api_key=test-key&ts=1');
    await postJson(local, '/orders', [vendorPostExample('/orders').body, vendorPostExample('/orders').body].flat());
    await local.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const written = lines.map((line) => JSON.parse(line) as ReceivedEvent);
    expect(written).toEqual(JSON.parse(JSON.stringify(local.events)));
    expect(written.map((event) => [event.id, event.via])).toEqual([
      [1, 'GET'],
      [2, 'POST'],
      [3, 'POST'],
    ]);
  });

  it('file: appends to what is there', async () => {
    const file = join(dir, 'append.ndjson');
    for (let run = 0; run < 2; run++) {
      const local = await startReceiver({ quiet: true, file });
      await call(local, vendorGetUrl('/page_viewjs'));
      await local.close();
    }
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('apiKeys: only those keys are taken', async () => {
    const local = await startReceiver({ quiet: true, apiKeys: ['k1', 'k2'] });
    const statuses = [];
    for (const key of ['k1', 'k2', 'test-key'])
      statuses.push((await call(local, vendorGetUrl('/page_viewjs', key))).status);
    await local.close();
    expect(statuses).toEqual([200, 200, 403]);
  });

  it('log gets one summary line per request unless quiet', async () => {
    const lines: string[] = [];
    const local = await startReceiver({ log: (line) => lines.push(line) });
    await call(local, vendorGetUrl('/orderjs'));
    await call(local, '/page_viewjs?api_key=test-key&ts=1729696661986&vid=xyz&sid=1');
    await postJson(local, '/orders', [], null);
    await local.close();
    expect(lines).toEqual([
      expect.stringMatching(
        /^200 GET +\/orderjs order oid=238476923 items=2 total=25\.00 vid=\S+ sid=1729694623545 url=https:\/\/www\.retailer\.com\/checkout score=10 ! clock_skew$/,
      ),
      expect.stringMatching(/^400 GET +\/page_viewjs vid: expected 45 lowercase hex/),
      '403 POST   /orders the api_key header is missing',
    ]);
    const silent: string[] = [];
    const quiet = await startReceiver({ quiet: true, log: (line) => silent.push(line) });
    await call(quiet, vendorGetUrl('/orderjs'));
    await quiet.close();
    expect(silent).toEqual([]);
  });

  it('close() frees the port, even with a keep-alive connection open; twice is fine', async () => {
    const local = await startReceiver({ quiet: true });
    const port = Number(new URL(local.url).port);
    expect((await fetch(`${local.url}${vendorGetUrl('/page_viewjs')}`, { keepalive: true })).status).toBe(200);
    await local.close();
    await local.close();
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await expect(fetch(local.url)).rejects.toThrow();
  });

  it('a port in use rejects startReceiver', async () => {
    const port = Number(new URL(receiver().url).port);
    await expect(startReceiver({ quiet: true, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
