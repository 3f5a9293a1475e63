import { createContext } from 'react';
import type { SymbiosysClient } from '@acme/symbiosys';

/**
 * The client the hooks send through: the provider's, `null` under a provider
 * whose options were unusable (nothing is tracked), `undefined` outside any
 * provider (the hooks then use the browser entry's default `track`).
 */
export const ClientContext = createContext<SymbiosysClient | null | undefined>(undefined);
