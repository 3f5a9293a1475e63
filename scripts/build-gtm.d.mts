// Types for the repository's typecheck: test/gtm compares the committed templates with what the build writes.
export declare function generatedTemplates(): Promise<Record<string, string>>;
export declare function serverTables(): Promise<string>;
