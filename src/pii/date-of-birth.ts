import { accept, hashText, prepareText, refuse, type FieldHash, type Normalized } from './field.js';
import { sha256Hex } from './hash.js';

const DASHED = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

// Across realms (iframes) `instanceof Date` fails; the internal tag does not.
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

function isParts(value: unknown): value is { year: unknown; month: unknown; day: unknown } {
  return typeof value === 'object' && value !== null && 'year' in value && 'month' in value && 'day' in value;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `YYYYMMDD` for a date that exists, with a year from 1900 to `now`'s year. */
function calendarDate(year: unknown, month: unknown, day: unknown, now: Date): Normalized {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) {
    return refuse('must have whole-number year, month and day');
  }
  const [y, m, d] = [year as number, month as number, day as number];
  if (y < 1900 || y > now.getFullYear()) return refuse('has a year before 1900 or after this year');
  // Date.UTC rolls 30 February over into March: a round trip catches dates that do not exist.
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    return refuse('is not a date that exists');
  }
  return accept(`${pad(y, 4)}${pad(m, 2)}${pad(d, 2)}`);
}

/**
 * Date of birth rule: `YYYYMMDD`. Accepts
 * - a `Date`: its LOCAL calendar date (`getFullYear`/`getMonth`/`getDate`),
 *   because `new Date(1990, 0, 31)` is local midnight of the day the user
 *   means; reading it in UTC would shift it a day east of Greenwich;
 * - `'YYYY-MM-DD'` or `'YYYYMMDD'` (a calendar date: no time zone touches it);
 * - `{ year, month, day }`, month 1 to 12.
 * Slash formats (`02/03/1990`) are ambiguous and refused. The date must exist
 * and its year be 1900 to `now`'s year.
 */
export function normalizeDateOfBirth(value: unknown, now: Date = new Date()): Normalized {
  if (isDate(value)) {
    if (Number.isNaN(value.getTime())) return refuse('is an invalid Date');
    return calendarDate(value.getFullYear(), value.getMonth() + 1, value.getDate(), now);
  }
  if (isParts(value)) return calendarDate(value.year, value.month, value.day, now);
  const text = prepareText(value);
  if (text === undefined) return refuse('must be a Date, a YYYY-MM-DD string or { year, month, day }');
  return dateFromText(text, now);
}

function dateFromText(text: string, now: Date): Normalized {
  const match = DASHED.exec(text) ?? COMPACT.exec(text);
  if (!match) return refuse('must be written YYYY-MM-DD or YYYYMMDD');
  return calendarDate(Number(match[1]), Number(match[2]), Number(match[3]), now);
}

/** The whole pipeline for `date_of_birth`: a pre-hashed string passes, anything else is normalized and hashed. */
export function hashDateOfBirth(value: unknown, now: Date = new Date()): FieldHash {
  if (typeof value === 'string' || typeof value === 'number') {
    return hashText(value, (text) => dateFromText(text, now));
  }
  const normalized = normalizeDateOfBirth(value, now);
  return normalized.ok ? { ok: true, hash: sha256Hex(normalized.value) } : normalized;
}
