/**
 * The exit hand-over: the page is going away (or may be frozen), so what this
 * tab holds is beaconed within the page's keepalive budget, and the rest is
 * released for the next page load. A beacon's fate is unknowable: a page view
 * handed to one is done (at most once); an order is kept, marked
 * `unconfirmed`, and resent once on the next page load (at least once, same
 * data, so the server can de-duplicate).
 */
import type { KeepaliveBudget } from './keepalive-budget.js';
import type { Outbox } from './outbox.js';
import { isOffline, type Sender } from './sender.js';
import { sendBeacon } from './transport.js';

/** A fetch that failed this recently before an unload may have been cut by the navigation itself. */
const JUST_LOST_MS = 2000;

export function handOverOnExit(
  outbox: Outbox,
  sender: Sender,
  budget: KeepaliveBudget | undefined,
  now: () => number,
): void {
  const held = new Set([...sender.cancelRetries(), ...sender.inflight]);
  if (sender.forbidden) return;
  for (const { id, url, event, lease, unconfirmed } of outbox.entries()) {
    // Another tab's; or handed over already (an unload fires both visibilitychange and pagehide).
    if (!outbox.isMine(id) || (!held.has(id) && (lease > now() || unconfirmed))) continue;
    // A keepalive fetch in flight survives the page, but its answer will not be seen; nor a beacon's.
    // Nor one that just failed: a navigation fails the old page's keepalive fetch while the request goes on.
    const stillFlying = sender.inflight.has(id) || sender.justLost(id, JUST_LOST_MS);
    const beaconed = !stillFlying && !isOffline() && budget?.fits(url.length) === true && sendBeacon(url);
    if (beaconed) budget.spend(url.length);
    if (!stillFlying && !beaconed) outbox.patch(id, { lease: 0 });
    else if (event === 'page_view') outbox.remove(id);
    else outbox.patch(id, { lease: 0, unconfirmed: true });
  }
}
