import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/core/model.js';
import { normalizeDateOfBirth } from '../../src/core/pii/date-of-birth.js';
import { normalizeEmail } from '../../src/core/pii/email.js';
import { prepareText, type Normalized } from '../../src/core/pii/field.js';
import { normalizeName } from '../../src/core/pii/name.js';
import { parsePhone } from '../../src/core/pii/phone.js';
import { normalizeState } from '../../src/core/pii/state.js';
import { normalizeZipCode } from '../../src/core/pii/zip-code.js';
import { hashPerson, sha256Hex } from '../helpers/pii.js';

// docs/normalization.md, "Test vectors", first table: field, input, normalized, SHA-256.
const FIELD_VECTORS = [
  [
    'email',
    'John_Smith@gmail.com',
    'john_smith@gmail.com',
    '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
  ],
  [
    'email',
    '  Person@Example.com ',
    'person@example.com',
    '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345',
  ],
  [
    'email',
    'JANE.SAOIRSE@gmail.com',
    'jane.saoirse@gmail.com',
    '58bad64ae1c94e2bfdcf592ca545bea6201cbe1a87f8bef0cb88388f88009649',
  ],
  [
    'email',
    'JaneSaoirse+Work@example.com',
    'janesaoirse+work@example.com',
    '28aaee4815230cd3b4ebd88c515226550666e91ac019929e3adac3f66c288180',
  ],
  ['first_name', 'Mary', 'mary', '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'],
  ['first_name', 'Valéry', 'valéry', '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c'],
  ['first_name', 'Raphaël', 'raphaël', 'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7'],
  ['last_name', '정', '정', '8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14'],
  ['last_name', '  Smith-Jones ', 'smithjones', '6a77f47e3dec33252edbebb457d65e90501b643806c50cf8d6c3e2bd9cb74681'],
  ['city', 'Menlo Park', 'menlopark', '0007a3d64c01e23d5075203c5977c14e4f7e01a3fc570686fcc50b5e1dd42685'],
  ['city', 'Washington D.C', 'washingtondc', '911fa18df8b2a4ff2652c32a0efa25516115d6fb0170849a41f38113e5371fe0'],
  ['city', 'Seattle-98121', 'seattle', '3151a8f227c0e11fd9a7fd1aa24ebfee734503dea095c22c3b2fae09d62eeb25'],
  ['state', 'California', 'ca', '6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126'],
  ['state', ' NY ', 'ny', '1b06e2003f8420d6fa42badd8f77ec0f706b976b7a48b13c567dc5a559681683'],
  ['state', 'Ontario', 'on', 'b8d31e852725afb1e26d53bab6095b2bff1749c9275be13ed1c05a56ed31ec09'],
  ['zip_code', '98121-4892', '98121', 'a77c0363c8e376696caa1c871266c54476d5ac554bfd6eeb4f42f6a8d607e8fe'],
  ['zip_code', 'NR9 5AL', 'nr95al', '1d62287dd0994fc3728f000dea1ee560d7a81120de2a911871adbad59d64701d'],
  ['date_of_birth', '1997-02-16', '19970216', '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c'],
  ['date_of_birth', '19970216', '19970216', '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c'],
] as const;

const RULES: Record<(typeof FIELD_VECTORS)[number][0], (text: string) => Normalized> = {
  email: normalizeEmail,
  first_name: normalizeName,
  last_name: normalizeName,
  city: normalizeName,
  state: normalizeState,
  zip_code: normalizeZipCode,
  date_of_birth: (text) => normalizeDateOfBirth(text),
};

describe('docs/normalization.md field vectors', () => {
  it.each(FIELD_VECTORS)('%s %j normalizes to %j', (field, input, normalized, hash) => {
    expect(RULES[field](prepareText(input)!)).toEqual({ ok: true, value: normalized });
    expect(sha256Hex(normalized)).toBe(hash);
  });

  it.each(FIELD_VECTORS)('hashPerson: customer %s %j hashes to the vector', (field, input, _normalized, hash) => {
    const { fields, errors } = hashPerson({ [field]: input }, { role: 'customer' });
    expect(errors).toEqual([]);
    expect(fields).toEqual({ [`hashed_${field}`]: hash });
  });

  it.each(FIELD_VECTORS)(
    'hashPerson: user %s %j fills the _user field (email: hashed_email)',
    (field, input, _n, hash) => {
      const { fields } = hashPerson({ [field]: input }, { role: 'user' });
      expect(fields).toEqual({ [field === 'email' ? 'hashed_email' : `hashed_${field}_user`]: hash });
    },
  );
});

// Second table: phone input, country, hashed_phone input and hash, E.164 and hash (undefined: omitted, reported).
const PHONE_VECTORS = [
  [
    '(650)555-1212',
    'US',
    '16505551212',
    'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    '+16505551212',
    '1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8',
  ],
  [
    '+1 650 555 1212',
    undefined,
    '16505551212',
    'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    '+16505551212',
    '1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8',
  ],
  [
    '+44 844 412 4653',
    undefined,
    '448444124653',
    'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383',
    '+448444124653',
    '11f9231a47ccfd680a60606f73702bc2c0fb065a7f55c482269e51d9f9e868ae',
  ],
  [
    '0044 844 412 4653',
    undefined,
    '448444124653',
    'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383',
    '+448444124653',
    '11f9231a47ccfd680a60606f73702bc2c0fb065a7f55c482269e51d9f9e868ae',
  ],
  [
    '020 7183 8750',
    'GB',
    '442071838750',
    '8d5f937f3a5590634cbe975951a6aa1543170671ce6e73cce4062f4e8c288417',
    '+442071838750',
    'e631c2534428c6c9b48c2167604a8983046085e43a2c00ed748733c544c0bb4d',
  ],
  [
    '650-555-1212',
    undefined,
    '6505551212',
    '5eed6d50c9a69704a9a72b4af7d14d04d33e4460039e101b525f5d4f8a106a38',
    undefined,
    undefined,
  ],
] as const;

describe('docs/normalization.md phone vectors', () => {
  it.each(PHONE_VECTORS)('%s (country %s)', (phone, country, digits, hash, e164, e164Hash) => {
    expect(sha256Hex(digits)).toBe(hash);
    if (e164 !== undefined) expect(sha256Hex(e164)).toBe(e164Hash);

    const person: Person = country === undefined ? { phone } : { phone, country };
    const { fields, errors } = hashPerson(person, { role: 'customer' });
    expect(fields.hashed_phone).toBe(hash);
    expect(fields.hashed_phone_e164).toBe(e164Hash);
    if (e164Hash === undefined) {
      expect(errors.map((e) => [e.code, e.field])).toEqual([['invalid_pii', 'customer.phone_e164']]);
    } else {
      expect(errors).toEqual([]);
    }

    const user = hashPerson(person, { role: 'user' }).fields;
    expect(user.hashed_phone_user).toBe(hash);
    expect(user.hashed_phone_e164_user).toBe(e164Hash);
  });

  it.each(PHONE_VECTORS)('parsePhone %s gives the digits', (phone, country, digits) => {
    const parsed = parsePhone(phone, country === 'US' ? '1' : country === 'GB' ? '44' : undefined);
    expect(parsed).toMatchObject({ ok: true, digits });
  });
});
