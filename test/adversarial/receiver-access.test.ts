/**
 * Who may use the receiver. The event endpoints answer any origin (the
 * storefront is another origin, and beacons carry credentials); the event
 * log (`/events`, `/requests`) and clearing it answer only the receiver's
 * own origin, and clearing needs a request a page cannot send cross-origin
 * without a preflight. Every route answers only to a Host that names this
 * machine, so a page whose domain re-resolves to 127.0.0.1 (DNS rebinding)
 * gets nothing.
 */
import { connect } from 'node:net';
import { text } from 'node:stream/consumers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAnsweredHost } from '../../src/receiver/access.js';
import { startReceiver } from '../../src/receiver/index.js';
import { useReceiver, vendorGetUrl } from '../receiver/harness.js';
import { rawRequest } from '../receiver/raw-request.js';
import type { RawRequest } from '../receiver/raw-request.js';

const receiver = useReceiver();

const send = (request: RawRequest) => rawRequest(receiver().url, request);
const own = () => new URL(receiver().url).host;
const port = () => new URL(receiver().url).port;

/** A CORS preflight from `origin` for `method` on `path`, asking for Private Network Access too. */
const preflight = (path: string, origin: string, method: string) =>
  send({
    method: 'OPTIONS',
    path,
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-private-network': 'true',
    },
  });

async function storeOneEvent(): Promise<void> {
  expect((await send({ path: vendorGetUrl('/page_viewjs') })).status).toBe(200);
}

