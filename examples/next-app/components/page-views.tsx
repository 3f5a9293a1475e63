'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { usePageView } from '@acme/symbiosys/react';
import { productById, productFields } from '../lib/catalog';

/**
 * One page view per route change, with the product's fields on a product
 * page. `useSearchParams` makes this render in the browser only: the layout
 * wraps it in <Suspense>, without which `next build` fails.
 */
export function PageViews() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const product = productById(/^\/product\/([^/]+)$/.exec(pathname)?.[1]);
  usePageView(search ? `${pathname}?${search}` : pathname, product && productFields(product));
  return null;
}
