/** Clients whose reported errors a test reads afterwards. */
import type { SymbiosysError } from '../../src/core/errors.js';

/** The client `make` builds with the given `onError`, and every error it reports, in order. */
export function keepingErrors<Client>(make: (onError: (error: SymbiosysError) => void) => Client): {
  client: Client;
  errors: SymbiosysError[];
} {
  const errors: SymbiosysError[] = [];
  return { client: make((error) => errors.push(error)), errors };
}
