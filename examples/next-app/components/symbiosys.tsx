'use client';
import type { ReactNode } from 'react';
import { SymbiosysProvider } from '@acme/symbiosys/react';
import type { ClientOptions } from '@acme/symbiosys';

// The root layout is a server component, and a server component cannot pass a function (`onError`) to a
// client component: this client component renders the provider with one. NEXT_PUBLIC_ variables are
// inlined at build time.
const options: ClientOptions = {
  apiKey: process.env.NEXT_PUBLIC_SYMBIOSYS_KEY ?? '',
  ...(process.env.NEXT_PUBLIC_SYMBIOSYS_ENDPOINT ? { endpoint: process.env.NEXT_PUBLIC_SYMBIOSYS_ENDPOINT } : {}),
  onError: (error) => console.warn(`[symbiosys] ${error.code}`, error.field ?? '', error.message),
};

export function Symbiosys({ children }: { children: ReactNode }) {
  return <SymbiosysProvider options={options}>{children}</SymbiosysProvider>;
}
