/**
 * The navigation watch. When a navigation begins (`beforeunload`) while order
 * claims wait for their Web Lock, the claims are decided at once within the
 * tab, so their orders leave in the navigation's own task: Chromium can lose
 * a beacon sent after a navigation began and before `pagehide`
 * (test/browser/unload.test.ts shows it), never one sent from
 * `beforeunload`. The listener is there only while a claim waits, as Firefox
 * keeps no page with one in its back-forward cache.
 */
import type { Claims } from './order-claims.js';

export interface NavigationWatch {
  /** Listens while `claims` has claims waiting, and only then. */
  follow(claims: Claims): void;
}

export function createNavigationWatch(): NavigationWatch {
  let watched: Claims | undefined;
  const navigationBegins = (): void => watched?.settleAll();
  return {
    follow(claims) {
      if (typeof window === 'undefined') return;
      watched = claims;
      // Adding the same listener twice, or removing one that is not there, changes nothing: no flag tracks it.
      if (claims.waiting() > 0) window.addEventListener('beforeunload', navigationBegins);
      else window.removeEventListener('beforeunload', navigationBegins);
    },
  };
}
