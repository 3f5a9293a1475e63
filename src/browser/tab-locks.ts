/**
 * The one cross-tab primitive the SDK relies on: the Web Locks API.
 * localStorage has no compare-and-set, so "read, then write" in one tab can
 * interleave with the same in another; a Web Lock cannot.
 *
 * A write made under a lock reaches the other tabs' copies of localStorage a
 * moment after it is made, and not necessarily before the lock's release
 * does. So a holder keeps its lock `PROPAGATION_MS` after its last write (or
 * until a network round trip has passed since), and a tab that gets the lock
 * next reads that write.
 */

/** The part of the Web Locks API the SDK uses. */
export type LockManagerLike = Pick<LockManager, 'request'>;

/** How long a write to localStorage may take to reach the other tabs of the browser, and a bit more. */
export const PROPAGATION_MS = 1000;

/** The page's Web Locks: secure contexts only (https, localhost); absent elsewhere and in older browsers. */
export function browserLocks(): LockManagerLike | undefined {
  return typeof navigator === 'undefined'
    ? undefined
    : ((navigator as { locks?: LockManager | null }).locks ?? undefined);
}

/** Resolves after `PROPAGATION_MS`: what a lock's holder returns to keep it while its writes spread. */
export const propagated = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, PROPAGATION_MS));
