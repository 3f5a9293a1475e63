/**
 * Input of any length costs bounded, linear work before anything is sent:
 * PII values longer than any real one are refused before a rule reads them,
 * the email and page-URL patterns are linear on the inputs that made the
 * earlier ones quadratic (a 64 KB email took 3.7 s, a 64 KB run of local-part
 * characters 11 s), and a page URL longer than any GET is dropped unread.
 */
import { describe, expect, it } from 'vitest';
import { MAX_GET_URL_LENGTH } from '../../src/core/fields.js';
import { normalizeEmail } from '../../src/core/pii/email.js';
import { hashPerson, privatePageUrl, stripEmails } from '../../src/core/pii/index.js';
import { MAX_PII_LENGTH } from '../../src/core/pii/field.js';
import { SymbiosysServerClient } from '../../src/server/index.js';
import type { PostEvent, SymbiosysError } from '../../src/server/index.js';
import { sha256Hex } from '../../src/server/hash.js';
import { VISITOR_ID } from './receiver-bodies.js';

const KB64 = 64 * 1024;
/** Far above what linear work on 64 KB costs (about a millisecond), far below what the quadratic patterns took. */
const MAX_MS = 250;

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

/** 64 KB texts shaped against each pattern: long runs, many dots, many `@`, escapes. */
const HOSTILE_TEXTS: Record<string, string> = {
  'one long run': 'a'.repeat(KB64),
  'a@b.b.b.… x (a domain of dots, then a space)': `a@${'b.'.repeat(KB64 / 2 - 4)} x`,
  'a.a.…@b.b.…1': `${'a.'.repeat(KB64 / 4)}@${'b.'.repeat(KB64 / 4)}1`,
  'a@a@a@…': 'a@'.repeat(KB64 / 2),
  'x%40x%40…': 'x%40'.repeat(KB64 / 4),
  '%3D%3D…@b.co': `${'%3D'.repeat(KB64 / 3)}@b.co`,
  '[[[…': '['.repeat(KB64),
};

describe('PII longer than any real value is refused before any rule reads it', () => {
  it.each(Object.entries(HOSTILE_TEXTS))('every field of a person holding %s', (_name, text) => {
    const person = Object.fromEntries(
      ['email', 'phone', 'phone_e164', 'date_of_birth', 'first_name', 'last_name', 'zip_code', 'city', 'state'].map(
        (field) => [field, text],
      ),
    );
    const { value, ms } = timed(() => hashPerson(person, { role: 'customer', sha256: sha256Hex }));
    expect(ms).toBeLessThan(MAX_MS);
    expect(value.fields).toEqual({});
    expect(value.errors).toHaveLength(9);
    for (const error of value.errors) expect(error.message).toContain(`longer than ${MAX_PII_LENGTH} characters`);
  });

  it('the email rule itself is linear, cap or not', () => {
    for (const text of Object.values(HOSTILE_TEXTS)) expect(timed(() => normalizeEmail(text)).ms).toBeLessThan(MAX_MS);
  });

  it('a server order with 64 KB in every PII field is still sent, at once', async () => {
    const reports: Array<[SymbiosysError, readonly PostEvent[]]> = [];
    const client = new SymbiosysServerClient({
      apiKey: 'k',
      endpoint: 'http://127.0.0.1:9',
      retry: { limit: 0 },
      onError: (error, events) => reports.push([error, events]),
    });
    const text = HOSTILE_TEXTS['a@b.b.b.… x (a domain of dots, then a space)']!;
    const { value, ms } = timed(() =>
      client.track('order', {
        visitor_id: VISITOR_ID,
        session_id: '1729694623545',
        order_id: 'o1',
        items: [{ product_id: 'p1', quantity: 1 }],
        customer: { email: text, first_name: text, phone: text },
        user: { email: text, city: text },
      }),
    );
    expect(ms).toBeLessThan(MAX_MS);
    expect(value.status).toBe('queued');
    expect(value.errors.map((error) => error.field).sort()).toEqual(
      ['customer.email', 'customer.first_name', 'customer.phone', 'user.city', 'user.email'].sort(),
    );
    await client.close({ timeoutMs: 1 });
  });
});

describe('page URLs: linear scrubbing, and nothing over the GET limit is read', () => {
  it.each(Object.entries(HOSTILE_TEXTS))('stripEmails over %s', (_name, text) => {
    expect(timed(() => stripEmails(text)).ms).toBeLessThan(MAX_MS);
  });

  it.each(Object.entries(HOSTILE_TEXTS))('a page URL just under the limit made of %s', (_name, text) => {
    const url = `https://shop.example/?q=${text}`.slice(0, MAX_GET_URL_LENGTH);
    expect(timed(() => privatePageUrl(url)).ms).toBeLessThan(MAX_MS);
  });

  it('a page URL over the GET limit is dropped whole (cut short, it could end in part of an address)', () => {
    const fits = `https://shop.example/?q=${'jane@example.com&'.repeat(400)}`;
    expect(fits.length).toBeLessThanOrEqual(MAX_GET_URL_LENGTH);
    expect(privatePageUrl(fits)).toMatch(/^https:\/\/shop\.example\/\?q=&+$/);
    expect(privatePageUrl(`${fits}${'jane@example.com&'.repeat(100)}`)).toBe('');
  });
});
