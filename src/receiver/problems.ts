/**
 * What a 400 says: one problem per bad field, named as it appears in the
 * request (the GET shorthand, or the JSON path of a POST body), so a user can
 * find it in what their code sent.
 */
import type { z } from 'zod';
import { MAX_PROBLEMS_LISTED, MAX_PROBLEM_TEXT } from './limits.js';
import { shorten } from './text.js';

export type ProblemCode =
  /** A parameter or JSON key the endpoint does not take. */
  | 'unknown_field'
  /** A GET parameter given more than once. */
  | 'duplicate_field'
  /** A required field is absent (`endpoints.ts` says which are required). */
  | 'missing_field'
  /** Present, but of the wrong type or format. */
  | 'invalid_value'
  /** A tilde list with another number of slots than `prodid`. */
  | 'list_length_mismatch'
  /** The POST body is not JSON. */
  | 'invalid_json'
  /** Past one of the receiver's bounds: nesting depth, entries, orders per batch, items per order (`limits.ts`). */
  | 'limit_exceeded';

export interface Problem {
  /** GET: the shorthand parameter (`qty`); POST: the JSON path (`0.items.1.quantity`), `body` for the whole body. */
  field: string;
  code: ProblemCode;
  message: string;
  /** GET tilde lists: the 0-based item slot at fault. */
  index?: number;
}

/** A decoder's answer: the value, or every problem found (never just the first). */
export type Decoded<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'body' : path.map(String).join('.');
}

/** zod's issues as problems; `input` tells a missing field from one of the wrong type. */
export function problemsFromZod(error: z.ZodError, input: unknown): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: joinPath([...issue.path, key]),
        code: 'unknown_field',
        message: 'is not a field of this endpoint',
      }));
    }
    const field = joinPath(issue.path);
    if (issue.path.length > 0 && valueAt(input, issue.path) === undefined) {
      return [{ field, code: 'missing_field', message: 'is required' }];
    }
    return [{ field, code: 'invalid_value', message: issue.message }];
  });
}

/** What a refusal lists: the first `MAX_PROBLEMS_LISTED` problems, their texts cut, and how many more there were. */
export interface ListedProblems {
  problems: Problem[];
  omittedProblems: number;
}

export function listProblems(problems: readonly Problem[]): ListedProblems {
  return {
    problems: problems.slice(0, MAX_PROBLEMS_LISTED).map((problem) => ({
      ...problem,
      field: shorten(problem.field, MAX_PROBLEM_TEXT),
      message: shorten(problem.message, MAX_PROBLEM_TEXT),
    })),
    omittedProblems: Math.max(0, problems.length - MAX_PROBLEMS_LISTED),
  };
}
