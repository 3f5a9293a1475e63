import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/core/model.js';
import { EMPTY_HASH, isHashed } from '../../src/core/pii/index.js';
import { hashPerson, sha256Hex } from '../helpers/pii.js';

const customer = (person: Person) => hashPerson(person, { role: 'customer' });
const codes = (errors: { code: string; field: string | undefined }[]) => errors.map((e) => [e.code, e.field]);

describe('pipeline', () => {
  it('NFD input hashes like its NFC form', () => {
    const nfd = customer({ first_name: 'Vale\u0301ry', city: 'Montre\u0301al' }).fields;
    const nfc = customer({ first_name: 'Val\u00e9ry', city: 'Montr\u00e9al' }).fields;
    expect(nfd).toEqual(nfc);
    expect(nfd.hashed_first_name).toBe(sha256Hex('val\u00e9ry'));
  });

  it('a pre-hashed value in upper case is lowercased, not hashed again', () => {
    const hash = sha256Hex('jane@example.com');
    const { fields, errors } = customer({ email: ` ${hash.toUpperCase()} `, city: hash.toUpperCase() });
    expect(errors).toEqual([]);
    expect(fields).toEqual({ hashed_email: hash, hashed_city: hash });
  });

  it.each(['email', 'first_name', 'last_name', 'city', 'state', 'zip_code', 'date_of_birth', 'phone', 'phone_e164'])(
    'the empty string hash in %s is treated as empty: dropped and reported',
    (field) => {
      const { fields, errors } = customer({ [field]: EMPTY_HASH.toUpperCase() });
      expect(fields).toEqual({});
      expect(codes(errors)).toEqual([['invalid_pii', `customer.${field}`]]);
      expect(Object.values(fields)).not.toContain(EMPTY_HASH);
    },
  );

  it.each(['', '   ', '\t\n', '\u00a0\u3000'])(
    'white space only (%j) is dropped and reported in every field',
    (blank) => {
      const person = {
        email: blank,
        phone: blank,
        first_name: blank,
        last_name: blank,
        city: blank,
        state: blank,
        zip_code: blank,
        date_of_birth: blank,
      };
      const { fields, errors } = hashPerson(person, { role: 'user', event: 'order' });
      expect(fields).toEqual({});
      expect(errors.map((e) => e.field).sort()).toEqual([
        'user.city',
        'user.date_of_birth',
        'user.email',
        'user.first_name',
        'user.last_name',
        'user.phone',
        'user.state',
        'user.zip_code',
      ]);
      for (const error of errors) {
        expect(error.code).toBe('invalid_pii');
        expect(error.event).toBe('order');
        expect(error.message).toContain(error.field);
      }
    },
  );

  it('values that normalize to nothing are dropped and reported, the rest kept', () => {
    const { fields, errors } = customer({ first_name: '123 !!', city: '-', email: 'jane@example.com' });
    expect(Object.keys(fields)).toEqual(['hashed_email']);
    expect(codes(errors)).toEqual([
      ['invalid_pii', 'customer.first_name'],
      ['invalid_pii', 'customer.city'],
    ]);
  });

  it('non-string garbage is reported, never thrown', () => {
    const garbage = {
      email: 42,
      first_name: { toString: () => 'Jane' },
      last_name: ['Doe'],
      city: true,
      state: Symbol('x'),
      zip_code: Number.NaN,
      date_of_birth: { year: '1990', month: 1, day: 2 },
      phone: () => 1,
      phone_e164: 12n,
      country: 7,
    } as unknown as Person;
    const { fields, errors } = customer(garbage);
    expect(fields).toEqual({});
    expect(errors.map((e) => e.field).sort()).toEqual(
      [
        'city',
        'country',
        'date_of_birth',
        'email',
        'first_name',
        'last_name',
        'phone',
        'phone_e164',
        'state',
        'zip_code',
      ].map((f) => `customer.${f}`),
    );
  });

  it('a person that is not an object, or whose getters throw, does not throw', () => {
    expect(codes(hashPerson(null as unknown as Person, { role: 'user' }).errors)).toEqual([['invalid_pii', 'user']]);
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    ) as Person;
    const { errors } = customer(hostile);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'invalid_pii')).toBe(true);
  });

  it('null and undefined fields are absent, not errors; crm_id and unknown keys are ignored', () => {
    const person = { email: undefined, phone: null, crm_id: 'jane@example.com', nickname: 'JJ' } as unknown as Person;
    expect(customer(person)).toEqual({ fields: {}, errors: [] });
  });

  it('errors name the field and never hold the value', () => {
    const person = {
      email: 'not-an-address',
      phone: '12ab34',
      zip_code: '---',
      first_name: '999',
      date_of_birth: '02/03/1990',
      country: 'Narnia',
      state: '%%%',
      phone_e164: '6505551212',
    };
    const { errors } = customer(person);
    expect(errors).toHaveLength(8);
    for (const error of errors) {
      for (const value of Object.values(person)) {
        expect(error.message).not.toContain(value);
        expect(JSON.stringify(error)).not.toContain(value);
      }
      expect(error.message.startsWith(error.field!)).toBe(true);
    }
  });
});

