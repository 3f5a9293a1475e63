/**
 * A tiny static file server for the browser rig and the demo: the built
 * package under /dist/, the examples under /examples/, the test fixtures
 * under /fixtures/, the storefront's client-side routes under /shop/, and a
 * generated /config.js. Binds 127.0.0.1 on a free port.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { DIST_DIR, FIXTURES_DIR, REPO_ROOT, STOREFRONT_DIR } from './paths.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** URL prefix (with trailing slash) to directory. */
export const DEFAULT_MOUNTS: Readonly<Record<string, string>> = {
  '/dist/': DIST_DIR,
  // The ESM build's one dependency, for pages that load it without a bundler (through an import map).
  '/node_modules/js-sha256/': join(REPO_ROOT, 'node_modules', 'js-sha256'),
  '/examples/': join(REPO_ROOT, 'examples'),
  '/fixtures/': FIXTURES_DIR,
};

/** The storefront's client-side routes: every path under it gets the app's HTML. */
export const SHOP_PREFIX = '/shop';
const SHOP_HTML = join(STOREFRONT_DIR, 'index.html');

export interface StaticServerOptions {
  /** Replaces the default mounts. */
  mounts?: Readonly<Record<string, string>>;
  /** Served as `window.SYMBIOSYS_CONFIG = {…}` at /config.js: the storefront's `init` options. */
  config?: Readonly<Record<string, unknown>>;
  /** Added to every answer (the bench sets COOP/COEP for finer timers). */
  headers?: Readonly<Record<string, string>>;
  /** Gets each request first; returns true when it answered. */
  handle?: (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;
}

export interface StaticServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The same server under another origin (`http://localhost:PORT`): for cross-origin navigations. */
  readonly otherOriginUrl: string;
  /** Replaces what /config.js serves from now on. */
  setConfig(config: Readonly<Record<string, unknown>>): void;
  close(): Promise<void>;
}

function fileFor(mounts: Readonly<Record<string, string>>, pathname: string): string | undefined {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!pathname.startsWith(prefix)) continue;
    const path = normalize(join(dir, pathname.slice(prefix.length)));
    // No escaping the mount with `..` (already collapsed by URL, but a %2e%2e could slip through).
    if (path !== dir && !path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
    return path;
  }
  return undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Starts the server; resolves once it listens. */
export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const mounts = options.mounts ?? DEFAULT_MOUNTS;
  const extraHeaders = options.headers ?? {};
  let config = options.config ?? {};

  const sendFile = (response: ServerResponse, path: string, method: string): void => {
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'Content-Length': statSync(path).size,
      // Edits show on reload; no stale SDK between test runs.
      'Cache-Control': 'no-cache',
      ...extraHeaders,
    });
    if (method === 'HEAD') response.end();
    else createReadStream(path).pipe(response);
  };

  const sendText = (
    response: ServerResponse,
    status: number,
    type: string,
    text: string,
    more: Record<string, string> = {},
  ): void => {
    response.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache',
      ...extraHeaders,
      ...more,
    });
    response.end(text);
  };

  const server = createServer((request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://static.invalid');
      if (options.handle?.(request, response, url)) return;
      const method = request.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') {
        sendText(response, 405, 'text/plain', 'GET only\n', { Allow: 'GET, HEAD' });
        return;
      }
      const { pathname } = url;
      if (pathname === '/') {
        sendText(response, 302, 'text/plain', `${SHOP_PREFIX}/\n`, { Location: `${SHOP_PREFIX}/` });
        return;
      }
      if (pathname === '/config.js') {
        sendText(response, 200, CONTENT_TYPES['.js']!, `window.SYMBIOSYS_CONFIG = ${JSON.stringify(config)};\n`);
        return;
      }
      if (pathname === '/favicon.ico') {
        sendText(response, 204, 'text/plain', '');
        return;
      }
      if (pathname === SHOP_PREFIX || pathname.startsWith(`${SHOP_PREFIX}/`)) {
        sendFile(response, SHOP_HTML, method);
        return;
      }
      const path = fileFor(mounts, pathname);
      if (path !== undefined && isFile(path)) {
        sendFile(response, path, method);
        return;
      }
      if (path !== undefined && isFile(join(path, 'index.html'))) {
        sendFile(response, join(path, 'index.html'), method);
        return;
      }
      sendText(response, 404, 'text/plain; charset=utf-8', `Not found: ${pathname}\n`);
    } catch (error) {
      if (!response.headersSent) sendText(response, 500, 'text/plain', `${String(error)}\n`);
      else response.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    otherOriginUrl: `http://localhost:${port}`,
    setConfig: (next) => {
      config = next;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Browsers keep connections alive; without this the port stays open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
