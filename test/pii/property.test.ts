import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/core/model.js';
import { hashPerson } from '../helpers/pii.js';

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ maxLength: 30 }),
);
const phone = fc.oneof(
  text,
  fc
    .tuple(
      fc.constantFrom('', '+', '00', '0', '(0)'),
      fc.array(fc.constantFrom('0', '1', '4', '7', '9', ' ', '-', '(', ')', '.'), { maxLength: 22 }),
    )
    .map(([prefix, chars]) => prefix + chars.join('')),
  fc.stringMatching(/^\+?[1-9]\d{6,16}$/),
);
const person = fc.record(
  {
    email: fc.oneof(fc.emailAddress(), text),
    phone,
    phone_e164: phone,
    first_name: text,
    last_name: text,
    city: text,
    state: text,
    zip_code: fc.oneof(text, fc.stringMatching(/^\d{5}(-\d{4})?$/)),
    date_of_birth: fc.oneof(
      text,
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    ),
    country: fc.oneof(fc.constantFrom('US', 'GB', 'de', 'ZZ'), text),
  },
  { requiredKeys: [] },
);
const role = fc.constantFrom('user' as const, 'customer' as const);

const HEX = /^[0-9a-f]{64}$/;

// Messages are fixed English templates, so a plain word such as "tte" may sit in one ("written")
// by chance; the containment check takes the probes that no template can hold: those with a
// character other than an ASCII letter, space or hyphen (every email, phone and non-ASCII name).
// The plain-word probes are covered by the bound on distinct messages below: a message that
// carried a value would be unique to its run.
const TEMPLATE_TEXT = /^[A-Za-z -]*$/;

describe('hashPerson, for any person', () => {
  it('outputs only 64 lowercase hex and never leaks a raw value into output or errors', () => {
    const distinctMessages = new Set<string>();
    let hashes = 0;
    fc.assert(
      fc.property(person, role, (input: Person, who) => {
        const { fields, errors } = hashPerson(input, { role: who, defaultCountry: 'FR' });
        const outputs = Object.values<string>(fields);
        // Plain checks, not expect(): 5000 runs of a dozen expect() calls each take seconds.
        const fail = (why: string) => {
          throw new Error(why);
        };
        hashes += outputs.length;
        for (const value of outputs) if (!HEX.test(value)) fail(`not 64 lowercase hex: ${value}`);

        // A field name is structure, not a value: `t_n` sits in `user.first_name` by chance.
        const messages = errors.map((e) => (e.field ? e.message.split(e.field).join(' ') : e.message));
        for (const error of errors) {
          if (error.code !== 'invalid_pii') fail(`unexpected code ${error.code}`);
          if (error.field && !/^(user|customer)(\.[a-z0-9_]+)?$/.test(error.field))
            fail(`field is not a field name: ${error.field}`);
          distinctMessages.add(error.message);
        }
        for (const raw of Object.values(input) as string[]) {
          const probe = raw.trim();
          if (probe.length < 3) continue;
          if (!TEMPLATE_TEXT.test(probe) && messages.some((m) => m.includes(probe))) fail(`an error holds ${probe}`);
          // Hashes are hex, so only a hex-free probe can be tested by containment; any probe by equality.
          const hexFree = /[^0-9a-f]/.test(probe);
          if (outputs.some((v) => (hexFree ? v.includes(probe) : v === probe))) fail(`an output holds ${probe}`);
        }
      }),
      { numRuns: 5000 },
    );
    // The generators also make valid values: the check saw real hashes, not only drops.
    expect(hashes).toBeGreaterThan(5000);
    // 2 roles x 10 fields x a handful of reasons each; thousands of runs with invalid input.
    expect(distinctMessages.size).toBeGreaterThan(10);
    expect(distinctMessages.size).toBeLessThan(120);
  });
});
