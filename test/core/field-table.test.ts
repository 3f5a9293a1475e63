/**
 * The field table is the one place a field is described: this walks it and
 * checks that every consumer follows it, for every field, without naming
 * any. A field added to the table is validated, hashed into, encoded by GET
 * and POST, and decoded by the receiver with no other edit; a consumer that
 * kept its own list would fail here for the new field.
 */
import { describe, expect, it } from 'vitest';
import { FIELD_LIST, ITEM_FIELDS, carries, shortName, type EventName, type FieldKind } from '../../src/core/fields.js';
import { encodeGet } from '../../src/core/get-encoder.js';
import { hashPerson } from '../../src/core/pii/index.js';
import { postBody } from '../../src/core/post-encoder.js';
import { buildRecord } from '../../src/core/record.js';
import { validateEvent } from '../../src/core/validate.js';
import { decodeBody } from '../../src/receiver/body.js';
import { decodeQuery } from '../../src/receiver/query.js';

/** A valid input for each kind, and how GET writes it. */
const SAMPLES: Record<FieldKind, { input: unknown; wire: unknown; query: string }> = {
  timestamp: { input: 1729696661986, wire: 1729696661986, query: '1729696661986' },
  visitor_id: {
    input: '01929d42ae1a0016c0cebe6dd43a0508900160810056a',
    wire: '01929d42ae1a0016c0cebe6dd43a0508900160810056a',
    query: '01929d42ae1a0016c0cebe6dd43a0508900160810056a',
  },
  session_id: { input: 1729694623545, wire: '1729694623545', query: '1729694623545' },
  id: { input: 170830, wire: '170830', query: '170830' },
  text: { input: ' some text ', wire: 'some text', query: 'some text' },
  url: {
    input: 'https://shop.example/p/1?utm_id=7',
    wire: 'https://shop.example/p/1?utm_id=7',
    query: 'https://shop.example/p/1?utm_id=7',
  },
  hash: { input: 'A'.repeat(64), wire: 'a'.repeat(64), query: 'a'.repeat(64) },
  boolean: { input: false, wire: false, query: 'false' },
  quantity: { input: 3, wire: 3, query: '3' },
  price: { input: 10.5, wire: 10.5, query: '10.50' },
  platform: { input: 'app', wire: 'app', query: 'app' },
};

const EVENTS: EventName[] = ['page_view', 'order'];
/** The hash each person field is given as (pre-hashed input passes through, lowercased). */
const personHash = (name: string) =>
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- field names are ASCII: one character per code point
  [...name]
    .map((c) => c.charCodeAt(0).toString(16))
    .join('')
    .padEnd(64, 'f')
    .slice(0, 64);

/** Every field of the table an event takes from its caller, set; and every item field on one item. */
function fullInput(event: EventName, caller: 'browser' | 'server'): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const spec of FIELD_LIST) {
    const fromCaller = spec.source === 'event' || (caller === 'server' && spec.source === 'context');
    if (fromCaller && carries(spec, event, caller === 'browser' ? 'get' : 'post'))
      input[spec.name] = SAMPLES[spec.kind].input;
  }
  if (event === 'order') {
    input.items = [
      Object.fromEntries(
        ITEM_FIELDS.map((name) => [name, SAMPLES[FIELD_LIST.find((s) => s.name === name)!.kind].input]),
      ),
    ];
  }
  return input;
}

/** The profile and customer, each PII field given as a distinct pre-hash. */
function persons() {
  const hashed = (role: 'user' | 'customer') => {
    const person: Record<string, string> = {};
    for (const spec of FIELD_LIST)
      if (spec.pii && (spec.role === role || spec.role === 'either'))
        person[spec.pii] = personHash(`${role}.${spec.pii}`);
    return hashPerson(person, { role, sha256: () => 'unused' }).fields;
  };
  return { user: hashed('user'), customer: hashed('customer') };
}

function record(event: EventName, caller: 'browser' | 'server') {
  const valid = validateEvent(event, fullInput(event, caller), caller);
  const { user, customer } = persons();
  const context = {
    timestamp: 1729696661986,
    visitorId: SAMPLES.visitor_id.wire as string,
    sessionId: SAMPLES.session_id.wire as string,
    profile: user,
  };
  return { valid, record: buildRecord(event, { fields: valid.fields, items: valid.items, customer }, context) };
}

