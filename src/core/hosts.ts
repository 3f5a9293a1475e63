/** The Event API's base URLs, exactly as the vendor document gives them. */

export type Environment = 'production' | 'development';
export type Region = 'us' | 'eu';

export interface HostOptions {
  environment?: Environment;
  region?: Region;
  /** A base URL that wins over both: a first-party proxy or a local receiver. */
  endpoint?: string;
}

export const HOSTS = {
  production: { us: 'https://event.symbiosys.ai', eu: 'https://eu.event.symbiosys.ai' },
  // The vendor: "You should still use the .dev endpoint … for testing", EU included.
  development: { us: 'https://event.symbiosys.dev', eu: 'https://event.symbiosys.dev' },
} as const satisfies Record<Environment, Record<Region, string>>;

/** The base URL, without a trailing slash, so paths join as `${base}/orderjs`. */
export function baseUrl({ environment = 'production', region = 'us', endpoint }: HostOptions): string {
  const base = endpoint ?? HOSTS[environment][region];
  return base.replace(/\/+$/, '');
}