describe('the event log: same origin only', () => {
  it.each<[string, Record<string, string>]>([
    ['another origin', { origin: 'https://evil.example' }],
    ['the null origin (sandboxed frame, file:)', { origin: 'null' }],
    ['the storefront on another port of localhost (same site)', { origin: 'http://localhost:3000' }],
    ['a cross-site request without Origin (no-cors)', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site request without Origin', { 'sec-fetch-site': 'same-site' }],
  ])('GET /events and /requests from %s: 403, nothing readable', async (_, headers) => {
    await storeOneEvent();
    for (const path of ['/events', '/requests']) {
      const answer = await send({ path, headers });
      expect(answer.status).toBe(403);
      expect(answer.text).not.toContain('01929d42ae1a0016c0cebe6dd43a0508900160810056a');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it.each<[string, Record<string, string>]>([
    ['a tool (no Origin, no Sec-Fetch-Site)', {}],
    ["the receiver's own page", { 'sec-fetch-site': 'same-origin' }],
    ['an address typed in the address bar', { 'sec-fetch-site': 'none' }],
  ])('GET /events from %s: 200', async (_, headers) => {
    await storeOneEvent();
    const answer = await send({ path: '/events', headers });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toHaveLength(1);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('the same origin named in Origin is the same origin', async () => {
    const answer = await send({ path: '/events', headers: { origin: `http://${own()}` } });
    expect(answer.status).toBe(200);
  });

  it('a preflight for the log from another origin is refused, Private Network Access included', async () => {
    const answer = await preflight('/events', 'https://evil.example', 'DELETE');
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-allow-methods']).toBeUndefined();
    expect(answer.headers['access-control-allow-private-network']).toBeUndefined();
  });

  it('the live page may not be framed (a click on Clear cannot be stolen)', async () => {
    const answer = await send({ path: '/' });
    expect(answer.status).toBe(200);
    expect(String(answer.headers['content-security-policy']).split('; ')).toContain("frame-ancestors 'none'");
  });
});

describe('clearing: same origin and a non-simple request', () => {
  it.each<[string, RawRequest]>([
    ['a simple POST (a form, a no-cors fetch, a beacon)', { method: 'POST', path: '/events/clear' }],
    [
      'a simple POST with a text/plain body',
      { method: 'POST', path: '/events/clear', headers: { 'content-type': 'text/plain' }, body: '{}' },
    ],
    [
      'a form-encoded POST',
      {
        method: 'POST',
        path: '/events/clear',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      },
    ],
    [
      'a JSON POST from another origin',
      {
        method: 'POST',
        path: '/events/clear',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      },
    ],
    [
      'a DELETE from another origin',
      { method: 'DELETE', path: '/events', headers: { origin: 'http://localhost:3000' } },
    ],
  ])('%s: 403, nothing cleared', async (_, request) => {
    await storeOneEvent();
    const answer = await send(request);
    expect(answer.status).toBe(403);
    expect(receiver().events).toHaveLength(1);
  });

  it.each<[string, RawRequest]>([
    ['DELETE /events', { method: 'DELETE', path: '/events' }],
    [
      'POST /events/clear as JSON',
      { method: 'POST', path: '/events/clear', headers: { 'content-type': 'application/json; charset=utf-8' } },
    ],
  ])('%s from the same origin clears', async (_, request) => {
    await storeOneEvent();
    const answer = await send({ ...request, headers: { ...request.headers, origin: `http://${own()}` } });
    expect(answer.status).toBe(200);
    expect(receiver().events).toEqual([]);
  });
});

describe('event endpoints: any origin, as before', () => {
  it('a beacon-like POST from another origin, with credentials, is stored and readable', async () => {
    const answer = await send({
      method: 'POST',
      path: vendorGetUrl('/orderjs'),
      headers: { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-site' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(receiver().events).toHaveLength(1);
  });

  it('a preflight from a public page is approved for Private Network Access', async () => {
    const answer = await preflight('/orders', 'https://staging.shop.example', 'POST');
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-private-network']).toBe('true');
  });
});

describe('Host: a loopback name or the --host given', () => {
  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]', '127.1.2.3', 'shop.localhost'])(
    'Host %s:<port> is answered',
    async (name) => {
      expect((await send({ path: vendorGetUrl('/page_viewjs'), headers: { host: `${name}:${port()}` } })).status).toBe(
        200,
      );
      expect((await send({ path: '/events', headers: { host: `${name}:${port()}` } })).status).toBe(200);
    },
  );

  it.each([
    ['a rebound domain', 'rebind.evil.example'],
    ['a domain ending in localhost', 'evillocalhost.example'],
    ['localhost as a subdomain', 'localhost.evil.example'],
    ['a LAN address', '192.168.1.20'],
    ['userinfo', 'evil@127.0.0.1'],
  ])('%s: 403 on every route, nothing stored or cleared', async (_, name) => {
    await storeOneEvent();
    const host = `${name}:${port()}`;
    const headers = { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' };
    for (const request of [
      { path: '/events' },
      { path: '/requests' },
      { path: '/' },
      { method: 'DELETE', path: '/events' },
      { path: vendorGetUrl('/page_viewjs') },
      { method: 'OPTIONS', path: '/page_viewjs' },
    ]) {
      const answer = await send({ ...request, headers });
      expect([request.path, answer.status]).toEqual([request.path, 403]);
    }
    expect(receiver().events).toHaveLength(1);
  });

  it('an HTTP/1.0 request without a Host header is refused', async () => {
    const socket = connect(Number(port()), '127.0.0.1');
    socket.end('GET /events HTTP/1.0\r\n\r\n');
    const answer = (await text(socket)).split('\r\n')[0];
    expect(answer).toMatch(/^HTTP\/1\.[01] 403 /);
  });

  it('the name it was started with is answered too', async () => {
    expect(isAnsweredHost('receiver.internal:7878', 'receiver.internal')).toBe(true);
    expect(isAnsweredHost('RECEIVER.internal', 'receiver.internal')).toBe(true);
    expect(isAnsweredHost('receiver.internal:7878', '127.0.0.1')).toBe(false);
    expect(isAnsweredHost('[::]:7878', '::')).toBe(true);
    const local = await startReceiver({ quiet: true, host: '0.0.0.0' });
    try {
      const localPort = new URL(local.url).port;
      const status = async (host: string) =>
        (await rawRequest(local.url, { path: '/events', headers: { host: `${host}:${localPort}` } })).status;
      expect(await status('0.0.0.0')).toBe(200);
      expect(await status('rebind.evil.example')).toBe(403);
    } finally {
      await local.close();
    }
  });

  it("an Android emulator's 10.0.2.2: refused by default, answered on loopback when asked", async () => {
    const emulatorHost = `10.0.2.2:${port()}`;
    expect((await send({ path: vendorGetUrl('/page_viewjs'), headers: { host: emulatorHost } })).status).toBe(403);
    const local = await startReceiver({ quiet: true, host: '10.0.2.2' });
    try {
      const localPort = new URL(local.url).port;
      expect(local.url).toBe(`http://127.0.0.1:${localPort}`);
      const status = async (host: string, path = '/events') =>
        (await rawRequest(local.url, { path, headers: { host: `${host}:${localPort}` } })).status;
      expect(await status('10.0.2.2', vendorGetUrl('/page_viewjs'))).toBe(200);
      expect(await status('10.0.2.2')).toBe(200);
      expect(await status('127.0.0.1')).toBe(200);
      // Still no other name: a rebound domain, or the emulator's other aliases.
      expect(await status('rebind.evil.example')).toBe(403);
      expect(await status('10.0.2.3')).toBe(403);
      expect(local.events).toHaveLength(1);
    } finally {
      await local.close();
    }
  });

  it('no other domain is a loopback name (property)', () => {
    fc.assert(
      fc.property(fc.domain(), fc.integer({ min: 1, max: 65535 }), (domain, portNumber) => {
        fc.pre(domain !== 'localhost' && !domain.endsWith('.localhost'));
        expect(isAnsweredHost(`${domain}:${portNumber}`, '127.0.0.1')).toBe(false);
      }),
    );
  });
});
