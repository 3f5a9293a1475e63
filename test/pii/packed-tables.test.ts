/**
 * The PII reference tables ship packed (build/pack-tables.ts generates each
 * table's module from its data): each one survives the round trip, and the
 * build's modules answer exactly as the readable source does, for every
 * country, code and region name.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { packTables } from '../../build/pack-tables.js';
import { CALLING_CODES, callingCodeOf, splitCallingCode } from '../../src/core/pii/calling-codes.js';
import { packCallingCodes, packRegions, unpackCallingCodes, unpackRegions } from '../../src/core/pii/packed-tables.js';
import { REGIONS, normalizeState } from '../../src/core/pii/state.js';

interface PiiModule {
  callingCodeOf: typeof callingCodeOf;
  splitCallingCode: typeof splitCallingCode;
  knownCountries: () => string[];
  normalizeState: typeof normalizeState;
}

/** The table lookups of src/core/pii as the build ships them. */
async function builtPii(): Promise<{ module: PiiModule; code: string }> {
  const result = await build({
    stdin: {
      contents: [
        "export { callingCodeOf, knownCountries, splitCallingCode } from './calling-codes.ts';",
        "export { normalizeState } from './state.ts';",
      ].join('\n'),
      resolveDir: fileURLToPath(new URL('../../src/core/pii/', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    plugins: [packTables],
  });
  const code = result.outputFiles[0]!.text;
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as PiiModule;
  return { module, code };
}

let built: Awaited<ReturnType<typeof builtPii>>;
beforeAll(async () => {
  built = await builtPii();
});

describe('packed tables', () => {
  it('calling codes survive the round trip', () => {
    expect(unpackCallingCodes(packCallingCodes(CALLING_CODES))).toEqual(CALLING_CODES);
  });

  it('regions survive the round trip, as their lookup keys', () => {
    const unpacked = unpackRegions(packRegions(REGIONS));
    expect(Object.keys(unpacked)).toEqual(Object.keys(REGIONS));
    for (const [code, names] of Object.entries(REGIONS)) {
      for (const name of names) expect(normalizeState(name)).toEqual({ ok: true, value: code });
      expect(unpacked[code]).toHaveLength(names.length);
    }
  });

  it('the build replaces the readable literals with their packed form', () => {
    expect(built.code).toContain('unpackCallingCodes("1ag');
    expect(built.code).toContain('unpackRegions("alalabama,');
    expect(built.code).not.toContain('Commonwealth of the Northern Mariana Islands');
  });

  it('the built module answers as the source does, for every country and every calling code', () => {
    for (const [country, code] of Object.entries(CALLING_CODES)) {
      expect(built.module.callingCodeOf(country)).toBe(callingCodeOf(country));
      expect(built.module.callingCodeOf(country.toLowerCase())).toBe(code);
      expect(built.module.splitCallingCode(`${code}5551234`)).toEqual(splitCallingCode(`${code}5551234`));
    }
    expect(built.module.knownCountries().sort()).toEqual(Object.keys(CALLING_CODES).sort());
  });

  it('the built module normalizes every region name and code as the source does', () => {
    for (const [code, names] of Object.entries(REGIONS)) {
      for (const text of [code, code.toUpperCase(), ...names, ...names.map((name) => name.toUpperCase())]) {
        expect(built.module.normalizeState(text), text).toEqual(normalizeState(text));
      }
    }
    expect(built.module.normalizeState('Bavaria')).toEqual({ ok: true, value: 'bavaria' });
  });
});
