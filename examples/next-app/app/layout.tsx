import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { PageViews } from '../components/page-views';
import { Symbiosys } from '../components/symbiosys';

export const metadata = { title: 'Next.js storefront · Symbiosys example' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Symbiosys>
          <Suspense fallback={null}>
            <PageViews />
          </Suspense>
          <nav>
            <Link href="/">Home</Link> · <Link href="/cart">Cart</Link>
          </nav>
          <main>{children}</main>
        </Symbiosys>
      </body>
    </html>
  );
}
