/**
 * How well an event can be matched to a person: the identifiers it carries
 * that the vendor can match on, a score from 0 to 10, and the strongest keys
 * it lacks. The weights are one table, `MATCH_KEYS`, shown in the README with
 * the same reasoning; the score is their sum, capped at 10, so adding a key
 * or swapping one for a heavier one never lowers it.
 */
import type { EventName, FieldName } from '../core/fields.js';
import { carries, fieldSpec } from '../core/fields.js';

export interface MatchKey {
  /** What the key is, for people: `email`, `click id`. */
  readonly name: string;
  /** The fields that carry it (any one is enough), the customer's before the profile's. */
  readonly fields: readonly FieldName[];
  /** Points out of 10. */
  readonly weight: number;
}

/**
 * Strongest first; `missing` lists keys in this order. Email and phone each
 * name one person almost alone; a name does so only with a zip code (the
 * three are one tier, worth 1.5 together); a click id ties one visit to one
 * ad click exactly, but nothing beyond that visit; your own `crm_id` joins a
 * customer's devices; date of birth, city and state only narrow a name; the
 * visitor id, always there, ties the events of one browser, and so an order
 * to the click of its landing. An order with every key but click ids (which
 * orders never carry) scores 10, as does a page view with a click id and
 * most of the others.
 */
export const MATCH_KEYS: readonly MatchKey[] = [
  { name: 'email', fields: ['hashed_email'], weight: 3 },
  {
    name: 'phone',
    fields: ['hashed_phone', 'hashed_phone_e164', 'hashed_phone_user', 'hashed_phone_e164_user'],
    weight: 2.5,
  },
  { name: 'first name', fields: ['hashed_first_name', 'hashed_first_name_user'], weight: 0.5 },
  { name: 'last name', fields: ['hashed_last_name', 'hashed_last_name_user'], weight: 0.5 },
  { name: 'zip code', fields: ['hashed_zip_code', 'hashed_zip_code_user'], weight: 0.5 },
  { name: 'click id', fields: ['channel_click_id', 'att_click_id'], weight: 1.25 },
  { name: 'crm id', fields: ['crm_id'], weight: 1 },
  { name: 'date of birth', fields: ['hashed_date_of_birth', 'hashed_date_of_birth_user'], weight: 0.5 },
  { name: 'city', fields: ['hashed_city', 'hashed_city_user'], weight: 0.25 },
  { name: 'state', fields: ['hashed_state', 'hashed_state_user'], weight: 0.25 },
  { name: 'visitor id', fields: ['visitor_id'], weight: 1 },
];

export const MAX_SCORE = 10;

/** How many of the lacking keys `missing` names: enough to say what to add next. */
const MISSING_LISTED = 3;

export interface Match {
  /** The fields the event carries that the vendor can match on, in the table's order. */
  keys: FieldName[];
  /** 0 to 10. */
  score: number;
  /** The strongest keys the event lacks and could carry, strongest first: one field of each. */
  missing: FieldName[];
}

/** The score of a set of keys, by name: their weights summed, capped at 10. */
export function scoreOf(keyNames: Iterable<string>): number {
  const names = new Set(keyNames);
  const sum = MATCH_KEYS.filter((key) => names.has(key.name)).reduce((total, key) => total + key.weight, 0);
  return Math.min(MAX_SCORE, sum);
}

/** Whether `event` can carry the field at all (an order has no click id). */
function canCarry(event: EventName, field: FieldName): boolean {
  return carries(fieldSpec(field), event, 'post') || carries(fieldSpec(field), event, 'get');
}

/** The match of one decoded record. */
export function matchOf(event: EventName, record: Readonly<Record<string, unknown>>): Match {
  const keys: FieldName[] = [];
  const present: string[] = [];
  const missing: FieldName[] = [];
  for (const key of MATCH_KEYS) {
    const carried = key.fields.filter((field) => record[field] !== undefined);
    keys.push(...carried);
    if (carried.length > 0) present.push(key.name);
    else {
      const field = key.fields.find((candidate) => canCarry(event, candidate));
      if (field !== undefined && missing.length < MISSING_LISTED) missing.push(field);
    }
  }
  return { keys, score: scoreOf(present), missing };
}
