/** What the fixture pages put on `window`, for typing code run with `page.evaluate`. */
import type * as Sdk from '../../../src/index.js';

export interface SdkWindow {
  /** The package's ESM build (fixtures/sdk.html). */
  sdk: typeof Sdk;
  /** /config.js: `{ apiKey, endpoint }` of the rig's receiver. */
  SYMBIOSYS_CONFIG: { apiKey: string; endpoint: string };
}
