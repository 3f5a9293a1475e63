import { afterEach, describe, expect, it } from 'vitest';
import { normalizeDateOfBirth } from '../../src/core/pii/date-of-birth.js';
import { hashPerson, sha256Hex } from '../helpers/pii.js';
import type { DateOfBirth } from '../../src/core/model.js';

const NOW = new Date(2025, 5, 15);
const dob = (date_of_birth: DateOfBirth, now = NOW) =>
  hashPerson({ date_of_birth }, { role: 'customer', now, event: 'order' });

describe('date_of_birth', () => {
  it.each<[DateOfBirth, string]>([
    ['1990-01-31', '19900131'],
    ['19900131', '19900131'],
    [' 1990-01-31 ', '19900131'],
    [{ year: 1990, month: 1, day: 31 }, '19900131'],
    [new Date(1990, 0, 31), '19900131'],
    [new Date(1990, 0, 31, 23, 59, 59, 999), '19900131'],
    ['2000-02-29', '20000229'],
    ['1900-01-01', '19000101'],
    ['2025-12-31', '20251231'],
  ])('%j -> %s', (value, normalized) => {
    expect(normalizeDateOfBirth(value, NOW)).toEqual({ ok: true, value: normalized });
    expect(dob(value)).toEqual({ fields: { hashed_date_of_birth: sha256Hex(normalized) }, errors: [] });
  });

  it.each<[DateOfBirth, string]>([
    ['1990-02-30', '30 February'],
    ['19900230', '30 February, compact'],
    [{ year: 1990, month: 2, day: 30 }, '30 February, parts'],
    ['1900-02-29', '1900 was no leap year'],
    ['1990-13-01', 'month 13'],
    ['1990-00-10', 'month 0'],
    ['1899-12-31', 'year 1899'],
    [new Date(1899, 11, 31), 'year 1899, Date'],
    ['2026-01-01', 'a future year'],
    [{ year: 2026, month: 1, day: 1 }, 'a future year, parts'],
    ['02/03/1990', 'slash format is ambiguous'],
    ['1990/02/03', 'slash format'],
    ['1990-2-3', 'unpadded'],
    ['1990-01-31T00:00:00Z', 'an instant, not a date'],
    [new Date(Number.NaN), 'invalid Date'],
    [{ year: 1990.5, month: 1, day: 1 }, 'fractional year'],
    ['   ', 'blank'],
  ])('%j is rejected (%s), reported without its value', (value) => {
    const { fields, errors } = dob(value);
    expect(fields).toEqual({});
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'invalid_pii', field: 'customer.date_of_birth', event: 'order' });
    if (typeof value === 'string' && value.trim()) expect(errors[0]!.message).not.toContain(value.trim());
  });

  it('"this year" follows the now option', () => {
    expect(dob('2026-01-01', new Date(2026, 0, 2)).errors).toEqual([]);
  });

  it('a pre-hashed date of birth passes through, lowercased', () => {
    const hash = sha256Hex('19900131');
    expect(dob(hash.toUpperCase()).fields).toEqual({ hashed_date_of_birth: hash });
  });
});

describe('date_of_birth across time zones', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  // Node re-reads TZ when it is assigned; the offset check proves the zone really changed.
  // (2000, not 1990: Kiritimati was UTC-10 until it crossed the date line in 1995.)
  it.each([
    ['Pacific/Kiritimati', -14 * 60],
    ['Pacific/Pago_Pago', 11 * 60],
    ['Asia/Kolkata', -330],
  ])('in %s a local-midnight Date and a YYYY-MM-DD string keep their calendar date', (zone, offset) => {
    process.env.TZ = zone;
    expect(new Date(2000, 0, 31).getTimezoneOffset()).toBe(offset);

    const expected = { ok: true, value: '20000131' };
    expect(normalizeDateOfBirth(new Date(2000, 0, 31), NOW)).toEqual(expected);
    expect(normalizeDateOfBirth(new Date(2000, 0, 31, 23, 59), NOW)).toEqual(expected);
    expect(normalizeDateOfBirth('2000-01-31', NOW)).toEqual(expected);
    expect(normalizeDateOfBirth({ year: 2000, month: 1, day: 31 }, NOW)).toEqual(expected);
    // The same instant read in UTC would be another day: the local date is what was meant.
    expect(new Date(2000, 0, 31).getUTCDate()).not.toBe(new Date(2000, 0, 31, 23, 59).getUTCDate());
  });
});
