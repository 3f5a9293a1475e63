import { accept, refuse, type Normalized } from './field.js';

const SPACES_AND_DASHES = /[\s\p{Pd}]/gu;
const US_ZIP = /^(\d{5})(\d{4})?$/;

/**
 * ZIP / postal code rule: lowercase, spaces and dashes removed; a US ZIP or
 * ZIP+4 keeps its first five digits (`98121-4892` → `98121`); others stay as
 * they are (`NR9 5AL` → `nr95al`).
 */
export function normalizeZipCode(text: string): Normalized {
  const zip = text.toLowerCase().replace(SPACES_AND_DASHES, '');
  if (!/[\p{L}\p{N}]/u.test(zip)) return refuse('has no letters or digits');
  return accept(US_ZIP.exec(zip)?.[1] ?? zip);
}
