/**
 * Who may use which route. The receiver runs on a developer's machine while
 * their browser is open on other sites, so:
 *
 * - every route answers only to a `Host` that names this machine: a page on a
 *   domain that its owner re-points at 127.0.0.1 (DNS rebinding) is, to the
 *   browser, the receiver's own origin, and only the Host header tells;
 * - the event log (`/events`, `/requests`) and clearing it answer only the
 *   receiver's own origin, since it holds order ids, hashes and visitor ids;
 * - clearing needs a request no page can send to another origin without a
 *   preflight (which the log's routes refuse): a guard for browsers and
 *   contexts that send no `Origin`.
 *
 * The event endpoints answer every origin: the storefront is another origin.
 */
import type { IncomingMessage } from 'node:http';

/** A `Host` header is a name and a port; past this length it is not one we answer to. */
const MAX_HOST_LENGTH = 300;

/** Characters of a host name, an IPv4 address, or an IPv6 address in brackets, with a port. */
const HOST_CHARS = /^[a-z0-9.\-[\]:]+$/;

/** A request header's value (the first, if it came more than once). */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The host name of a `Host` header or a `--host` value, as the URL parser writes it; undefined if it is none. */
function hostName(host: string): string | undefined {
  const text = host.toLowerCase();
  if (text === '' || text.length > MAX_HOST_LENGTH || !HOST_CHARS.test(text)) return undefined;
  // A bare IPv6 address (`::1`, as `--host` takes it) gets its brackets.
  const authority = !text.startsWith('[') && text.split(':').length > 2 ? `[${text}]` : text;
  try {
    return new URL(`http://${authority}`).hostname.replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Addresses through which another machine reaches this one's loopback, and
 * which this machine cannot listen on itself: an Android emulator reaches its
 * host's 127.0.0.1 as `10.0.2.2`. Answered only when asked (`--host
 * 10.0.2.2`); the receiver then listens on loopback, where that traffic
 * arrives. Being addresses, not names, no page can rebind them to another
 * site's DNS.
 */
const LOOPBACK_ALIASES: ReadonlySet<string> = new Set(['10.0.2.2']);

/** The interface to listen on for a `--host` value: loopback for an alias of it, else the value itself. */
export function listenAddress(host: string): string {
  return LOOPBACK_ALIASES.has(host) ? '127.0.0.1' : host;
}

/**
 * Whether a `Host` header names this machine: `localhost` (and `*.localhost`,
 * which browsers resolve to loopback themselves), a 127.x.x.x address,
 * `[::1]`, or the `host` the receiver was started with (`--host`), any port.
 */
export function isAnsweredHost(hostHeader: string | undefined, host: string): boolean {
  const name = hostHeader === undefined ? undefined : hostName(hostHeader);
  if (name === undefined) return false;
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(name) ||
    name === '[::1]' ||
    name === hostName(host)
  );
}

/**
 * Whether a request comes from a page of the receiver's own origin, or from
 * no page at all (curl, Node, the address bar). Browsers say where a request
 * comes from in `Sec-Fetch-Site`, and name the origin in `Origin` on every
 * cross-origin request that may read its answer or change state.
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const site = header(request, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = header(request, 'origin');
  return origin === undefined || origin.toLowerCase() === `http://${(header(request, 'host') ?? '').toLowerCase()}`;
}

/**
 * Whether a page of another origin would have needed a preflight to send
 * this: a method other than GET, HEAD and POST, or a POST of JSON (forms,
 * beacons and no-cors fetches can send only text, form data or nothing).
 */
export function isNonSimple(request: IncomingMessage): boolean {
  if (request.method !== 'POST') return request.method !== 'GET' && request.method !== 'HEAD';
  const type = (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}
