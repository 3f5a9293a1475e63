import { MAX_GET_URL_LENGTH } from '../fields.js';

/**
 * Query parameter names that carry PII in the wild (sign-up and checkout
 * forms that submit by GET, marketing emails that prefill forms). Compared
 * case-insensitively and ignoring `_`, `-` and `.`, so `first_name`,
 * `firstName` and `first-name` are one name; `form[email]` is judged by its
 * last bracket key. Click ids (`gclid`, `fbclid`, …) and `utm_*` are not PII
 * and stay: attribution needs them.
 */
export const DEFAULT_PII_PARAMS: readonly string[] = [
  'email',
  'e',
  'mail',
  'email_address',
  'phone',
  'tel',
  'telephone',
  'mobile',
  'phone_number',
  'first_name',
  'fname',
  'last_name',
  'lname',
  'name',
  'full_name',
  'address',
  'street',
  'zip',
  'zip_code',
  'postcode',
  'postal_code',
  'dob',
  'birthdate',
  'date_of_birth',
  'birthday',
];

export interface ScrubPageUrlOptions {
  /** Extra parameter names to drop, on top of DEFAULT_PII_PARAMS. */
  piiParams?: readonly string[] | undefined;
}

// An address, raw or percent-encoded once (`%40`) or twice (`%2540`). The
// local part stops at URL delimiters, raw or encoded (`%3D` is `=`), so
// `?next=%2Flogin%3Fu%3Da%40b.co` loses only `a%40b.co`. Each address is
// found from its `@`: the local part is read leftwards from it, the domain
// rightwards, so the work stays linear in the text whatever it holds (a
// pattern searching for local parts first retried every position of a long
// run of them: quadratic). (No lookbehind: Safari before 16.4 fails to parse
// it, and this runs at import.)
const ENCODED_DELIMITER = '%(?:25)?(?:2[036cf]|3[abdf]|40)'; // Lowercase: the patterns are case-insensitive.
const AT = /@|%(?:25)?40/gi;
const DELIMITER_HERE = new RegExp(ENCODED_DELIMITER, 'iy');
const LOCAL_PART_STOP = /[\s/?#&=@:;,"'<>()[\]\\]/u;
// Domain letters may be percent-encoded too: `location.href` spells `exämple.de` as `ex%C3%A4mple.de`.
const DOMAIN_CHAR = `(?:[\\p{L}\\p{N}-]|(?!${ENCODED_DELIMITER})%[0-9a-f]{2})`;
const DOMAIN_HERE = new RegExp(`(?:${DOMAIN_CHAR}+\\.)+(?:\\p{L}|(?!${ENCODED_DELIMITER})%[0-9a-f]{2}){2,}`, 'iuy');

/**
 * Where the address whose `@` is at `at` starts, not before `from`; -1 when
 * nothing before the `@` can be a local part.
 */
function addressStart(text: string, at: number, from: number): number {
  for (let i = at - 1; i >= from; i -= 1) {
    const char = text.charAt(i);
    if (LOCAL_PART_STOP.test(char)) return i + 1 < at ? i + 1 : -1;
    DELIMITER_HERE.lastIndex = i;
    // An encoded delimiter ends the local part and stays whole; its own digits count as one (`%3D@x.co`).
    if (char === '%' && DELIMITER_HERE.test(text)) return DELIMITER_HERE.lastIndex;
  }
  return from < at ? from : -1;
}

/** Removes every email address in `text`. */
export function stripEmails(text: string): string {
  let out = '';
  let done = 0; // Everything before it is in `out`, or was an address.
  for (const at of text.matchAll(AT)) {
    const start = addressStart(text, at.index, done);
    if (start < 0) continue;
    DOMAIN_HERE.lastIndex = at.index + at[0].length;
    if (!DOMAIN_HERE.test(text)) continue;
    out += text.slice(done, start);
    done = DOMAIN_HERE.lastIndex;
  }
  return done === 0 ? text : out + text.slice(done);
}

function paramKey(name: string): string {
  let decoded = name.replace(/\+/g, ' ');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // A malformed escape: judge the name as written.
  }
  // The last bracket key; brackets inside it end it, so the search stays linear.
  const bracketed = /\[([^[\]]*)\]$/.exec(decoded)?.[1];
  return (bracketed ?? decoded).toLowerCase().replace(/[-_.\s]/g, '');
}

