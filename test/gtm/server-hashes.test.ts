/**
 * The server template hashes a person as the SDK does: the published vectors
 * of docs/normalization.md, and generated values aimed at what the sandbox
 * rebuilds by hand (NFC without `normalize`, Unicode letters without `\p{…}`,
 * white space, dashes, phones), give the same hashed fields as
 * src/core/pii's hashPerson.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/core/model.js';
import { hashPerson } from '../helpers/pii.js';
import { capturingFetch, runServerTag } from './runner/server-tag.js';

/** The template's hashed fields for one person, sent as GA4's user_data of a purchase. */
async function templateHashes(person: Person): Promise<Record<string, unknown>> {
  const network = capturingFetch();
  const user_data = {
    email_address: person.email,
    phone_number: person.phone,
    address: {
      first_name: person.first_name,
      last_name: person.last_name,
      city: person.city,
      region: person.state,
      postal_code: person.zip_code,
      country: person.country,
    },
  };
  await runServerTag({
    data: { apiKey: 'k', endpoint: 'https://collect.example' },
    eventData: { event_name: 'purchase', transaction_id: 'T', items: [], user_data },
    fetch: network.fetch,
  });
  const [order] = network.requests[0]?.body as Array<Record<string, unknown>>;
  return Object.fromEntries(Object.entries(order ?? {}).filter(([key]) => key.startsWith('hashed_')));
}

const sdkHashes = (person: Person) => hashPerson(person, { role: 'customer' }).fields;

/** docs/normalization.md's vector tables: field, input, normalized, hash (and the phone table's). */
function publishedVectors(): Array<{ person: Person; field: string; hash: string }> {
  const text = readFileSync(new URL('../../docs/normalization.md', import.meta.url), 'utf8');
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/^`|`$/g, ''));
  const out: Array<{ person: Person; field: string; hash: string }> = [];
  for (const line of text.split('\n').filter((row) => row.startsWith('| `'))) {
    const row = cells(line);
    if (row.length === 4 && row[0] !== 'date_of_birth') {
      const field = row[0] as keyof Person;
      out.push({ person: { [field]: row[1] }, field: `hashed_${field}`, hash: row[3] as string });
    } else if (row.length === 6) {
      const country = row[1] === '—' ? undefined : row[1];
      const person: Person = { phone: row[0] as string, ...(country ? { country } : {}) };
      out.push({ person, field: 'hashed_phone', hash: row[3] as string });
      if (row[5]?.startsWith('(')) continue;
      out.push({ person, field: 'hashed_phone_e164', hash: row[5] as string });
    }
  }
  return out;
}

describe('the server template hashes as the SDK does', () => {
  const vectors = publishedVectors();

  it('reads every published vector', () => {
    expect(vectors.length).toBe(17 + 11);
  });

  it.each(vectors.map((vector) => [vector.field, JSON.stringify(vector.person), vector]))(
    '%s of %s',
    async (field, _, vector) => {
      expect((await templateHashes(vector.person))[field]).toBe(vector.hash);
    },
  );

  // Each of these differs from its NFC form, or is a letter, mark, digit, space or dash the ASCII shortcut does not see.
  const pool = [
    ...'aAzZ09 -._@+()/#'.split(''),
    'e\u0301',
    'A\u030a',
    '\u212b',
    '\u2126',
    'o\u0308\u0304',
    'e\u0323\u0302',
    'e\u0302\u0323',
    'a\u0300\u0302',
    '\u1100\u1161',
    '\u1100\u1161\u11a8',
    '\uac00\u11a8',
    '\uf900',
    '\u0958',
    '\u0344',
    '\u0f73',
    '\u1e9b\u0323',
    '\u00a0',
    '\u2003',
    '\u3000',
    '\ufeff',
    '\u2028',
    '\u2013',
    '\u2212',
    '\u30a0',
    '\uff10',
    '\u0663',
    '\u00bd',
    '\u0130',
    '\u00df',
    '\u03a3',
    '\ud83d\ude00',
    '\ud835\udc00',
    '\ud800',
    'Qu\u00e9bec',
    'Que\u0301bec',
    'ny',
    '\u00e9',
    '\u0915\u093c',
    '\u05d0',
    '\u0627',
    '\u4e2d',
    '\u0e01\u0e34',
  ];
  const text = fc.array(fc.constantFrom(...pool), { maxLength: 12 }).map((parts) => parts.join(''));
  const person = fc.record(
    {
      email: fc.tuple(text, text, text).map(([a, b, c]) => `${a}@${b}.${c}`),
      phone: fc
        .array(fc.constantFrom(...'+0123456789 -.()/'.split(''), '\u00a0', '\u0663', '(0)'), { maxLength: 20 })
        .map((p) => p.join('')),
      first_name: text,
      last_name: text,
      city: text,
      state: fc.oneof(
        text,
        fc.constantFrom(
          'New York',
          'QUÉBEC',
          'Que\u0301bec',
          'washington, d.c.',
          'Yukon Territory',
          'Constructor',
          'toString',
        ),
      ),
      zip_code: text,
      country: fc.constantFrom('US', 'GB', 'fr', ' de ', 'XX', '\u00df'),
    },
    { requiredKeys: [] },
  );

  it('on generated people', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(person, async (given) => {
        expect(await templateHashes(given)).toEqual(sdkHashes(given));
      }),
      { numRuns: 150 },
    );
  });
});

describe("the template's NFC", () => {
  // Every character NFD changes (Hangul: one syllable in 50), written decomposed, and every one NFC changes, in names of ten.
  const changed: string[] = [];
  for (let code = 0xa0; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    if (code >= 0xac00 && code <= 0xd7a3 && code % 50 !== 0) continue;
    const c = String.fromCodePoint(code);
    if (c.normalize('NFD') !== c) changed.push(c.normalize('NFD'));
    // Singletons and exclusions, as written: the template's quick check must not pass them as NFC.
    if (c.normalize('NFC') !== c) changed.push(c);
  }
  const names: string[] = [];
  for (let i = 0; i < changed.length; i += 10) names.push(changed.slice(i, i + 10).join(''));

  it('has every decomposable character to try', () => {
    expect(changed.length).toBeGreaterThan(2000);
  });

  it('composes each as String.prototype.normalize does', { timeout: 120_000 }, async () => {
    for (let i = 0; i < names.length; i += 3) {
      const person: Person = { first_name: names[i] ?? 'x', last_name: names[i + 1] ?? 'x', city: names[i + 2] ?? 'x' };
      expect(await templateHashes(person), JSON.stringify(person)).toEqual(sdkHashes(person));
    }
  });
});
