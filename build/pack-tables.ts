/**
 * An esbuild plugin (tsup.config.ts) that ships the PII reference tables
 * packed: it replaces each readable table literal in the source with its
 * packed string and the `unpack` call that restores it at load
 * (`src/core/pii/packed-tables.ts` says why and how).
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { CALLING_CODES } from '../src/core/pii/calling-codes.js';
import { packCallingCodes, packRegions } from '../src/core/pii/packed-tables.js';
import { REGIONS } from '../src/core/pii/state.js';

interface PackedTable {
  /** The module holding the table. */
  file: RegExp;
  /** The table's declaration, up to its opening brace. */
  declaration: string;
  /** The table's packed form. */
  packed: string;
  unpack: 'unpackCallingCodes' | 'unpackRegions';
}

const TABLES: readonly PackedTable[] = [
  {
    file: /src[\\/]core[\\/]pii[\\/]calling-codes\.ts$/,
    declaration: 'export const CALLING_CODES: CallingCodeTable = ',
    packed: packCallingCodes(CALLING_CODES),
    unpack: 'unpackCallingCodes',
  },
  {
    file: /src[\\/]core[\\/]pii[\\/]state\.ts$/,
    declaration: 'export const REGIONS: RegionTable = ',
    packed: packRegions(REGIONS),
    unpack: 'unpackRegions',
  },
];

/**
 * Replaces the table literal after `declaration` (up to its closing `};`)
 * with the unpack call of the table's packed form. The packed form comes
 * from the source module itself, imported here: what ships is what the
 * source says.
 */
export function packTableSource(source: string, table: PackedTable): string {
  const start = source.indexOf(table.declaration);
  const end = source.indexOf('\n};', start);
  if (start < 0 || end < 0) throw new Error(`pack-tables: no "${table.declaration}{ … };" found`);
  const packed = `/* @__PURE__ */ ${table.unpack}(${JSON.stringify(table.packed)})`;
  return (
    `import { ${table.unpack} } from './packed-tables.js';\n` +
    source.slice(0, start + table.declaration.length) +
    packed +
    source.slice(end + 2)
  );
}

export const packTables: Plugin = {
  name: 'pack-tables',
  setup(build) {
    for (const table of TABLES) {
      build.onLoad({ filter: table.file }, async ({ path }) => ({
        contents: packTableSource(await readFile(path, 'utf8'), table),
        loader: 'ts',
      }));
    }
  },
};

export { TABLES };
