/**
 * The page's keepalive budget. Chromium and Firefox let the requests a page
 * keeps alive past its unload (beacons and keepalive fetches) carry about
 * 64 KB in all, counted per page, not per request or per client. So there is
 * one budget per window, shared by every client on it, and full again when
 * the page is shown again (back-forward cache, tab shown).
 */

/** The browsers' ~64 KB, less headroom for requests the page makes itself. */
export const BEACON_BUDGET_BYTES = 60_000;

export class KeepaliveBudget {
  private readonly _capacity: number;
  private _left: number;

  constructor(capacity = BEACON_BUDGET_BYTES) {
    this._capacity = capacity;
    this._left = capacity;
  }

  /** Whether a request of `bytes` still fits. */
  fits(bytes: number): boolean {
    return bytes <= this._left;
  }

  /** Counts a request the browser took. */
  spend(bytes: number): void {
    this._left -= bytes;
  }

  /** The page is shown again: the browser's count starts over. */
  refill(): void {
    this._left = this._capacity;
  }
}

const budgets = new WeakMap<object, KeepaliveBudget>();

/** The budget of the page a window shows. */
export function keepaliveBudgetOf(page: object): KeepaliveBudget {
  let budget = budgets.get(page);
  if (!budget) {
    budget = new KeepaliveBudget();
    budgets.set(page, budget);
  }
  return budget;
}
