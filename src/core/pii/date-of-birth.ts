import { accept, hashText, prepareText, refuse, type FieldHash, type Normalized } from './field.js';
import type { Sha256Hex } from './hash.js';

/** `YYYY-MM-DD` or `YYYYMMDD`: both dashes or none. */
const WRITTEN = /^(\d{4})(-?)(\d{2})\2(\d{2})$/;

/** `YYYYMMDD` for a date that exists, with a year from 1900 to `now`'s year. */
function calendarDate(year: unknown, month: unknown, day: unknown, now: Date): Normalized {
  if (![year, month, day].every(Number.isInteger)) return refuse('must have integer year, month and day');
  const [y, m, d] = [year, month, day] as number[] as [number, number, number];
  if (y < 1900 || y > now.getFullYear()) return refuse('must be from 1900 to this year');
  // Date.UTC rolls 30 February over into March: a round trip catches dates that do not exist.
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return refuse('is not a date that exists');
  // The year is 1900 or later, so the ISO date has four digits of year: YYYY-MM-DD.
  return accept(probe.toISOString().slice(0, 10).replace(/-/g, ''));
}

function dateFromText(text: string, now: Date): Normalized {
  const [, year, , month, day] = WRITTEN.exec(text) ?? [];
  return year === undefined
    ? refuse('must be written YYYY-MM-DD or YYYYMMDD')
    : calendarDate(Number(year), Number(month), Number(day), now);
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
  // Across realms (iframes) `instanceof Date` fails; the internal tag does not.
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const date = value as Date;
    if (Number.isNaN(date.getTime())) return refuse('is an invalid Date');
    return calendarDate(date.getFullYear(), date.getMonth() + 1, date.getDate(), now);
  }
  if (typeof value === 'object' && value !== null && 'year' in value && 'month' in value && 'day' in value) {
    return calendarDate(value.year, value.month, value.day, now);
  }
  const text = prepareText(value);
  return text === undefined ? refuse('must be a Date, a string or { year, month, day }') : dateFromText(text, now);
}

/** The whole pipeline for `date_of_birth`: a pre-hashed string passes, anything else is normalized and hashed. */
export function hashDateOfBirth(value: unknown, sha256: Sha256Hex, now: Date = new Date()): FieldHash {
  if (typeof value === 'string' || typeof value === 'number') {
    return hashText(value, (text) => dateFromText(text, now), sha256);
  }
  const normalized = normalizeDateOfBirth(value, now);
  return normalized.ok ? { ok: true, hash: sha256(normalized.value) } : normalized;
}