/** What a field holds in a record of `event` built from the inputs above. */
function expectedValue(event: EventName, spec: (typeof FIELD_LIST)[number]): unknown {
  if (spec.kind !== 'hash') return SAMPLES[spec.kind].wire;
  // hashed_email: the customer's wins in an order; a page view has only the profile's.
  const role = spec.role === 'either' ? (event === 'order' ? 'customer' : 'user') : spec.role;
  return personHash(`${role}.${spec.pii}`);
}

describe.each(EVENTS)('every field the table gives a %s', (event) => {
  it('passes validation, from the browser and from a server, with no error', () => {
    expect(validateEvent(event, fullInput(event, 'browser'), 'browser').errors).toEqual([]);
    expect(validateEvent(event, fullInput(event, 'server'), 'server').errors).toEqual([]);
  });

  it('is written by GET under its short name, as its kind writes it; item fields as one-slot lists', () => {
    const { record: built } = record(event, 'browser');
    const encoded = encodeGet(event, built, { apiKey: 'k', base: 'https://c.example' });
    if (!encoded.ok) throw encoded.error;
    const expected: Record<string, string> = { api_key: 'k' };
    for (const spec of FIELD_LIST) {
      if (carries(spec, event, 'get')) {
        const value = expectedValue(event, spec);
        expected[shortName(spec.name)] = spec.kind === 'hash' ? (value as string) : SAMPLES[spec.kind].query;
      } else if (event === 'order' && spec.item) {
        expected[shortName(spec.name)] = SAMPLES[spec.kind].query;
      }
    }
    expect(Object.fromEntries(new URL(encoded.request.url).searchParams)).toEqual(expected);
  });

  it('is written by POST under its long name, in the table order; item fields in each item', () => {
    const { record: built } = record(event, 'server');
    const body = postBody(event, built) as unknown as Record<string, unknown>;
    const expectedOrder = FIELD_LIST.filter((spec) => carries(spec, event, 'post')).map((spec) => spec.name);
    expect(Object.keys(body).filter((key) => key !== 'items')).toEqual(expectedOrder);
    for (const spec of FIELD_LIST.filter((s) => carries(s, event, 'post'))) {
      const wire = expectedValue(event, spec);
      expect(body[spec.name], spec.name).toEqual(spec.kind === 'url' ? encodeURIComponent(wire as string) : wire);
    }
    if (event === 'order') {
      const item = (body.items as Array<Record<string, unknown>>)[0]!;
      expect(Object.keys(item)).toEqual(ITEM_FIELDS);
      for (const name of ITEM_FIELDS)
        expect(item[name], name).toEqual(SAMPLES[FIELD_LIST.find((s) => s.name === name)!.kind].wire);
    }
  });

  it('is read back by the local receiver, from GET and from POST, to the same record', () => {
    const browser = record(event, 'browser').record as unknown as Record<string, unknown>;
    const encoded = encodeGet(event, browser as never, { apiKey: 'k', base: 'https://c.example' });
    if (!encoded.ok) throw encoded.error;
    const fromGet = decodeQuery(event, new URL(encoded.request.url).searchParams);
    expect(fromGet.ok ? undefined : fromGet.problems).toBeUndefined();
    const server = record(event, 'server').record;
    const body = postBody(event, server);
    const fromPost = decodeBody(event, JSON.stringify(event === 'order' ? [body] : body));
    expect(fromPost.ok ? undefined : fromPost.problems).toBeUndefined();
    if (!fromGet.ok || !fromPost.ok) return;
    const getRecord = fromGet.value as Record<string, unknown>;
    const postRecord = (event === 'order' ? (fromPost.value as unknown[])[0] : fromPost.value) as Record<
      string,
      unknown
    >;
    for (const spec of FIELD_LIST) {
      const wire = expectedValue(event, spec);
      if (carries(spec, event, 'get')) expect(getRecord[spec.name], `GET ${spec.name}`).toEqual(wire);
      if (carries(spec, event, 'post'))
        expect(postRecord[spec.name], `POST ${spec.name}`).toEqual(
          spec.kind === 'url' ? encodeURIComponent(wire as string) : wire,
        );
    }
  });
});

describe('the hashed fields', () => {
  it('each person field of each role lands in the one field the table maps it to', () => {
    const { user, customer } = persons();
    for (const spec of FIELD_LIST.filter((s) => s.source === 'person')) {
      const fromRole = spec.role === 'user' ? user : customer;
      expect((fromRole as Record<string, string>)[spec.name], spec.name).toBe(expectedValue('order', spec));
    }
  });
});