/** The default PII parameter names as they are compared. */
const DEFAULT_KEYS: ReadonlySet<string> = new Set(DEFAULT_PII_PARAMS.map(paramKey));

/** `a=1&email=x&b=2` without its PII parameters, and emails stripped from the rest. */
function scrubQuery(query: string, dropped: ReadonlySet<string>): string {
  return query
    .split('&')
    .filter((pair) => pair !== '' && !dropped.has(paramKey(pair.split('=', 1)[0] ?? '')))
    .map(stripEmails)
    .join('&');
}

/** Whether `text` is an absolute URL (it parses without a base). */
export function isAbsoluteUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** `path?query`: emails stripped from the path, PII parameters dropped from the query (its `?` too when nothing is left). */
function scrubPathAndQuery(text: string, dropped: ReadonlySet<string>): string {
  const queryAt = text.indexOf('?');
  if (queryAt < 0) return stripEmails(text);
  const kept = scrubQuery(text.slice(queryAt + 1), dropped);
  return stripEmails(text.slice(0, queryAt)) + (kept ? `?${kept}` : '');
}

/**
 * The page URL as it may leave the browser: no email address anywhere (path,
 * query, fragment, raw or `%40`-encoded), no PII query parameters (also in a
 * `#/route?…` fragment), no `user:password@` credentials. The rest keeps its
 * original spelling. Text that is not an absolute URL only loses its email
 * addresses. A URL longer than any GET request can carry is dropped whole
 * (`''`), unread. Never throws.
 */
export function scrubPageUrl(url: string, options: ScrubPageUrlOptions = {}): string {
  try {
    if (typeof url !== 'string' || url.length > MAX_GET_URL_LENGTH) return '';
    if (!isAbsoluteUrl(url)) return stripEmails(url);
    const extra = options.piiParams ?? [];
    const dropped = extra.length === 0 ? DEFAULT_KEYS : new Set([...DEFAULT_KEYS, ...extra.map(paramKey)]);
    const hashAt = url.indexOf('#');
    const out = scrubPathAndQuery(
      (hashAt < 0 ? url : url.slice(0, hashAt)).replace(/^([a-z][a-z\d+.-]*:\/\/)[^/?#]*@/i, '$1'),
      dropped,
    );
    if (hashAt < 0) return out;
    // Hash routers put a query in the fragment (`#/signup?email=…`), some put only pairs (`#email=…`).
    const fragment = url.slice(hashAt + 1);
    const pairsOnly = !fragment.includes('?') && fragment.includes('=');
    return `${out}#${pairsOnly ? scrubQuery(fragment, dropped) : scrubPathAndQuery(fragment, dropped)}`;
  } catch {
    return '';
  }
}

/** A URL given percent-encoded as a whole, as the vendor's POST example writes it (`https%3A%2F%2F…`). */
const ENCODED_URL = /^[a-z][a-z0-9+.-]*%3A/i;

/**
 * The page URL of an event, as it may leave the SDK: a URL given already
 * percent-encoded (as the vendor's POST example shows it) is decoded first,
 * so its PII is found too; then `scrubPageUrl`.
 */
export function privatePageUrl(url: string, options: ScrubPageUrlOptions = {}): string {
  let plain = url;
  if (ENCODED_URL.test(url)) {
    try {
      plain = decodeURIComponent(url);
    } catch {
      // A malformed escape: scrub it as written.
    }
  }
  return scrubPageUrl(plain, options);
}
