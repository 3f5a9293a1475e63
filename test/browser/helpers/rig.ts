/**
 * The rig: a local receiver (the Event API's stand-in) and the static server
 * (the shop), started and closed together. The shop's /config.js points the
 * SDK at the receiver, on another origin, as a real site would be.
 */
import { startReceiver } from '../../../src/receiver/index.js';
import type { Receiver, ReceiverOptions } from '../../../src/receiver/index.js';
import { requireDist } from './paths.js';
import { startStaticServer } from './static-server.js';
import type { StaticServer, StaticServerOptions } from './static-server.js';

/** The key the receiver accepts by default. */
export const API_KEY = 'test-key';

export interface RigOptions {
  receiver?: ReceiverOptions;
  site?: Omit<StaticServerOptions, 'config'>;
  /** Merged over `{ apiKey, endpoint: receiver.url }` in /config.js. */
  config?: Readonly<Record<string, unknown>>;
}

export interface Rig {
  readonly receiver: Receiver;
  readonly site: StaticServer;
  /** What /config.js serves: the storefront's `init` options. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Closes both servers; safe to call twice. */
  close(): Promise<void>;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  requireDist();
  const receiver = await startReceiver({ quiet: true, apiKeys: [API_KEY], ...options.receiver });
  const config = { apiKey: API_KEY, endpoint: receiver.url, ...options.config };
  let site: StaticServer;
  try {
    site = await startStaticServer({ ...options.site, config });
  } catch (error) {
    await receiver.close();
    throw error;
  }
  return {
    receiver,
    site,
    config,
    close: async () => {
      await Promise.all([site.close(), receiver.close()]);
    },
  };
}
