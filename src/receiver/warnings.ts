/**
 * What looks wrong in an accepted event: things the contract allows but that
 * cost matches or leak data. Each warning is one string, its kind, a colon,
 * then what was seen and what to do (`repeated_order_id: order_id "A1" was
 * received before, as event #3: …`), so a person reads it and a script
 * counts it by the part before the colon.
 *
 * Two kinds need memory of earlier events (order ids, the visitor of each
 * session); `Recall` keeps a bounded amount of it, so a flood of events costs
 * no more memory than `MAX_RECALLED` of each.
 */
import { fieldSpec, isFieldName, TIMESTAMP_FIELD } from '../core/fields.js';
import type { EventName } from '../core/fields.js';
import type { OrderRecord } from '../core/model.js';
import { scrubPageUrl, stripEmails } from '../core/pii/page-url.js';
import { MAX_RECALLED } from './limits.js';
import { shorten } from './text.js';

export const WARNING_KINDS = [
  'no_customer_hash',
  'repeated_order_id',
  'pii_in_url',
  'visitor_changed',
  'clock_skew',
  'discount_above_regular',
] as const;

export type WarningKind = (typeof WARNING_KINDS)[number];

/**
 * An event's time this far from when it was received is worth a look: the
 * SDK sends at once, so only a wrong clock (the device's, or a server's
 * seconds read as milliseconds elsewhere) or a late retry puts it further.
 */
const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

/** Quoted values (ids, parameter names) are cut to this: a warning is one line. */
const MAX_QUOTED = 60;

/**
 * A phone number written as people write them: international (`+44 20 7946
 * 0958`) or the North American `(650) 555-1212` / `650-555-1212`. Bare digit
 * runs are left alone: product and order ids are digits too.
 */
const PHONE = /(?:^|[^\d+])(?:\+\d[\d ().-]{7,17}\d|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})(?!\d)/;

function warning(kind: WarningKind, text: string): string {
  return `${kind}: ${text}`;
}

/** The kind of a warning string. */
export function warningKind(text: string): WarningKind | undefined {
  const kind = text.slice(0, text.indexOf(':'));
  return (WARNING_KINDS as readonly string[]).includes(kind) ? (kind as WarningKind) : undefined;
}

function quote(value: string): string {
  return JSON.stringify(shorten(value, MAX_QUOTED));
}

/** A Map that forgets its oldest entries past `MAX_RECALLED`. */
class Recall<V> {
  private readonly entries = new Map<string, V>();

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Sets a key's value, as its newest entry. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > MAX_RECALLED) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Any URL: the core's scrubber is asked about one parameter at a time. */
const PROBE = 'https://probe.invalid/';

/** Parameter names looked at per URL: real pages have a handful; a flood of them costs no more than this. */
const MAX_PARAMS_CHECKED = 1_000;

/** Whether the SDK drops this query parameter as PII: the core's own rule (`core/pii/page-url.ts`), asked directly. */
function isPiiParam(name: string): boolean {
  return scrubPageUrl(`${PROBE}?${encodeURIComponent(name)}=1`) === PROBE;
}

/** The names of the query's parameters, and of a fragment's (`#/sign-up?email=…`, `#email=…`), as hash routers use them. */
function paramNames(url: URL): Set<string> {
  const fragment = url.hash.slice(1);
  const queryAt = fragment.indexOf('?');
  const fragmentQuery = queryAt >= 0 ? fragment.slice(queryAt + 1) : fragment.includes('=') ? fragment : '';
  return new Set([...url.searchParams.keys(), ...new URLSearchParams(fragmentQuery).keys()]);
}

/** The PII the page URL seems to carry, as the phrases of one warning. */
function urlPii(pageUrl: string): string[] {
  const found: string[] = [];
  if (stripEmails(pageUrl) !== pageUrl) found.push('an email address');
  if (PHONE.test(decoded(pageUrl))) found.push('a phone number');
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return found;
  }
  const names = [...paramNames(url)].slice(0, MAX_PARAMS_CHECKED).filter(isPiiParam);
  if (names.length > 0) found.push(`the PII parameter(s) ${names.map(quote).join(', ')}`);
  if (url.username !== '' || url.password !== '') found.push('a user name or password');
  return found;
}

