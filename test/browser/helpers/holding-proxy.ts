/**
 * A gate in front of the receiver: each request is held until the test opens
 * the gate, and dropped if the browser hung up meanwhile (a request the page
 * cancelled never reaches the collector). On loopback a request is otherwise
 * answered before a navigation can cancel it; holding it until the test has
 * seen the page torn down replaces a guess about how long that takes.
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  /** `http://127.0.0.1:PORT`: use it as the SDK's `endpoint`. */
  readonly url: string;
  /** `METHOD /path?query` of every request that reached the proxy, in order. */
  readonly arrived: readonly string[];
  /** Requests whose client hung up while they were held: never forwarded. */
  readonly dropped: readonly string[];
  /** Resolves with the first arrival matching `pattern`; rejects after `timeoutMs`. */
  waitForArrival(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the first hang-up matching `pattern`; rejects after `timeoutMs`. */
  waitForHangUp(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Forwards what is held (unless its client left) and every later request, until `hold`. */
  release(): void;
  /** A new closed gate, arrivals and hang-ups forgotten: call before each test. */
  hold(): void;
  close(): Promise<void>;
}

/** Request headers the receiver needs (CORS preflights included). */
const FORWARDED_HEADERS = [
  'origin',
  'content-type',
  'api_key',
  'access-control-request-method',
  'access-control-request-headers',
];

/** Hop-by-hop or recomputed headers that must not be copied onto the answer. */
const SKIP_HEADERS = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding']);

/** Far longer than a teardown takes on a busy machine: reached only when the awaited thing never happens. */
const DEFAULT_WAIT_MS = 10_000;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

class Gate {
  private opened!: () => void;
  readonly open: Promise<void>;
  constructor() {
    this.open = new Promise((resolve) => (this.opened = resolve));
  }
  release(): void {
    this.opened();
  }
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const arrived: string[] = [];
  const dropped: string[] = [];
  const changes = new EventEmitter();
  let gate = new Gate();

  const waitIn =
    (list: readonly string[], what: string) =>
    (pattern: RegExp, timeoutMs = DEFAULT_WAIT_MS) =>
      new Promise<string>((resolve, reject) => {
        const check = (): boolean => {
          const match = list.find((line) => pattern.test(line));
          if (match === undefined) return false;
          clearTimeout(timer);
          changes.off('change', check);
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          changes.off('change', check);
          reject(
            new Error(
              `no ${what} matching ${String(pattern)} within ${timeoutMs} ms (arrived: ${JSON.stringify(arrived)})`,
            ),
          );
        }, timeoutMs);
        if (!check()) changes.on('change', check);
      });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const line = `${request.method ?? 'GET'} ${request.url ?? '/'}`;
    const hungUp = new Promise<'gone'>((resolve) => {
      response.on('close', () => {
        if (!response.writableFinished) resolve('gone');
      });
    });
    try {
      const body = await readBody(request);
      arrived.push(line);
      changes.emit('change');
      if ((await Promise.race([gate.open, hungUp])) === 'gone') {
        dropped.push(line);
        changes.emit('change');
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(`${target}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!SKIP_HEADERS.has(name)) out[name] = value;
      });
      response.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    }
  };
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived,
    dropped,
    waitForArrival: waitIn(arrived, 'request'),
    waitForHangUp: waitIn(dropped, 'hang-up'),
    release: () => gate.release(),
    hold: () => {
      // Whatever an earlier test left held stays held (and is dropped at close), never leaks into this one.
      gate = new Gate();
      arrived.length = 0;
      dropped.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
