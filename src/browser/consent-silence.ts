/**
 * The consent adapters' watch for a platform that never speaks: no CMP on the
 * page, no Consent Mode command. Silence is never consent: the client stays
 * pending, and the site hears it once.
 */
import { DropError, type SymbiosysError } from '../core/errors.js';

/**
 * How long a consent platform may stay silent before it is reported: a CMP
 * loaded asynchronously on a slow mobile connection answers within a few
 * seconds, and a site missing its CMP should see the report while someone
 * still looks at the console.
 */
const CONSENT_SILENCE_MS = 10_000;

/**
 * Reports `consent_unanswered` through `report` unless the returned function
 * (call it on the platform's first signal) runs within `waitMs`.
 */
export function watchSilence(
  platform: string,
  report: (error: SymbiosysError) => void,
  waitMs = CONSENT_SILENCE_MS,
): () => void {
  const timer = setTimeout(() => {
    const message = `${platform} gave no consent signal within ${waitMs / 1000} s: events wait in memory, unsent`;
    report(new DropError('consent_unanswered', message));
  }, waitMs);
  return () => clearTimeout(timer);
}
