/** The Event API's base URLs, exactly as the vendor document gives them. */
import { baseUrlRule, oneOf, type OptionRules } from './options.js';

/** `production` sends to the region's host; `development` to the vendor's `.dev` host (any region). */
export type Environment = 'production' | 'development';
/** The production region: `us` (`event.symbiosys.ai`) or `eu` (`eu.event.symbiosys.ai`). */
export type Region = 'us' | 'eu';

/**
 * Where events go: the options every client (browser, tag, server) shares.
 * `undefined` is an option left out (`endpoint: process.env.SYMBIOSYS_ENDPOINT`).
 */
export interface HostOptions {
  /**
   * `'production'` or `'development'` (the vendor's `.dev` host, for any region).
   * @default 'production'
   */
  environment?: Environment | undefined;
  /**
   * `'us'` or `'eu'`, in production. Only these spellings: `'EU'` is refused at construction.
   * @default 'us'
   */
  region?: Region | undefined;
  /**
   * A base URL that wins over both: a first-party proxy or a local receiver
   * (`'http://127.0.0.1:7878'`). Absolute, with its scheme: `'collect.example.com'` is refused.
   */
  endpoint?: string | undefined;
}

/** The Event API's base URL per environment and region, as the vendor document gives them. */
export const HOSTS = {
  production: { us: 'https://event.symbiosys.ai', eu: 'https://eu.event.symbiosys.ai' },
  // The vendor: "You should still use the .dev endpoint … for testing", EU included.
  development: { us: 'https://event.symbiosys.dev', eu: 'https://event.symbiosys.dev' },
} as const satisfies Record<Environment, Record<Region, string>>;

/** The host options' rows of every client's option table. */
export const HOST_OPTION_RULES: OptionRules<HostOptions> = {
  environment: oneOf<Environment>('production', 'development'),
  region: oneOf<Region>('us', 'eu'),
  endpoint: baseUrlRule,
};

/** The base URL, without a trailing slash, so paths join as `${base}/orderjs`. */
export function baseUrl({ environment = 'production', region = 'us', endpoint }: HostOptions): string {
  const base = endpoint ?? HOSTS[environment][region];
  return base.replace(/\/+$/, '');
}