describe('email', () => {
  it.each([
    'jane',
    'jane@',
    '@example.com',
    'jane@example',
    'jane doe@example.com',
    'jane@@example.com',
    'a@b@c.com',
    'jane@.com',
  ])('%j is not an address', (email) =>
    expect(codes(customer({ email }).errors)).toEqual([['invalid_pii', 'customer.email']]),
  );
  it('keeps dots and +tags as typed', () => {
    expect(customer({ email: 'J.Doe+Shop@GMAIL.com' }).fields.hashed_email).toBe(sha256Hex('j.doe+shop@gmail.com'));
  });
});

describe('names and city', () => {
  it.each([
    ['Mary-Ann', 'maryann'],
    ["O'Brien", 'obrien'],
    ['  José  María ', 'josémaría'],
    ['Zoë2', 'zoë'],
    ['Ἀθῆναι', 'ἀθῆναι'],
    ['ИВАН', 'иван'],
  ])('%j -> %j', (first_name, normalized) => {
    expect(customer({ first_name }).fields.hashed_first_name).toBe(sha256Hex(normalized));
  });
});

describe('state', () => {
  it.each([
    ['New York', 'ny'],
    ['new york', 'ny'],
    ['NEW-YORK', 'ny'],
    ['N.Y.', 'ny'],
    ['tx', 'tx'],
    ['District of Columbia', 'dc'],
    ['Washington, D.C.', 'dc'],
    ['Puerto Rico', 'pr'],
    ['Guam', 'gu'],
    ['American Samoa', 'as'],
    ['U.S. Virgin Islands', 'vi'],
    ['Northern Mariana Islands', 'mp'],
    ['British Columbia', 'bc'],
    ['Québec', 'qc'],
    ['QUEBEC', 'qc'],
    ['Newfoundland and Labrador', 'nl'],
    ['Prince Edward Island', 'pe'],
    ['Northwest Territories', 'nt'],
    ['Nunavut', 'nu'],
    ['Yukon', 'yt'],
    ['Bavaria', 'bavaria'],
    ['Île-de-France', 'îledefrance'],
    ['Nordrhein-Westfalen', 'nordrheinwestfalen'],
  ])('%j -> %j (never truncated)', (state, normalized) => {
    expect(customer({ state }).fields.hashed_state).toBe(sha256Hex(normalized));
  });
});

describe('zip_code', () => {
  it.each([
    ['98121', '98121'],
    ['98121-4892', '98121'],
    ['981214892', '98121'],
    [' 98121 4892 ', '98121'],
    ['K1A 0B6', 'k1a0b6'],
    ['SW1A-1AA', 'sw1a1aa'],
    ['1234', '1234'],
    ['9812148', '9812148'],
  ])('%j -> %j', (zip_code, normalized) => {
    expect(customer({ zip_code }).fields.hashed_zip_code).toBe(sha256Hex(normalized));
  });
  it('a number is taken as its digits', () => {
    expect(customer({ zip_code: 98121 as unknown as string }).fields.hashed_zip_code).toBe(sha256Hex('98121'));
  });
});

