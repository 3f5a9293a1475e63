import { accept, refuse, type Normalized } from './field.js';

const NOT_LETTER_OR_MARK = /[^\p{L}\p{M}]/gu;

/** Lowercase, keeping only letters and combining marks (Unicode L and M). */
export function lettersOnly(text: string): string {
  return text.toLowerCase().replace(NOT_LETTER_OR_MARK, '');
}

/**
 * Rule for `first_name`, `last_name` and `city`: lowercase, letters and marks
 * only (`Mary-Ann` → `maryann`, `Seattle-98121` → `seattle`).
 */
export function normalizeName(text: string): Normalized {
  const name = lettersOnly(text);
  return name === '' ? refuse('has no letters') : accept(name);
}
