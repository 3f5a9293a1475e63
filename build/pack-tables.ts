/**
 * An esbuild plugin (tsup.config.ts) that ships the PII reference tables
 * packed: each table's module (`calling-code-table.ts`, `region-table.ts`,
 * which hold nothing but the readable table) is replaced whole by a module
 * generated from the table's data: its packed string and the `unpack` call
 * that restores it at load (`src/core/pii/packed-tables.ts` says why and
 * how). Nothing searches the source text: what ships is made from the values
 * the source module exports, imported here.
 */
import type { Plugin } from 'esbuild';
import { CALLING_CODES } from '../src/core/pii/calling-code-table.js';
import { packCallingCodes, packRegions } from '../src/core/pii/packed-tables.js';
import { REGIONS } from '../src/core/pii/region-table.js';

interface PackedTable {
  /** The module holding only the table. */
  file: RegExp;
  /** The name it exports the table by. */
  name: 'CALLING_CODES' | 'REGIONS';
  /** The table's packed form. */
  packed: string;
  unpack: 'unpackCallingCodes' | 'unpackRegions';
}

export const TABLES: readonly PackedTable[] = [
  {
    file: /src[\\/]core[\\/]pii[\\/]calling-code-table\.ts$/,
    name: 'CALLING_CODES',
    packed: packCallingCodes(CALLING_CODES),
    unpack: 'unpackCallingCodes',
  },
  {
    file: /src[\\/]core[\\/]pii[\\/]region-table\.ts$/,
    name: 'REGIONS',
    packed: packRegions(REGIONS),
    unpack: 'unpackRegions',
  },
];

/** The module the build ships in place of a table's: the same export, unpacked at load. */
export function packedModule(table: PackedTable): string {
  return (
    `import { ${table.unpack} } from './packed-tables.js';\n` +
    `export const ${table.name} = /* @__PURE__ */ ${table.unpack}(${JSON.stringify(table.packed)});\n`
  );
}

export const packTables: Plugin = {
  name: 'pack-tables',
  setup(build) {
    for (const table of TABLES) {
      build.onLoad({ filter: table.file }, () => ({ contents: packedModule(table), loader: 'ts' }));
    }
  },
};
