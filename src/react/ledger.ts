/**
 * What the hooks already sent, per client, for as long as the page lives. The
 * hooks' "once" is kept here rather than in component state so that it holds
 * through StrictMode's doubled effects, remounts and several components
 * calling the same hook. Reloads are the SDK's concern: it remembers sent
 * order ids in localStorage.
 */
import type { SymbiosysClient } from '@acme/symbiosys';

export interface Ledger {
  /** The key of the last page view sent. */
  pageViewKey: string | undefined;
  /** Order ids sent, as strings (`1` and `'1'` are one order). */
  readonly orderIds: Set<string>;
}

/** Stands for the browser entry's default client, used outside a provider. */
const DEFAULT_CLIENT = {};
const ledgers = new WeakMap<object, Ledger>();

export function ledgerOf(client: SymbiosysClient | undefined): Ledger {
  const owner = client ?? DEFAULT_CLIENT;
  let ledger = ledgers.get(owner);
  if (!ledger) {
    ledger = { pageViewKey: undefined, orderIds: new Set() };
    ledgers.set(owner, ledger);
  }
  return ledger;
}
