// Types for the repository's typecheck, which compiles TypeScript only and imports this module in its tests.
import { SymbiosysClient } from '@acme/symbiosys';

export declare class LoggedClient extends SymbiosysClient {}
export declare function useSdkLog(): readonly string[];
