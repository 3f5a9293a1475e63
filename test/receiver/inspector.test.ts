/**
 * The receiver as an inspector: each event's match (keys, score, missing),
 * its warnings, and the summary, through the real HTTP routes; the score's
 * promise (more and stronger keys never score lower) as a property.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/core/fields.js';
import { MATCH_KEYS, WARNING_KINDS } from '../../src/receiver/index.js';
import type { ReceivedEvent, Summary } from '../../src/receiver/index.js';
import { MAX_RECALLED } from '../../src/receiver/limits.js';
import { matchOf, scoreOf } from '../../src/receiver/match.js';
import { Warnings, warningKind } from '../../src/receiver/warnings.js';
import { call, postJson, useReceiver } from './harness.js';

const receiver = useReceiver();

const HASH = 'a'.repeat(64);
const VID = 'b'.repeat(45);
const OTHER_VID = 'c'.repeat(45);
const SID = '1790000000000';

function pageView(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { page_view_ts: Date.now(), visitor_id: VID, session_id: SID, ...fields };
}

function order(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_ts: Date.now(),
    visitor_id: VID,
    session_id: SID,
    order_id: 'A-1',
    hashed_email: HASH,
    items: [{ product_id: 'p1', quantity: 1, regular_unit_price: 20, discount_unit_price: 15 }],
    ...fields,
  };
}

async function send(path: '/page_view' | '/orders', body: unknown): Promise<ReceivedEvent> {
  const before = receiver().events.length;
  const answer = await postJson(receiver(), path, body);
  expect(answer.status).toBe(200);
  const event = receiver().events[before];
  if (!event) throw new Error('not stored');
  return event;
}

const kinds = (event: ReceivedEvent): Array<string | undefined> => event.warnings.map(warningKind);

describe('match', () => {
  it('names the keys carried, scores them from the table, and lists the strongest missing', () => {
    const match = matchOf('order', {
      hashed_email: HASH,
      hashed_phone_e164: HASH,
      visitor_id: VID,
      session_id: SID,
      order_id: '1',
    });
    expect(match).toEqual({
      keys: ['hashed_email', 'hashed_phone_e164', 'visitor_id'],
      score: 6.5,
      missing: ['hashed_first_name', 'hashed_last_name', 'hashed_zip_code'],
    });
  });

  it('a page view misses its own fields (the profile ones, a click id), an order never a click id', () => {
    expect(matchOf('page_view', { visitor_id: VID, hashed_email: HASH }).missing).toEqual([
      'hashed_phone_user',
      'hashed_first_name_user',
      'hashed_last_name_user',
    ]);
    const full = Object.fromEntries(
      MATCH_KEYS.flatMap((key) => key.fields).map((field) => [field, field.endsWith('id') ? '1' : HASH]),
    );
    delete full['channel_click_id'];
    delete full['att_click_id'];
    expect(matchOf('order', full)).toMatchObject({ score: 10, missing: [] });
    expect(matchOf('page_view', full).missing).toEqual(['channel_click_id']);
  });

  it('the table keeps the tiers: email, phone, name + zip, click id, visitor id', () => {
    const weight = (name: string): number => MATCH_KEYS.find((key) => key.name === name)?.weight ?? NaN;
    const nameAndZip = weight('first name') + weight('last name') + weight('zip code');
    expect(weight('email')).toBeGreaterThan(weight('phone'));
    expect(weight('phone')).toBeGreaterThan(nameAndZip);
    expect(nameAndZip).toBeGreaterThan(weight('click id'));
    expect(weight('click id')).toBeGreaterThan(weight('visitor id'));
    // An order with every key it can carry scores exactly 10.
    expect(scoreOf(MATCH_KEYS.filter((key) => key.name !== 'click id').map((key) => key.name))).toBe(10);
  });

  const names = MATCH_KEYS.map((key) => key.name);
  const keySet = fc.subarray(names);

  it('more keys never score lower (property)', () => {
    fc.assert(
      fc.property(keySet, keySet, (some, more) => {
        expect(scoreOf([...some, ...more])).toBeGreaterThanOrEqual(scoreOf(some));
      }),
    );
  });

  it('a stronger key in place of a weaker one never scores lower (property)', () => {
    fc.assert(
      fc.property(keySet, fc.constantFrom(...MATCH_KEYS), fc.constantFrom(...MATCH_KEYS), (rest, a, b) => {
        const [weak, strong] = a.weight <= b.weight ? [a, b] : [b, a];
        const others = rest.filter((name) => name !== weak.name && name !== strong.name);
        expect(scoreOf([...others, strong.name])).toBeGreaterThanOrEqual(scoreOf([...others, weak.name]));
      }),
    );
  });

  it('scores stay within 0 to 10, and the same keys through any fields score the same (property)', () => {
    const fields = MATCH_KEYS.flatMap((key) => key.fields);
    fc.assert(
      fc.property(fc.subarray(fields), (carried) => {
        const record = Object.fromEntries(carried.map((field) => [field, HASH]));
        const match = matchOf('order', record);
        expect(match.score).toBeGreaterThanOrEqual(0);
        expect(match.score).toBeLessThanOrEqual(10);
        expect(match.keys).toEqual(fields.filter((field) => carried.includes(field)));
        const keyNames = MATCH_KEYS.filter((key) => key.fields.some((field) => carried.includes(field)));
        expect(match.score).toBe(scoreOf(keyNames.map((key) => key.name)));
      }),
    );
  });
});

describe('warnings, through GET /events', () => {
  it('a clean page view and a clean order have none', async () => {
    const events = [
      await send(
        '/page_view',
        pageView({ page_view_url: encodeURIComponent('https://shop.example/p/170830?gclid=x') }),
      ),
      await send('/orders', [order()]),
    ];
    expect(events.map((event) => event.warnings)).toEqual([[], []]);
    const listed = (await call(receiver(), '/events')).body as ReceivedEvent[];
    expect(listed.map((event) => [event.match.score, event.warnings])).toEqual([
      [1, []],
      [4, []],
    ]);
  });

  it('an order with no customer hash', async () => {
    const event = await send('/orders', [order({ hashed_email: undefined, hashed_phone_user: HASH })]);
    expect(kinds(event)).toEqual(['no_customer_hash']);
    expect(event.warnings[0]).toMatch(/no hash of its customer/);
  });

  it('an order_id seen before, naming the first event', async () => {
    const first = await send('/orders', [order({ order_id: 'R-7' })]);
    // By GET this time: the same order through another transport is still a repeat.
    const answer = await call(
      receiver(),
      `/orderjs?api_key=test-key&ts=${Date.now()}&vid=${VID}&sid=${SID}&oid=R-7&prodid=p1&qty=1&hashed_email=${HASH}`,
    );
    expect(answer.status).toBe(200);
    const again = receiver().events.at(-1)!;
    expect(kinds(again)).toEqual(['repeated_order_id']);
    expect(again.warnings[0]).toContain(`"R-7" was received before, as event #${first.id}`);
  });

  it.each([
    ['an email', 'https://shop.example/welcome/jane.doe%40example.com', /an email address/],
    ['a phone number', 'https://shop.example/call?n=%2B44%2020%207946%200958', /a phone number/],
    ['a PII parameter', 'https://shop.example/sign-up?first_name=Jane&utm_id=3', /the PII parameter\(s\) "first_name"/],
  ])('a page URL carrying %s', async (_, url, text) => {
    const event = await send('/page_view', pageView({ page_view_url: encodeURIComponent(url) }));
    expect(kinds(event)).toEqual(['pii_in_url']);
    expect(event.warnings[0]).toMatch(text);
  });

  it.each([
    ['a PII parameter in a hash route', 'https://shop.example/#/sign-up?email_address=x&step=2', /"email_address"/],
    ['credentials', 'https://jane:secret@shop.example/account', /a user name or password/],
  ])('a page URL carrying %s', async (_, url, text) => {
    const event = await send('/page_view', pageView({ page_view_url: encodeURIComponent(url) }));
    expect(event.warnings).toEqual([expect.stringMatching(text)]);
  });

  it.each([
    ['empty pairs and a bare ?', 'https://shop.example/list?a=1&&b=2&'],
    ['a long URL with thousands of parameters', `https://shop.example/?${'p=1&'.repeat(5000)}q=2`],
  ])('no PII: %s', async (_, url) => {
    const event = await send('/page_view', pageView({ page_view_url: encodeURIComponent(url) }));
    expect(event.warnings).toEqual([]);
  });

  it('ids in a URL are not phone numbers', async () => {
    const url = 'https://shop.example/thank-you?order=238476923&item=1729694623545';
    const event = await send('/page_view', pageView({ page_view_url: encodeURIComponent(url) }));
    expect(event.warnings).toEqual([]);
  });

  it('a visitor id that changed within a session, once at the change', async () => {
    await send('/page_view', pageView());
    const changed = await send('/page_view', pageView({ visitor_id: OTHER_VID }));
    const after = await send('/page_view', pageView({ visitor_id: OTHER_VID }));
    expect(kinds(changed)).toEqual(['visitor_changed']);
    expect(after.warnings).toEqual([]);
  });

  it('a timestamp far from the time received, either way', async () => {
    const late = await send('/page_view', pageView({ page_view_ts: Date.now() - 3 * 3600_000 }));
    const ahead = await send('/page_view', pageView({ page_view_ts: Date.now() + 20 * 60_000 }));
    const near = await send('/page_view', pageView({ page_view_ts: Date.now() - 60_000 }));
    expect(late.warnings).toEqual([expect.stringMatching(/^clock_skew: .* 3 h behind the time received/)]);
    expect(ahead.warnings).toEqual([expect.stringMatching(/^clock_skew: .* 20 min ahead of/)]);
    expect(near.warnings).toEqual([]);
  });

  it('an order whose discount price is above its regular price, naming the item', async () => {
    const items = [
      { product_id: 'p1', quantity: 1, regular_unit_price: 20, discount_unit_price: 15 },
      { product_id: 'p2', quantity: 2, regular_unit_price: 20, discount_unit_price: 30 },
    ];
    const event = await send('/orders', [order({ items })]);
    expect(event.warnings).toEqual([
      expect.stringMatching(
        /^discount_above_regular: item 2: discount_unit_price 30\.00 is above regular_unit_price 20\.00/,
      ),
    ]);
  });

  it('every warning starts with one of the documented kinds', async () => {
    const event = await send('/orders', [
      order({ hashed_email: undefined, order_ts: Date.now() - 86_400_000, visitor_id: OTHER_VID }),
    ]);
    const prefixes = event.warnings.map((text) => text.split(':')[0] ?? '');
    expect(prefixes.every((prefix) => (WARNING_KINDS as readonly string[]).includes(prefix))).toBe(true);
    expect(kinds(event)).toEqual(['no_customer_hash', 'clock_skew']);
  });
});

describe('GET /summary', () => {
  it('counts events, the average score and warnings by kind, and clear starts afresh', async () => {
    const empty = (await call(receiver(), '/summary')).body as Summary;
    expect(empty).toEqual({
      events: 0,
      averageScore: null,
      eventsWithWarnings: 0,
      warnings: Object.fromEntries(WARNING_KINDS.map((kind) => [kind, 0])),
    });
    await send('/page_view', pageView({ channel_click_id: 'c1' })); // 2.25
    await send('/orders', [order(), order({ order_id: 'A-2' })]); // 4, 4
    await send('/orders', [order({ hashed_email: undefined })]); // 1: no customer hash, a repeated id
    const answer = await call(receiver(), '/summary');
    expect(answer.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(answer.body).toEqual({
      events: 4,
      averageScore: 2.8,
      eventsWithWarnings: 1,
      warnings: { ...empty.warnings, no_customer_hash: 1, repeated_order_id: 1 },
    });
    expect(receiver().summary()).toEqual(answer.body);
    expect((await call(receiver(), '/events', { method: 'DELETE' })).status).toBe(200);
    expect((await call(receiver(), '/summary')).body).toEqual(empty);
    // The memory of order ids went with it.
    expect((await send('/orders', [order()])).warnings).toEqual([]);
  });

  it('answers only its own origin, as the event log does', async () => {
    const answer = await call(receiver(), '/summary', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(answer.status).toBe(403);
  });
});

describe('bounded memory', () => {
  it(`remembers the newest ${MAX_RECALLED} order ids and sessions, not more`, () => {
    const warnings = new Warnings();
    const inspect = (id: number, orderId: string, sessionId: string, visitorId = VID): string[] =>
      warnings.of({
        id,
        event: 'order',
        receivedAt: Date.now(),
        record: { ...order({ order_id: orderId, session_id: sessionId, visitor_id: visitorId }) },
      });
    for (let index = 0; index <= MAX_RECALLED; index++) inspect(index + 1, `o${index}`, String(index));
    // The first order and session were forgotten; the second are still known.
    expect(inspect(0, 'o0', '0', OTHER_VID)).toEqual([]);
    expect(inspect(0, 'o2', '2', OTHER_VID).map(warningKind)).toEqual(['repeated_order_id', 'visitor_changed']);
  });
});

describe('the NDJSON file and the listeners see the same event', () => {
  it('match and warnings are part of the event', async () => {
    const heard: ReceivedEvent[] = [];
    receiver().on((event) => heard.push(event));
    await send('/orders', [order({ hashed_email: undefined, hashed_phone: HASH })]);
    expect(heard[0]?.match).toEqual({
      keys: ['hashed_phone', 'visitor_id'] satisfies FieldName[],
      score: 3.5,
      missing: ['hashed_email', 'hashed_first_name', 'hashed_last_name'],
    });
    expect(heard[0]?.warnings).toEqual([]);
  });
});
