/**
 * Compact forms of the two PII reference tables, for the browser bundle.
 *
 * The source keeps the tables readable, each in a module of its own
 * (`calling-code-table.ts`, `region-table.ts`); the build (tsup.config.ts,
 * build/pack-tables.ts) ships in its place a module generated from the
 * table's data: its packed form and the `unpack` call that restores it at
 * load. Readers and reviewers see the tables, the
 * wire sees the same values, and storefronts download half the bytes: a
 * table of country pairs and three-digit numbers is the part of the bundle
 * gzip compresses worst. test/pii/packed-tables.test.ts checks that each
 * table survives the round trip and that the build's tables equal the source's.
 */

/** Country (ISO 3166-1 alpha-2) -> calling code (digits). */
export type CallingCodeTable = Readonly<Record<string, string>>;
/** Two-letter code -> the names it is written as. */
export type RegionTable = Readonly<Record<string, readonly string[]>>;

/**
 * Calling codes in ascending order, each written as its difference from the
 * previous one, followed by its countries in lowercase: `1agai…6kzru13eg` is
 * +1 AG AI …, +7 KZ RU, +20 EG.
 */
export function packCallingCodes(table: CallingCodeTable): string {
  const byCode = new Map<number, string[]>();
  for (const [country, code] of Object.entries(table)) {
    const countries = byCode.get(Number(code)) ?? [];
    countries.push(country.toLowerCase());
    byCode.set(Number(code), countries);
  }
  let previous = 0;
  let packed = '';
  for (const code of [...byCode.keys()].sort((a, b) => a - b)) {
    packed += String(code - previous) + (byCode.get(code) ?? []).sort().join('');
    previous = code;
  }
  return packed;
}

export function unpackCallingCodes(packed: string): CallingCodeTable {
  const table: Record<string, string> = {};
  let code = 0;
  for (const [, step = '', countries = ''] of packed.matchAll(/(\d+)([a-z]+)/g)) {
    code += Number(step);
    for (let i = 0; i < countries.length; i += 2) table[countries.slice(i, i + 2).toUpperCase()] = String(code);
  }
  return table;
}

/** The letters a region's name is looked up by: lowercase, no accents, no spaces or punctuation. */
export function regionKey(text: string): string {
  return text
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^\p{L}]/gu, '');
}

/**
 * Regions as `<code><key>|<key>,…`: `alalabama,…,dcdistrictofcolumbia|washingtondc`.
 * Names are stored as their lookup keys, which is all the lookup reads.
 */
export function packRegions(table: RegionTable): string {
  return Object.entries(table)
    .map(([code, names]) => code + names.map(regionKey).join('|'))
    .join(',');
}

export function unpackRegions(packed: string): RegionTable {
  const table: Record<string, string[]> = {};
  for (const group of packed.split(',')) table[group.slice(0, 2)] = group.slice(2).split('|');
  return table;
}
