/** The rig's static server: mounts, content types, the shop's client-side routes, /config.js, no way out of a mount. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from './helpers/static-server.js';
import type { StaticServer } from './helpers/static-server.js';

let server: StaticServer;
beforeAll(async () => {
  server = await startStaticServer({ config: { apiKey: 'k', endpoint: 'http://127.0.0.1:1' } });
});
afterAll(() => server.close());

describe('static server', () => {
  it.each([
    ['/examples/storefront/app.js', 200, 'text/javascript; charset=utf-8'],
    ['/examples/storefront/style.css', 200, 'text/css; charset=utf-8'],
    ['/fixtures/sdk.html', 200, 'text/html; charset=utf-8'],
    ['/shop/', 200, 'text/html; charset=utf-8'],
    ['/shop/product/170830', 200, 'text/html; charset=utf-8'],
    ['/config.js', 200, 'text/javascript; charset=utf-8'],
    ['/examples/storefront/nope.js', 404, 'text/plain; charset=utf-8'],
    ['/dist/%2e%2e/package.json', 404, 'text/plain; charset=utf-8'],
    ['/examples/..%2fpackage.json', 404, 'text/plain; charset=utf-8'],
  ])('GET %s -> %i %s', async (path, status, type) => {
    const response = await fetch(`${server.url}${path}`);
    expect([response.status, response.headers.get('content-type')]).toEqual([status, type]);
  });

  it('serves the storefront shell on every shop route and the config it was given', async () => {
    const [shell, config] = await Promise.all([
      fetch(`${server.url}/shop/checkout`).then((r) => r.text()),
      fetch(`${server.url}/config.js`).then((r) => r.text()),
    ]);
    expect(shell).toContain('<main id="view">');
    expect(config).toBe('window.SYMBIOSYS_CONFIG = {"apiKey":"k","endpoint":"http://127.0.0.1:1"};\n');
    server.setConfig({ apiKey: 'other' });
    expect(await fetch(`${server.url}/config.js`).then((r) => r.text())).toContain('"apiKey":"other"');
  });

  it('redirects / to the shop and refuses writes', async () => {
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/shop/']);
    expect((await fetch(`${server.url}/config.js`, { method: 'POST' })).status).toBe(405);
  });
});
