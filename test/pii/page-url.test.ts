import { describe, expect, it } from 'vitest';
import { DEFAULT_PII_PARAMS, scrubPageUrl } from '../../src/core/pii/index.js';

describe('scrubPageUrl', () => {
  it.each([
    [
      'no PII: unchanged',
      'https://shop.example/p/170830?gclid=Cj0KCQ_w-BwE&utm_source=news&utm_medium=email#reviews',
      'https://shop.example/p/170830?gclid=Cj0KCQ_w-BwE&utm_source=news&utm_medium=email#reviews',
    ],
    [
      'email query param dropped',
      'https://shop.example/thanks?email=jane%40example.com&oid=9',
      'https://shop.example/thanks?oid=9',
    ],
    [
      'names are case-insensitive and spelling-tolerant',
      'https://s.example/?First_Name=Jane&lastName=Doe&E-Mail=x&PHONE=1&keep=1',
      'https://s.example/?keep=1',
    ],
    [
      'bracketed form keys',
      'https://s.example/?customer%5Bemail%5D=a&customer[phone]=1&q=shoes',
      'https://s.example/?q=shoes',
    ],
    [
      'all params dropped: no "?" left',
      'https://s.example/signup?email=jane%40example.com&tel=5551212',
      'https://s.example/signup',
    ],
    [
      'click ids and utm stay',
      'https://s.example/?fbclid=IwAR0&ttclid=E.C.P&msclkid=abc&utm_campaign=spring&zip=10001',
      'https://s.example/?fbclid=IwAR0&ttclid=E.C.P&msclkid=abc&utm_campaign=spring',
    ],
    ['email in the path', 'https://s.example/users/jane.doe@example.com/orders', 'https://s.example/users//orders'],
    ['percent-encoded email in the path', 'https://s.example/u/jane.doe%40example.com/x', 'https://s.example/u//x'],
    [
      'email in a non-PII param value',
      'https://s.example/?ref=jane%2Bnews%40example.co.uk&x=1',
      'https://s.example/?ref=&x=1',
    ],
    [
      'raw @ email in a value',
      'https://s.example/?q=contact jane@example.com now',
      'https://s.example/?q=contact  now',
    ],
    [
      'double-encoded email',
      'https://s.example/?next=%2Flogin%3Fu%3Djane%2540example.com',
      'https://s.example/?next=%2Flogin%3Fu%3D',
    ],
    ['email in the fragment', 'https://s.example/#contact:jane@example.com', 'https://s.example/#contact:'],
    [
      'hash-router query in the fragment',
      'https://s.example/#/signup?email=jane%40example.com&step=2',
      'https://s.example/#/signup?step=2',
    ],
    ['pairs in the fragment', 'https://s.example/#first_name=Jane&tab=2', 'https://s.example/#tab=2'],
    ['credentials in the authority', 'https://jane:s3cret@s.example/a', 'https://s.example/a'],
    ['unicode address', 'https://s.example/?who=josé@exämple.de', 'https://s.example/?who='],
  ])('%s', (_case, url, expected) => {
    expect(scrubPageUrl(url)).toBe(expected);
  });

  it('extra PII params come from the option, added to the defaults', () => {
    const url = 'https://s.example/?customer_no=77&email=a&sku=1';
    expect(scrubPageUrl(url, { piiParams: ['customer_no'] })).toBe('https://s.example/?sku=1');
    expect(scrubPageUrl(url)).toBe('https://s.example/?customer_no=77&sku=1');
  });

  it('the default list is the documented one and holds no attribution parameter', () => {
    expect(DEFAULT_PII_PARAMS).toEqual(
      expect.arrayContaining(['email', 'phone', 'first_name', 'last_name', 'zip', 'dob']),
    );
    for (const name of DEFAULT_PII_PARAMS) expect(name).not.toMatch(/clid|^utm_/);
  });

  it.each([
    ['not a URL: unchanged', 'just some text', 'just some text'],
    ['not a URL: emails still stripped', 'mailto:jane@example.com?x', 'mailto:?x'],
    ['relative URL: emails stripped', '/u/jane@example.com?email=', '/u/?email='],
    ['empty string', '', ''],
    [
      'malformed escapes',
      'https://s.example/?%E0%A4%A=1&email%ZZ=2&b=%',
      'https://s.example/?%E0%A4%A=1&email%ZZ=2&b=%',
    ],
  ])('garbage does not throw: %s', (_case, url, expected) => {
    expect(scrubPageUrl(url)).toBe(expected);
  });

  it('non-string input does not throw', () => {
    for (const value of [undefined, null, 42, {}, Symbol('x')] as unknown[]) {
      expect(() => scrubPageUrl(value as string)).not.toThrow();
    }
  });
});
