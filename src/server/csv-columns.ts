/**
 * The records CSV's header: which column each cell names. The POST long
 * names (`order_id`, `order_ts`, `visitor_id`, …), the item fields
 * (`product_id`, `quantity`, …) and the raw PII as `customer.<field>` and
 * `user.<field>`. Shop exports name the buyer's PII without a prefix
 * (`email`, `Phone`, `First Name`, `zip`): those are taken as `customer.*` in
 * an order file and `user.*` in a page-view file, since that is the person
 * such a file describes.
 *
 * A header cell can be raw PII (a file without a header, or a first row
 * mixing names and data), so a cell that names no column is quoted in a
 * problem only when it is shaped like a column name, and otherwise named by
 * its position alone.
 */
import { FIELD_LIST, ITEM_FIELDS, carries } from '../core/fields.js';

export type RecordsEvent = 'page_view' | 'order';

/** What a person column may name after `customer.` or `user.`: the PII fields and the country. */
const PERSON_KEYS = [...new Set(FIELD_LIST.flatMap((spec) => (spec.pii ? [spec.pii] : []))), 'country'];

/** Common names of the person fields in shop exports, beside the field names themselves. */
const PERSON_SYNONYMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    email_address: 'email',
    e_mail: 'email',
    phone_number: 'phone',
    telephone: 'phone',
    mobile: 'phone',
    firstname: 'first_name',
    given_name: 'first_name',
    lastname: 'last_name',
    surname: 'last_name',
    family_name: 'last_name',
    zip: 'zip_code',
    zipcode: 'zip_code',
    postal_code: 'zip_code',
    postcode: 'zip_code',
    dob: 'date_of_birth',
    birth_date: 'date_of_birth',
    birthday: 'date_of_birth',
  }),
);

/** The columns a file of `event`s may have, from the field table. */
function columnsOf(event: RecordsEvent): ReadonlySet<string> {
  const fields = FIELD_LIST.filter((spec) => spec.source !== 'person' && carries(spec, event, 'post'));
  return new Set([
    ...fields.map((spec) => spec.name),
    ...(event === 'order' ? [...ITEM_FIELDS, ...PERSON_KEYS.map((key) => `customer.${key}`)] : []),
    ...[...PERSON_KEYS, 'crm_id'].map((key) => `user.${key}`),
  ]);
}
const COLUMNS = { page_view: columnsOf('page_view'), order: columnsOf('order') };

/** The person a bare PII column belongs to in a file of `event`s. */
const PERSON_OF = { order: 'customer', page_view: 'user' } as const;

/** A header cell as a key to look up: `First Name`, `first-name` and `first_name` are one name. */
function normalized(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** The column a header cell names in a file of `event`s, or `undefined`. */
export function columnOf(cell: string, event: RecordsEvent): string | undefined {
  const name = normalized(cell);
  if (COLUMNS[event].has(name)) return name;
  const key = PERSON_SYNONYMS.get(name) ?? (PERSON_KEYS.includes(name) ? name : undefined);
  return key === undefined ? undefined : `${PERSON_OF[event]}.${key}`;
}

/**
 * Shaped like a column name: a letter, then letters, digits and `_`, in
 * dotted parts. An email address, a phone number or a sentence is not.
 */
export function isNameShaped(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(text) && text.length <= 64;
}

/** A cell as a problem may quote it: `column 3 ("emial")` or, for a cell that may be data, `column 3`. */
export function columnLabel(index: number, cell: string): string {
  const name = cell.trim();
  return isNameShaped(name) ? `column ${index + 1} (${JSON.stringify(name)})` : `column ${index + 1}`;
}

/** The known column closest to a misspelt one, when it is close enough to be the one meant. */
export function closestColumn(cell: string, event: RecordsEvent): string | undefined {
  const name = normalized(cell);
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const column of [...COLUMNS[event], ...PERSON_SYNONYMS.keys(), ...PERSON_KEYS]) {
    const distance = editDistance(name, column);
    if (distance < bestDistance) [best, bestDistance] = [columnOf(column, event), distance];
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character each. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The header's columns, one slot per cell: the column's name, or `undefined`
 * for a cell that names no column of `event` records (or repeats one),
 * reported once here rather than on every row. `undefined` when the row
 * names no column at all: it is no header (data, most likely: raw PII).
 */
export function csvHeader(
  cells: readonly string[],
  event: RecordsEvent,
  problem: (message: string) => void,
): Array<string | undefined> | undefined {
  const columns = cells.map((cell) => columnOf(cell, event));
  if (columns.every((column) => column === undefined)) return undefined;
  const seen = new Map<string, number>();
  return columns.map((column, index) => {
    const label = columnLabel(index, cells[index] ?? '');
    if (column === undefined) {
      const guess = isNameShaped(cells[index]?.trim() ?? '') ? closestColumn(cells[index] ?? '', event) : undefined;
      const hint = guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`;
      problem(`${label} is not a column of ${event} records; ignored${hint}`);
      return undefined;
    }
    const first = seen.get(column);
    if (first !== undefined) {
      problem(`${label} repeats column ${first + 1}; ignored`);
      return undefined;
    }
    seen.set(column, index);
    return column;
  });
}
