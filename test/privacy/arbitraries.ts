/**
 * fast-check generators for the privacy property tests: people as shops
 * receive them (realistic and hostile), order items, and page URLs that
 * sometimes carry the person's email, phone, name, ZIP or birth date in the
 * path, the query or the fragment.
 */
import fc from 'fast-check';

/** Random text: printable ASCII, any Unicode grapheme, and lone surrogates. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
);

const pad = fc.constantFrom('', ' ', '  ', '\t', '\u00a0');
const padded = (text: fc.Arbitrary<string>) => fc.tuple(pad, text, pad).map(([a, t, b]) => a + t + b);
const anyCase = (text: fc.Arbitrary<string>) =>
  fc
    .tuple(text, fc.constantFrom('as-is', 'upper', 'lower', 'title'))
    .map(([t, how]) =>
      how === 'upper'
        ? t.toUpperCase()
        : how === 'lower'
          ? t.toLowerCase()
          : how === 'title'
            ? t.charAt(0).toUpperCase() + t.slice(1)
            : t,
    );

const FIRST = [
  'Mary',
  'Valéry',
  'Raphaël',
  'Jean-Luc',
  "O'Neil",
  'María José',
  'Zoë',
  'Björk',
  'Søren',
  'Ólafur',
  'Мария',
  'محمد',
  '太郎',
  'Nguyễn',
  'Jane',
  'Pat',
  'Xochitl',
  'Siobhán',
];
const LAST = [
  'Smith-Jones',
  '정',
  'Doe',
  'Ångström',
  'Müller',
  'Łukasiewicz',
  'van der Berg',
  "D'Arcy",
  'Иванов',
  'Nakamura',
  'Saoirse',
  'Okonkwo',
];
const CITIES = [
  'Menlo Park',
  'Washington D.C',
  'Seattle-98121',
  'São Paulo',
  'Zürich',
  'New York',
  'Kraków',
  '東京',
  'Saint-Étienne',
  'Reykjavík',
  'Québec City',
];
const STATES = [
  'California',
  ' NY ',
  'ny',
  'Ontario',
  'Québec',
  'british columbia',
  'District of Columbia',
  'Puerto Rico',
  'Bavaria',
  'Île-de-France',
  'N.Y.',
  'Texas',
];
const ZIPS = ['98121-4892', '98121', '10001', 'NR9 5AL', 'SW1A 1AA', 'K1A 0B1', '75008', '981214892', '100-0001'];
const DOMAINS = ['example.com', 'gmail.com', 'shop.example.co.uk', 'mail.example.org', 'exämple.de'];
const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'CA', 'JP', 'in', 'br', 'ZZ', ''];

const word = fc.stringMatching(/^[a-z][a-z0-9]{2,9}$/);

/** Addresses as people type them: case, dots, `+tags`, white space around. */
export const realisticEmail = fc
  .tuple(
    word,
    fc.constantFrom('', '.', '_', '-'),
    fc.option(word, { nil: undefined }),
    fc.option(word, { nil: undefined }),
    fc.constantFrom(...DOMAINS),
  )
  .map(([a, sep, b, tag, domain]) => `${a}${b ? sep + b : ''}${tag ? `+${tag}` : ''}@${domain}`);
export const email = fc.oneof(
  { weight: 4, arbitrary: padded(anyCase(realisticEmail)) },
  { weight: 2, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: anyText },
);

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
/** Phones in many formats: national, `+`, `00`, `(0)` trunk, separators, too short or too long, or junk. */
export const phone = fc.oneof(
  fc
    .tuple(digits(3, 3), digits(3, 3), digits(4, 4))
    .chain(([a, b, c]) =>
      fc.constantFrom(
        `(${a})${b}-${c}`,
        `(${a}) ${b}-${c}`,
        `${a}-${b}-${c}`,
        `${a}.${b}.${c}`,
        `+1 ${a} ${b} ${c}`,
        `1${a}${b}${c}`,
        `${a}${b}${c}`,
        `001 ${a} ${b} ${c}`,
      ),
    ),
  fc
    .tuple(
      fc.constantFrom('+44', '0044', '+33', '+49', '+81', '+353', '+91'),
      fc.constantFrom(' ', ' (0)', '-', ''),
      digits(6, 11),
    )
    .map(([cc, trunk, rest]) => `${cc}${trunk}${rest.replace(/(\d{3})(?=\d)/g, '$1 ')}`),
  fc.tuple(fc.constantFrom('0', '00', ''), digits(4, 16)).map(([zeros, rest]) => zeros + rest),
  anyText,
);
const name = (list: readonly string[]) =>
  fc.oneof({ weight: 3, arbitrary: padded(anyCase(fc.constantFrom(...list))) }, { weight: 1, arbitrary: anyText });

