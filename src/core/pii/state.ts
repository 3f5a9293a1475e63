import { accept, refuse, type Normalized } from './field.js';
import { lettersOnly } from './name.js';
import { regionKey } from './packed-tables.js';
import { REGIONS } from './region-table.js';

export { REGIONS };

/** Each code and each name's key -> the code. */
const CODE_BY_KEY: ReadonlyMap<string, string> = new Map(
  Object.entries(REGIONS).flatMap(([code, names]) => [
    [code, code],
    ...names.map((name) => [regionKey(name), code] as const),
  ]),
);

/**
 * State rule: a US state, DC, US territory or Canadian province, by name (any
 * case, punctuation ignored) or code, becomes its two-letter code (`New York`
 * → `ny`); anything else is lowercased to letters and marks, never truncated.
 */
export function normalizeState(text: string): Normalized {
  const code = CODE_BY_KEY.get(regionKey(text));
  if (code) return accept(code);
  const state = lettersOnly(text);
  return state === '' ? refuse('has no letters') : accept(state);
}
