// Types for the repository's typecheck: the tests import the snippet they load in Chromium.
export declare const QUEUED_METHODS: readonly string[];
export declare function pinnedScriptUrl(version: string): string;
export declare function subresourceIntegrity(bytes: Uint8Array): string;
export declare function loaderSnippet(options: { src: string; integrity: string }): string;
export declare function readmeSnippet(readme: string): string | undefined;
export declare function withSnippet(readme: string, options: { version: string; integrity: string }): string;
