// The headless demo's report: the events the receiver decoded, as a table,
// and the checks that each arrived as the contract says.
import { createHash } from 'node:crypto';
import { PRODUCTS } from '../examples/storefront/catalog.js';
import { SHOPPER, VISIT } from './demo-shopper.mjs';

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const HEX64 = /^[0-9a-f]{64}$/;

/** The shopper's profile hashes, from SHOPPER normalized by hand as docs/normalization.md says. */
const PROFILE_HASHES = {
  hashed_email: sha256('jane.doe@example.com'),
  hashed_phone_user: sha256('16505551212'),
  hashed_phone_e164_user: sha256('+16505551212'),
  hashed_first_name_user: sha256('jane'),
  hashed_last_name_user: sha256('doe'),
  hashed_date_of_birth_user: sha256('19900131'),
  hashed_zip_code_user: sha256('10001'),
  hashed_city_user: sha256('newyork'),
  hashed_state_user: sha256('ny'),
};

/** The checkout form is prefilled from the account: the same person, as the order's customer. */
const CUSTOMER_HASHES = {
  hashed_email: PROFILE_HASHES.hashed_email,
  hashed_phone: PROFILE_HASHES.hashed_phone_user,
  hashed_phone_e164: PROFILE_HASHES.hashed_phone_e164_user,
  hashed_first_name: PROFILE_HASHES.hashed_first_name_user,
  hashed_last_name: PROFILE_HASHES.hashed_last_name_user,
  hashed_zip_code: PROFILE_HASHES.hashed_zip_code_user,
  hashed_city: PROFILE_HASHES.hashed_city_user,
  hashed_state: PROFILE_HASHES.hashed_state_user,
};

/** Raw PII as it could leak: typed, lowercased, digits only. None may appear in a request URL. */
const RAW_PII = [
  'jane',
  'doe',
  '@',
  'example.com',
  '6505551212',
  '555-1212',
  '555 1212',
  'new york',
  'newyork',
  '1990-01-31',
  '19900131',
];

const product = (id) => PRODUCTS.find((p) => p.product_id === id);
const productFields = ({ product_id, item_group_id, category_id, seller_id, brand }) => ({
  product_id,
  item_group_id,
  category_id,
  seller_id,
  brand,
});

function shorten(text, max) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function hashedKeys(record) {
  return Object.keys(record).filter((key) => key.startsWith('hashed_'));
}

function keyFields(event) {
  const r = event.record;
  if (event.event === 'order') return `oid=${r.order_id}`;
  const parts = [];
  if (r.product_id !== undefined) parts.push(`prodid=${r.product_id}`, `brand=${r.brand}`);
  if (r.channel !== undefined) parts.push(`ch=${r.channel}`, `cclid=${r.channel_click_id}`);
  return parts.join(' ');
}

function itemsText(event) {
  if (event.event !== 'order') return '';
  return event.record.items
    .map(
      (item) =>
        `${item.product_id}×${item.quantity}@${(item.discount_unit_price ?? item.regular_unit_price ?? 0).toFixed(2)}`,
    )
    .join(' ');
}

