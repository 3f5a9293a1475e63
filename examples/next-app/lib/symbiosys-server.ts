import { SymbiosysServerClient } from '@acme/symbiosys/server';

let client: SymbiosysServerClient | undefined;

/** One server client per process, made on first use; none without SYMBIOSYS_KEY (the example then only logs). */
export function symbiosysServer(): SymbiosysServerClient | undefined {
  const apiKey = process.env.SYMBIOSYS_KEY;
  if (!apiKey) return undefined;
  client ??= new SymbiosysServerClient({
    apiKey,
    ...(process.env.SYMBIOSYS_ENDPOINT ? { endpoint: process.env.SYMBIOSYS_ENDPOINT } : {}),
    // Fields are named, values never are: safe for logs.
    onError: (error) => console.warn(`[symbiosys] ${error.code} ${error.field ?? ''} ${error.message}`),
  });
  return client;
}
