import { accept, refuse, type Normalized } from './field.js';

// One `@`, something before it, a dot with something on both sides after it,
// no white space. Deliberately loose: a platform matches what the person typed.
// The domain is written as labels and runs of dots, which cannot overlap, so a
// refusal costs linear time (`[^@\s]*\.` retried every dot: quadratic).
const ADDRESS = /^[^@\s]+@[^@\s.]+(?:\.+[^@\s.]+)+\.*$/u;

/**
 * Email rule: lowercase, and it must look like an address. No Gmail dot or
 * `+tag` rewriting (Meta, Snap and TikTok hash the address as typed).
 */
export function normalizeEmail(text: string): Normalized {
  const email = text.toLowerCase();
  return ADDRESS.test(email) ? accept(email) : refuse('is not an email address');
}