/** The decoded events as a fixed-width table. */
export function eventTable(events) {
  const rows = events.map((event, index) => {
    const ts = event.record.page_view_ts ?? event.record.order_ts;
    const hashed = hashedKeys(event.record);
    const user = hashed.filter((key) => key.endsWith('_user')).length;
    const page = event.pageUrl ? new URL(event.pageUrl) : undefined;
    return [
      String(index + 1),
      event.event,
      event.via,
      new Date(ts).toISOString().slice(11, 23),
      shorten(event.record.visitor_id, 13),
      event.record.session_id,
      page ? shorten(page.pathname + page.search, 38) : '',
      keyFields(event),
      hashed.length === 0 ? '-' : `${hashed.length} (${user} _user)`,
      itemsText(event),
      String(event.match.score),
      event.warnings.map((warning) => warning.slice(0, warning.indexOf(':'))).join(' ') || '-',
    ];
  });
  const head = [
    '#',
    'event',
    'via',
    'ts (UTC)',
    'vid',
    'sid',
    'page url',
    'key fields',
    'hashed',
    'items',
    'score',
    'warnings',
  ];
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Finds the event each VISIT step must have produced. */
export function matchVisit(events, shopUrl) {
  return VISIT.map((step) => {
    const event = step.order
      ? events.find((e) => e.event === 'order')
      : events.find(
          (e) =>
            e.event === 'page_view' &&
            e.pageUrl !== undefined &&
            stripQuery(e.pageUrl, step) === `${shopUrl}${step.pageView}`,
        );
    return { step, event };
  });
}

function stripQuery(url, step) {
  // The thank-you URL carries the order id, known only at run time.
  return step.pageView === '/shop/thank-you' ? url.split('?')[0] : url;
}

function differences(actual, expected) {
  return Object.entries(expected)
    .filter(([key, value]) => actual[key] !== value)
    .map(([key]) => key);
}

/**
 * Every check of the run: `{ name, ok, detail }`. `requestUrls` are the URLs
 * the browser sent to the receiver; `window` is the run's [start, end] in ms.
 */
export function checkRun({ events, requests, requestUrls, shopUrl, orderId, window: [start, end] }) {
  const checks = [];
  const check = (name, ok, detail = '') => checks.push({ name, ok: Boolean(ok), detail });
  const matched = matchVisit(events, shopUrl);

  const missing = matched.filter((m) => !m.event).map((m) => m.step.step);
  check(
    `all ${VISIT.length} events arrived (${VISIT.filter((s) => !s.order).length} page views, 1 order)`,
    missing.length === 0 && events.length === VISIT.length,
    missing.length ? `missing: ${missing.join('; ')}` : `received ${events.length}`,
  );
  check(
    'every request was accepted (200), none refused',
    requests.length > 0 && requests.every((r) => r.status === 200),
    requests
      .filter((r) => r.status !== 200)
      .map((r) => `${r.status} ${r.path} ${JSON.stringify(r.problems)}`)
      .join('; '),
  );

  const badIds = events.filter(
    (e) => !/^[0-9a-f]{45}$/.test(e.record.visitor_id) || !/^\d+$/.test(String(e.record.session_id)),
  );
  check(
    'vid is 45 lowercase hex, sid is digits (session start, ms)',
    events.length > 0 && badIds.length === 0,
    badIds.map((e) => `${e.record.visitor_id} / ${e.record.session_id}`).join('; '),
  );
  check(
    'one visitor and one session for the whole visit',
    new Set(events.map((e) => e.record.visitor_id)).size === 1 &&
      new Set(events.map((e) => e.record.session_id)).size === 1,
  );
  const sid = Number(events[0]?.record.session_id);
  check('sid is a time within the run', sid >= start - 1000 && sid <= end, String(sid));
  const badTs = events.filter((e) => {
    const ts = e.record.page_view_ts ?? e.record.order_ts;
    return !Number.isInteger(ts) || ts < start - 1000 || ts > end;
  });
  check(
    'ts is integer milliseconds within the run',
    events.length > 0 && badTs.length === 0,
    badTs.map((e) => String(e.record.page_view_ts ?? e.record.order_ts)).join(', '),
  );

  for (const { step, event } of matched) {
    if (!event) continue;
    const r = event.record;
    if (step.pageView) {
      const expected = step.product ? productFields(product(step.product)) : {};
      const wrong = differences(r, expected);
      check(
        `page view ${step.pageView}: page_url${step.product ? ' and product fields' : ''}`,
        wrong.length === 0 && event.pageUrl,
        wrong.join(', '),
      );
    }
    if (step.signedIn) {
      const wrong = differences(r, PROFILE_HASHES);
      check(
        `${step.order ? 'order' : `page view ${step.pageView}`}: the profile's 9 hashes (hashed_email, hashed_*_user) match`,
        wrong.length === 0,
        wrong.join(', '),
      );
    } else {
      check(
        `page view ${step.pageView}: no hashed field before sign-in`,
        hashedKeys(r).length === 0,
        hashedKeys(r).join(', '),
      );
    }
  }

  const landing = matched[0]?.event;
  check(
    'the ad click is attributed: ch=google, cclid=demo-click-1',
    landing?.record.channel === 'google' && landing?.record.channel_click_id === 'demo-click-1',
  );

  const order = matched.find((m) => m.step.order)?.event;
  if (order) {
    const r = order.record;
    check('order: oid is the order id the shop showed', r.order_id === orderId, `${r.order_id} vs ${orderId}`);
    const want = [
      { ...productFields(product('170830')), quantity: 1, regular_unit_price: 10, discount_unit_price: 5 },
      { ...productFields(product('310552')), quantity: 1, regular_unit_price: 24.5, discount_unit_price: 19.9 },
    ];
    check(
      'order: items with product fields, qty and prices',
      JSON.stringify(r.items) === JSON.stringify(want),
      JSON.stringify(r.items),
    );
    const wrong = differences(r, CUSTOMER_HASHES);
    check(
      "order: the customer's 8 hashes (email, phone, phone E.164, names, zip, city, state) match",
      wrong.length === 0,
      wrong.join(', '),
    );
    const notHex = hashedKeys(r).filter((key) => !HEX64.test(r[key]));
    check('order: every hashed field is 64 lowercase hex', notHex.length === 0, notHex.join(', '));
  }

  const warned = events.filter((e) => e.warnings.length > 0);
  check(
    'the inspector warns of nothing (no missing customer hash, repeated order id, PII in a URL, …)',
    events.length > 0 && warned.length === 0,
    warned.map((e) => `#${e.id}: ${e.warnings.join('; ')}`).join(' | '),
  );
  const landingScore = matched[0]?.event?.match.score;
  const orderScore = events.find((e) => e.event === 'order')?.match.score;
  check(
    'match scores: the landing carries its click id (2.25), the signed-in order every key but crm_id (9)',
    landingScore === 2.25 && orderScore === 9,
    `landing ${landingScore}, order ${orderScore}`,
  );

  const leaks = [];
  for (const url of requestUrls) {
    for (const [name, value] of new URL(url).searchParams) {
      if (HEX64.test(value)) continue; // A hash.
      const text = value.toLowerCase();
      const found = RAW_PII.filter((pii) => text.includes(pii));
      if (found.length) leaks.push(`${name} contains ${found.join(', ')}`);
    }
  }
  check(
    `no raw PII in the ${requestUrls.length} request URLs the browser sent`,
    requestUrls.length === requests.length && leaks.length === 0,
    leaks.length ? leaks.join('; ') : `browser sent ${requestUrls.length}, receiver saw ${requests.length}`,
  );
  return checks;
}

export { SHOPPER };
