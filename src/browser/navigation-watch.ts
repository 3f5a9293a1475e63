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

/** Listens for `beforeunload` while the claims given last have claims waiting, and only then. */
export type NavigationWatch = (claims: Claims) => void;

export function createNavigationWatch(): NavigationWatch {
  let watched: Claims | undefined;
  let listening = false;
  const navigationBegins = (): void => watched?.settleAll();
  return (claims) => {
    watched = claims;
    // Most claims are decided at once (this tab holds the claims lock): no listener to add or remove for them.
    const wanted = claims.waiting() > 0;
    if (wanted === listening || typeof window === 'undefined') return;
    listening = wanted;
    if (wanted) window.addEventListener('beforeunload', navigationBegins);
    else window.removeEventListener('beforeunload', navigationBegins);
  };
}
