/** The rig for scripts (demo, bench), bundled by them with esbuild; tests import the modules directly. */
export { launchBrowser, CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
export { startStaticServer, SHOP_PREFIX } from './static-server.js';
export type { StaticServer, StaticServerOptions } from './static-server.js';
export { startRig, API_KEY } from './rig.js';
export type { Rig, RigOptions } from './rig.js';
export { distProblem, requireDist, REPO_ROOT } from './paths.js';
