import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { SymbiosysProvider } from '@acme/symbiosys/react';
import { PageViews } from '../components/page-views';

// A server component rendering the SDK's provider: '@acme/symbiosys/react' is a client module ('use client').
// NEXT_PUBLIC_ variables are read at build time, as they are for the browser.
const options = {
  apiKey: process.env.NEXT_PUBLIC_SYMBIOSYS_KEY ?? '',
  ...(process.env.NEXT_PUBLIC_SYMBIOSYS_ENDPOINT ? { endpoint: process.env.NEXT_PUBLIC_SYMBIOSYS_ENDPOINT } : {}),
};

export const metadata = { title: 'Next.js storefront · Symbiosys example' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SymbiosysProvider options={options}>
          <Suspense fallback={null}>
            <PageViews />
          </Suspense>
          <nav>
            <Link href="/">Home</Link> · <Link href="/cart">Cart</Link>
          </nav>
          <main>{children}</main>
        </SymbiosysProvider>
      </body>
    </html>
  );
}