const isoDate = fc
  .date({ min: new Date('1890-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
export const dateOfBirth = fc.oneof(
  isoDate,
  isoDate.map((d) => d.replace(/-/g, '')),
  isoDate.map((d) => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}`),
  fc.date({ noInvalidDate: true }),
  fc.record({
    year: fc.integer({ min: 1890, max: 2030 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
  }),
  anyText,
);

/** A person's raw PII; any key may be absent. */
export const person = fc.record(
  {
    email,
    phone,
    phone_e164: fc.oneof(phone, fc.constant('+16505551212')),
    first_name: name(FIRST),
    last_name: name(LAST),
    city: name(CITIES),
    state: name(STATES),
    zip_code: fc.oneof(padded(fc.constantFrom(...ZIPS)), digits(5, 5), anyText),
    date_of_birth: dateOfBirth,
    country: fc.constantFrom(...COUNTRIES),
  },
  { requiredKeys: [] },
);
export type GeneratedPerson = typeof person extends fc.Arbitrary<infer T> ? T : never;

/** The client's `defaultCountry` option: unset, or a country in either case. */
export const defaultCountry = fc.constantFrom(undefined, 'US', 'GB', 'de');

/** A signed-in profile: a person, sometimes with a CRM id. */
export const profile = fc
  .tuple(person, fc.option(fc.oneof(fc.integer({ min: 1, max: 99_999_999 }), word), { nil: undefined }))
  .map(([p, crm]) => (crm === undefined ? p : { ...p, crm_id: crm }));

/** Non-PII item fields: the test's own text, excluded from the search. */
export const item = fc.record(
  {
    product_id: fc.oneof(
      digits(3, 7),
      word.map((w) => `sku-${w}`),
    ),
    item_group_id: digits(3, 7),
    category_id: digits(2, 5),
    seller_id: digits(3, 8),
    brand: fc.constantFrom('nike', 'puma', 'acme', 'Zebra & Co'),
    quantity: fc.integer({ min: 1, max: 9 }),
    regular_unit_price: fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100),
    discount_unit_price: fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100),
  },
  { requiredKeys: ['product_id', 'quantity'] },
);
export const items = fc.array(item, { minLength: 1, maxLength: 4 });

/** Query parameter names the SDK drops as PII (its documented list, spelled as forms do). */
const PII_PARAM_NAMES = {
  email: ['email', 'e', 'Email', 'EMAIL', 'mail', 'email_address', 'emailAddress', 'user[email]', 'form[email]'],
  phone: ['phone', 'tel', 'telephone', 'mobile', 'phone_number', 'phoneNumber'],
  first_name: ['first_name', 'fname', 'firstName', 'first-name', 'name'],
  last_name: ['last_name', 'lname', 'lastName', 'full_name'],
  zip_code: ['zip', 'zip_code', 'postcode', 'postal_code'],
  date_of_birth: ['dob', 'birthdate', 'date_of_birth', 'birthday'],
} as const;
type UrlField = keyof typeof PII_PARAM_NAMES;

/** Where the page URL carries a PII value. */
export type Placement =
  | { at: 'query'; field: UrlField; name: string; raw: boolean }
  | { at: 'fragment-query'; field: UrlField; name: string }
  | { at: 'fragment-pairs'; field: UrlField; name: string }
  // The email alone, under no PII name: the address pattern must find it.
  | { at: 'path'; encoded: boolean }
  | { at: 'fragment'; encoded: boolean }
  | { at: 'other-param'; name: string; encoded: boolean }
  | { at: 'next-url' };

const placement: fc.Arbitrary<Placement> = fc.oneof(
  fc.constantFrom(...(Object.keys(PII_PARAM_NAMES) as UrlField[])).chain((field) =>
    fc.oneof(
      fc.record({
        at: fc.constant('query' as const),
        field: fc.constant(field),
        name: fc.constantFrom(...PII_PARAM_NAMES[field]),
        raw: fc.boolean(),
      }),
      fc.record({
        at: fc.constant('fragment-query' as const),
        field: fc.constant(field),
        name: fc.constantFrom(...PII_PARAM_NAMES[field]),
      }),
      fc.record({
        at: fc.constant('fragment-pairs' as const),
        field: fc.constant(field),
        name: fc.constantFrom(...PII_PARAM_NAMES[field]),
      }),
    ),
  ),
  fc.record({ at: fc.constant('path' as const), encoded: fc.boolean() }),
  fc.record({ at: fc.constant('fragment' as const), encoded: fc.boolean() }),
  fc.record({
    at: fc.constant('other-param' as const),
    name: fc.constantFrom('ref', 'u', 'q', 'utm_content'),
    encoded: fc.boolean(),
  }),
  fc.constant({ at: 'next-url' as const }),
);

/** The page URL's non-PII skeleton: path words and campaign parameters the test owns. */
export const pageSkeleton = fc.record({
  path: fc.array(fc.constantFrom('product', '170830', 'account', 'checkout', 'step-2', 'cart', 'orders'), {
    maxLength: 3,
  }),
  params: fc.array(
    fc.constantFrom(
      'utm_source=news',
      'utm_campaign=spring',
      'gclid=Cj0KCQ',
      'fbclid=IwAR2x',
      'page=2',
      'ref=home',
      'utm_id=4711',
    ),
    { maxLength: 3 },
  ),
  placements: fc.array(placement, { maxLength: 4 }),
});
export type PageSkeleton = typeof pageSkeleton extends fc.Arbitrary<infer T> ? T : never;

// What the SDK's address pattern is promised to find: a plain address. Other
// text is placed in the URL only under a PII parameter name.
const PLAIN_ADDRESS = /^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

/**
 * Builds the page URL (`origin` + skeleton + placed PII) and the skeleton's
 * own text (what the search must not count). A placement whose value is
 * absent, or whose email is not a plain address, is left out.
 */
export function buildPageUrl(
  origin: string,
  skeleton: PageSkeleton,
  person: GeneratedPerson,
): { url: string; ownText: string; placed: number } {
  const valueOf = (field: UrlField): string | undefined => {
    const value = person[field];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const address = valueOf('email');
  const plain = address !== undefined && PLAIN_ADDRESS.test(address) ? address : undefined;
  const enc = encodeURIComponent;
  const path = skeleton.path.map((segment) => `/${segment}`);
  const query: string[] = [...skeleton.params];
  const fragmentPairs: string[] = [];
  let fragment: string | undefined;
  let placed = 0;
  for (const where of skeleton.placements) {
    if (where.at === 'query' || where.at === 'fragment-query' || where.at === 'fragment-pairs') {
      const value = valueOf(where.field);
      if (value === undefined) continue;
      // `raw` writes a plain address with its `@` as typed; anything else is encoded as a form would.
      const written = where.at === 'query' && where.raw && value === plain ? value : enc(value);
      const pair = `${enc(where.name)}=${written}`;
      if (where.at === 'query') query.push(pair);
      else if (where.at === 'fragment-query') fragment = `/signup?${pair}&step=2`;
      else fragmentPairs.push(pair);
    } else {
      if (plain === undefined) continue;
      if (where.at === 'path') path.push(`/${where.encoded ? enc(plain) : plain}`, '/orders');
      else if (where.at === 'fragment') fragment = where.encoded ? enc(plain) : plain;
      else if (where.at === 'other-param') query.push(`${where.name}=${where.encoded ? enc(plain) : plain}`);
      else query.push(`next=${enc(`/login?u=${plain}`)}`);
    }
    placed += 1;
  }
  if (fragment === undefined && fragmentPairs.length > 0) fragment = [...fragmentPairs, 'tab=1'].join('&');
  const url = `${origin}${path.join('') || '/'}${query.length ? `?${query.join('&')}` : ''}${fragment === undefined ? '' : `#${fragment}`}`;
  const ownText = [
    origin,
    ...skeleton.path,
    ...skeleton.params,
    '/signup',
    'step=2',
    'tab=1',
    '/orders',
    '/login?u=',
    'next=',
    'ref=',
    'u=',
    'q=',
    'utm_content=',
  ].join('\n');
  return { url, ownText, placed };
}

/** What one run of a request-level property is given. */
export interface Shopper<How> {
  /** The signed-in profile. */
  user: typeof profile extends fc.Arbitrary<infer T> ? T : never;
  /** The order's customer. */
  customer: GeneratedPerson;
  orderItems: typeof items extends fc.Arbitrary<infer T> ? T : never;
  /** The page URL's skeleton (see `buildPageUrl`). */
  skeleton: PageSkeleton;
  /** The test's own choices. */
  how: How;
  /** 1 for the first run, counting on through shrinking: unique ids per run. */
  runNumber: number;
}

/** Asserts `check` over `runs` generated shoppers (fast-check; a throw fails the run). Returns the seconds it took. */
export async function forShoppers<How>(
  runs: number,
  how: fc.Arbitrary<How>,
  check: (shopper: Shopper<How>) => Promise<void>,
): Promise<number> {
  let runNumber = 0;
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(profile, person, items, pageSkeleton, how, async (user, customer, orderItems, skeleton, h) => {
      runNumber += 1;
      await check({ user, customer, orderItems, skeleton, how: h, runNumber });
    }),
    { numRuns: runs },
  );
  return (performance.now() - started) / 1000;
}
