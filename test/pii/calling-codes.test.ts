import { describe, expect, it } from 'vitest';
import { callingCodeOf, callingCodes, knownCountries, splitCallingCode } from '../../src/core/pii/index.js';

describe('calling codes', () => {
  it('covers every ISO 3166 alpha-2 country (249) plus AC, TA and XK', () => {
    const countries = knownCountries();
    expect(countries).toHaveLength(252);
    expect(new Set(countries).size).toBe(252);
    for (const country of countries) expect(country).toMatch(/^[A-Z]{2}$/);
  });

  it.each([
    ['US', '1'],
    ['ca', '1'],
    ['PR', '1'],
    ['JM', '1'],
    ['GB', '44'],
    ['JE', '44'],
    ['FR', '33'],
    ['DE', '49'],
    ['RU', '7'],
    ['KZ', '7'],
    ['IT', '39'],
    ['VA', '39'],
    ['CN', '86'],
    ['IN', '91'],
    ['BR', '55'],
    ['ZA', '27'],
    ['EG', '20'],
    ['NG', '234'],
    ['AE', '971'],
    ['FI', '358'],
    ['AX', '358'],
    ['CW', '599'],
    ['XK', '383'],
    ['HK', '852'],
    ['TW', '886'],
    ['NZ', '64'],
    ['UZ', '998'],
  ])('%s -> +%s', (country, code) => {
    expect(callingCodeOf(country)).toBe(code);
  });

  it('knows nothing of non-countries', () => {
    expect(callingCodeOf('ZZ')).toBeUndefined();
    expect(callingCodeOf('USA')).toBeUndefined();
    expect(callingCodeOf('')).toBeUndefined();
  });

  it('calling codes are 1 to 3 digits and prefix-free, so an international number splits one way', () => {
    const codes = [...callingCodes()];
    expect(codes.filter((code) => !/^[1-9]\d{0,2}$/.test(code))).toEqual([]);
    const clashes = codes.flatMap((code) => codes.filter((other) => other !== code && other.startsWith(code)));
    expect(clashes).toEqual([]);
  });

  it.each([
    ['16505551212', '1', '6505551212'],
    ['442071838750', '44', '2071838750'],
    ['35312345678', '353', '12345678'],
    ['79123456789', '7', '9123456789'],
  ])('splits %s into +%s %s', (digits, callingCode, national) => {
    expect(splitCallingCode(digits)).toEqual({ callingCode, national });
  });

  it('finds no code in a number starting with 0 or an unassigned prefix', () => {
    expect(splitCallingCode('0123456789')).toBeUndefined();
    expect(splitCallingCode('999123456')).toBeUndefined();
  });
});
