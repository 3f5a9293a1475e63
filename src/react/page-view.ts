import { useContext, useEffect } from 'react';
import { track, type PageViewInput } from '@acme/symbiosys';
import { ClientContext } from './context.js';
import { ledgerOf } from './ledger.js';

/**
 * Sends one page view each time `key` changes to a new value: pass what
 * identifies the page, such as `pathname + search`. StrictMode's doubled
 * effects, re-renders (with a new `input` object each time) and remounts with
 * the same key send nothing more. A `null` or `undefined` key sends nothing
 * yet: use it to wait for data the page view should carry.
 *
 * `input` is read when the key changes, so it belongs to the page the key
 * names.
 *
 * @example
 * const { pathname, search } = useLocation();
 * usePageView(pathname + search, product && { product_id: product.id });
 */
export function usePageView(key: string | null | undefined, input?: PageViewInput): void {
  const client = useContext(ClientContext);
  useEffect(() => {
    if (key == null || client === null) return;
    const ledger = ledgerOf(client);
    if (ledger.pageViewKey === key) return;
    ledger.pageViewKey = key;
    void (client ? client.track('page_view', input) : track('page_view', input));
    // `input` is deliberately not a dependency: a new object with the same key is the same page.
  }, [client, key]);
}