describe('phone', () => {
  const both = (digits: string) => ({ hashed_phone: sha256Hex(digits), hashed_phone_e164: sha256Hex(`+${digits}`) });

  it.each([
    ['+44 (0)20 7183 8750', undefined, '442071838750'],
    ['0044 (0)20 7183 8750', undefined, '442071838750'],
    ['0049 30 1234567', undefined, '49301234567'],
    ['+49 (0) 30 1234567', undefined, '49301234567'],
    ['030 1234567', 'DE', '49301234567'],
    ['06 12 34 56 78', 'FR', '33612345678'],
    ['1 (650) 555-1212', 'US', '16505551212'],
    ['650.555.1212', 'CA', '16505551212'],
    ['+39 06 1234 5678', 'US', '390612345678'],
    ['+7 912 345-67-89', undefined, '79123456789'],
    ['+1 650 555 1212 3456', undefined, '165055512123456'],
    ['+49 301 2345', undefined, '493012345'],
    ['+352 12345', undefined, '35212345'],
  ])('%j (country %s) -> %s', (phone, country, digits) => {
    const { fields, errors } = customer(country ? { phone, country } : { phone });
    expect(errors).toEqual([]);
    expect(fields).toEqual(both(digits));
  });

  it("national format uses the person's country over the default country", () => {
    const phone = '020 7183 8750';
    expect(hashPerson({ phone, country: 'gb' }, { role: 'customer', defaultCountry: 'US' }).fields).toEqual(
      both('442071838750'),
    );
    expect(hashPerson({ phone }, { role: 'customer', defaultCountry: 'GB' }).fields).toEqual(both('442071838750'));
    expect(hashPerson({ phone: '(650) 555-1212' }, { role: 'customer', defaultCountry: 'us' }).fields).toEqual(
      both('16505551212'),
    );
  });

  it('national format with no country: digits without leading zeros, E.164 omitted and reported', () => {
    const { fields, errors } = customer({ phone: '020 7183 8750' });
    expect(fields).toEqual({ hashed_phone: sha256Hex('2071838750') });
    expect(codes(errors)).toEqual([['invalid_pii', 'customer.phone_e164']]);
  });

  it('an unknown country is reported and the default country used', () => {
    const { fields, errors } = hashPerson(
      { phone: '020 7183 8750', country: 'XX' },
      { role: 'customer', defaultCountry: 'GB' },
    );
    expect(fields).toEqual(both('442071838750'));
    expect(codes(errors)).toEqual([['invalid_pii', 'customer.country']]);
  });

  it.each([
    ['+1 650 555 1212 34567', '16 digits with code 1'],
    ['+44 1234567890123456', '16 digits'],
    ['0044 12345 678 901 234', '16 digits after 00'],
    ['+44 123 45', 'fewer than 8 digits'],
    ['+999 123 456 789', 'no such calling code'],
    ['+0 123 456 789', 'no calling code starts with 0'],
    ['650-555-1212 ext 12', 'letters'],
    ['---', 'no digits'],
  ])('%j is invalid (%s): both phone fields dropped', (phone) => {
    const { fields, errors } = customer({ phone, country: 'US' });
    expect(fields).toEqual({});
    expect(codes(errors)).toEqual([['invalid_pii', 'customer.phone']]);
  });

  it('a national number with no country needs 7 to 15 digits', () => {
    expect(customer({ phone: '1234567890123456' }).fields).toEqual({});
    expect(customer({ phone: '555 12' }).fields).toEqual({});
    expect(customer({ phone: '555 1212' }).fields).toEqual({ hashed_phone: sha256Hex('5551212') });
  });

  it('a pre-hashed phone fills only hashed_phone; phone_e164 fills the E.164 field', () => {
    const hash = sha256Hex('16505551212');
    expect(customer({ phone: hash })).toEqual({ fields: { hashed_phone: hash }, errors: [] });
    const raw = customer({ phone: hash, phone_e164: '+1 650 555 1212' });
    expect(raw).toEqual({ fields: both('16505551212'), errors: [] });
    const e164Hash = sha256Hex('+16505551212').toUpperCase();
    expect(customer({ phone: hash, phone_e164: e164Hash }).fields).toEqual(both('16505551212'));
  });

  it('an explicit phone_e164 wins over the derived one; an invalid one is reported and the derived one kept', () => {
    const wins = customer({ phone: '+1 650 555 1212', phone_e164: '+44 844 412 4653' }).fields;
    expect(wins).toEqual({ hashed_phone: sha256Hex('16505551212'), hashed_phone_e164: sha256Hex('+448444124653') });
    const fallback = customer({ phone: '+1 650 555 1212', phone_e164: '650 555 1212' });
    expect(fallback.fields).toEqual(both('16505551212'));
    expect(codes(fallback.errors)).toEqual([['invalid_pii', 'customer.phone_e164']]);
  });

  it('phone_e164 alone must carry its calling code', () => {
    expect(customer({ phone_e164: '+442071838750' }).fields).toEqual({ hashed_phone_e164: sha256Hex('+442071838750') });
    expect(codes(customer({ phone_e164: '2071838750', country: 'GB' }).errors)).toEqual([
      ['invalid_pii', 'customer.phone_e164'],
    ]);
  });
});

describe('output', () => {
  it('every value is 64 lowercase hex and role picks the field names', () => {
    const person: Person = {
      email: 'Jane@Example.com',
      phone: '+1 650 555 1212',
      date_of_birth: '1990-01-31',
      first_name: 'Jane',
      last_name: 'Doe',
      zip_code: '10001',
      city: 'New York',
      state: 'NY',
      country: 'US',
    };
    const user = hashPerson(person, { role: 'user' });
    const customerFields = hashPerson(person, { role: 'customer' }).fields;
    expect(user.errors).toEqual([]);
    expect(Object.keys(user.fields).sort()).toEqual([
      'hashed_city_user',
      'hashed_date_of_birth_user',
      'hashed_email',
      'hashed_first_name_user',
      'hashed_last_name_user',
      'hashed_phone_e164_user',
      'hashed_phone_user',
      'hashed_state_user',
      'hashed_zip_code_user',
    ]);
    expect(Object.keys(customerFields).sort()).toEqual([
      'hashed_city',
      'hashed_date_of_birth',
      'hashed_email',
      'hashed_first_name',
      'hashed_last_name',
      'hashed_phone',
      'hashed_phone_e164',
      'hashed_state',
      'hashed_zip_code',
    ]);
    for (const value of [...Object.values(user.fields), ...Object.values(customerFields)]) {
      expect(value).toMatch(/^[0-9a-f]{64}$/);
      expect(isHashed(value)).toBe(true);
    }
  });
});
