/**
 * Inspects one request as it left the SDK: a GET URL (browser) or a POST
 * JSON body (server). Structural parts are checked by shape, free text is
 * searched for raw PII (see `leaks.ts` for why the line is drawn there).
 * Returns the problems found, as readable strings; empty when clean.
 */
import { ITEM_FIELDS, fieldsOf, shortName } from '../../src/core/fields.js';
import { HEX64, addressProbes, decodings, findLeaks, type Probe } from './leaks.js';

/** What a clean request was checked against, for the caller's tallies. */
export interface Inspection {
  problems: string[];
  /** `hashed_*` values seen (each checked to be 64 lowercase hex). */
  hashes: number;
}

const LIST = (slot: string) => new RegExp(`^(?:${slot})?(?:~(?:${slot})?)*$`);
/** GET parameters with a fixed shape: checked by shape, not searched. */
const GET_SHAPES: Readonly<Record<string, RegExp>> = {
  ts: /^\d{13}$/,
  sid: /^\d{13}$/,
  vid: /^[0-9a-f]{45}$/,
  uaclid: /^(?:true|false)$/,
  qty: LIST('[1-9]\\d*'),
  regunitpr: LIST('\\d+\\.\\d\\d'),
  disunitpr: LIST('\\d+\\.\\d\\d'),
};
const GET_NAMES = new Set([
  'api_key',
  ...[...fieldsOf('page_view', 'get'), ...fieldsOf('order', 'get'), ...ITEM_FIELDS].map(shortName),
]);

function shapeProblem(name: string, value: string, shape: RegExp | undefined): string | undefined {
  if (name.startsWith('hashed_'))
    return HEX64.test(value) ? undefined : `${name} is not 64 lowercase hex: ${JSON.stringify(value)}`;
  if (shape && !shape.test(value)) return `${name} has the wrong shape: ${JSON.stringify(value)}`;
  return undefined;
}

/** A browser GET: known endpoint and names, shaped structure, no raw PII in its free text. */
export function inspectGetUrl(
  url: string,
  options: { base: string; apiKey: string; probes: readonly Probe[]; ownText: string },
): Inspection {
  const problems: string[] = [];
  let hashes = 0;
  const queryAt = url.indexOf('?');
  const endpoint = queryAt < 0 ? url : url.slice(0, queryAt);
  if (endpoint !== `${options.base}/page_viewjs` && endpoint !== `${options.base}/orderjs`)
    problems.push(`unexpected endpoint ${endpoint}`);
  const texts: Array<[string, string]> = [];
  for (const pair of queryAt < 0 ? [] : url.slice(queryAt + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    if (!GET_NAMES.has(name)) {
      problems.push(`unknown parameter ${JSON.stringify(name)}`);
      texts.push([`name ${name}`, name]);
    }
    const value = decodings(raw)[1] ?? raw;
    if (name === 'api_key') {
      if (value !== options.apiKey) problems.push('api_key is not the key given');
      continue;
    }
    if (name.startsWith('hashed_')) hashes += 1;
    const problem = shapeProblem(name, value, GET_SHAPES[name]);
    if (problem) problems.push(problem);
    if (name.startsWith('hashed_') || GET_SHAPES[name]) continue;
    for (const text of decodings(raw)) texts.push([name, text]);
  }
  for (const text of decodings(url)) texts.push(['whole URL', text]);
  const free = texts.filter(([where]) => where !== 'whole URL');
  const whole = texts.filter(([where]) => where === 'whole URL');
  for (const leak of [
    ...findLeaks(options.probes, free, options.ownText),
    ...findLeaks(addressProbes(options.probes), whole, options.ownText),
  ]) {
    problems.push(`raw ${leak.field} ${JSON.stringify(leak.value)} in ${leak.where}`);
  }
  return { problems, hashes };
}

const POST_KEYS = {
  page_view: new Set<string>(fieldsOf('page_view', 'post')),
  order: new Set<string>([...fieldsOf('order', 'post'), 'items']),
  item: new Set<string>(ITEM_FIELDS),
};

/** A server POST: known endpoint and keys, shaped structure, no raw PII in its string values. */
export function inspectPostBody(
  request: { url: string; apiKey: string | null; body: string },
  options: {
    base: string;
    apiKey: string;
    ids: { visitor_id: string; session_id: string };
    probes: readonly Probe[];
    ownText: string;
  },
): Inspection & { events: number } {
  const problems: string[] = [];
  let hashes = 0;
  let events = 0;
  const kind =
    request.url === `${options.base}/page_view`
      ? 'page_view'
      : request.url === `${options.base}/orders`
        ? 'order'
        : undefined;
  if (!kind) problems.push(`unexpected endpoint ${request.url}`);
  if (request.apiKey !== options.apiKey) problems.push('api_key header is not the key given');
  const texts: Array<[string, string]> = [];
  const inspect = (object: unknown, keys: ReadonlySet<string>, where: string) => {
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      problems.push(`${where} is not an object`);
      return;
    }
    for (const [key, value] of Object.entries(object)) {
      if (!keys.has(key)) {
        problems.push(`unknown key ${where}.${key}`);
        texts.push([`key ${where}.${key}`, key]);
      }
      if (key === 'items' && Array.isArray(value)) {
        value.forEach((item, index) => inspect(item, POST_KEYS.item, `${where}.items.${index}`));
      } else if (key.startsWith('hashed_')) {
        hashes += 1;
        if (typeof value !== 'string' || !HEX64.test(value))
          problems.push(`${where}.${key} is not 64 lowercase hex: ${JSON.stringify(value)}`);
      } else if (key === 'visitor_id' || key === 'session_id') {
        if (value !== options.ids[key]) problems.push(`${where}.${key} is not the id given`);
      } else if (typeof value === 'string') {
        for (const text of decodings(value)) texts.push([`${where}.${key}`, text]);
      } else if (typeof value !== 'number' && typeof value !== 'boolean') {
        problems.push(`${where}.${key} is neither text, number nor boolean`);
      }
    }
  };
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    problems.push('the body is not JSON');
  }
  if (kind === 'page_view') {
    events = 1;
    inspect(body, POST_KEYS.page_view, 'body');
  } else if (kind === 'order') {
    if (!Array.isArray(body)) problems.push('POST /orders body is not an array');
    else body.forEach((order, index) => inspect(order, POST_KEYS.order, `body.${index}`));
    events = Array.isArray(body) ? body.length : 0;
  }
  const whole = decodings(request.body).map((text): [string, string] => ['whole body', text]);
  for (const leak of [
    ...findLeaks(options.probes, texts, options.ownText),
    ...findLeaks(addressProbes(options.probes), whole, options.ownText),
  ]) {
    problems.push(`raw ${leak.field} ${JSON.stringify(leak.value)} in ${leak.where}`);
  }
  return { problems, hashes, events };
}