function isCustomerHash(field: string): boolean {
  if (!isFieldName(field)) return false;
  const spec = fieldSpec(field);
  return spec.kind === 'hash' && spec.role !== 'user';
}

function orderWarnings(order: OrderRecord): string[] {
  const warnings: string[] = [];
  if (!Object.keys(order).some(isCustomerHash)) {
    warnings.push(
      warning(
        'no_customer_hash',
        "the order carries no hash of its customer (hashed_email, hashed_phone, …): pass the order's customer so it can be matched",
      ),
    );
  }
  order.items.forEach((item, index) => {
    const { regular_unit_price: regular, discount_unit_price: discount } = item;
    if (regular === undefined || discount === undefined || discount <= regular) return;
    warnings.push(
      warning(
        'discount_above_regular',
        `item ${index + 1}: discount_unit_price ${discount.toFixed(2)} is above regular_unit_price ${regular.toFixed(2)}: the two are swapped, or one is in another currency`,
      ),
    );
  });
  return warnings;
}

function clockWarning(ts: number, receivedAt: number): string[] {
  const skew = ts - receivedAt;
  if (Math.abs(skew) <= MAX_CLOCK_SKEW_MS) return [];
  const minutes = Math.round(Math.abs(skew) / 60_000);
  const span = minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  const side = skew > 0 ? 'ahead of' : 'behind';
  return [
    warning(
      'clock_skew',
      `the event's timestamp is ${span} ${side} the time received: a wrong clock, or an event sent long after it happened`,
    ),
  ];
}

/** What one event is, for the warnings: its decoded record, id and time of receipt. */
export interface Inspected {
  id: number;
  event: EventName;
  record: Readonly<Record<string, unknown>>;
  receivedAt: number;
  pageUrl?: string;
}

/** Warns about each accepted event, remembering (boundedly) what came before. */
export class Warnings {
  /** order_id -> the id of the first event that carried it. */
  private readonly orders = new Recall<number>();
  /** session_id -> the visitor id last seen with it: a change is warned of once. */
  private readonly sessions = new Recall<string>();

  of({ id, event, record, receivedAt, pageUrl }: Inspected): string[] {
    const warnings: string[] = [];
    if (event === 'order') {
      warnings.push(...orderWarnings(record as unknown as OrderRecord));
      const orderId = String(record['order_id']);
      const first = this.orders.get(orderId);
      if (first !== undefined) {
        warnings.push(
          warning(
            'repeated_order_id',
            `order_id ${quote(orderId)} was received before, as event #${first}: a retry whose answer was lost, or an id used twice`,
          ),
        );
      } else this.orders.set(orderId, id);
    }
    const found = pageUrl === undefined ? [] : urlPii(pageUrl);
    if (found.length > 0) {
      warnings.push(warning('pii_in_url', `the page URL carries ${found.join(', ')}: it reaches the vendor as is`));
    }
    warnings.push(...this.visitorWarning(String(record['session_id']), String(record['visitor_id'])));
    warnings.push(...clockWarning(Number(record[TIMESTAMP_FIELD[event]]), receivedAt));
    return warnings;
  }

  private visitorWarning(sessionId: string, visitorId: string): string[] {
    const before = this.sessions.get(sessionId);
    this.sessions.set(sessionId, visitorId);
    if (before === undefined || before === visitorId) return [];
    return [
      warning(
        'visitor_changed',
        `session ${quote(sessionId)} came before with visitor ${quote(before)}: the visitor cookie was reset or set by two sources within one session`,
      ),
    ];
  }

  clear(): void {
    this.orders.clear();
    this.sessions.clear();
  }
}
