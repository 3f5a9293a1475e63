// The tag loader snippet (README, "Tag manager"): a stub `window.Symbiosys` that
// queues calls, each with its time and page, and loads the script, which
// replays them in order (src/tag.ts). When the script does not run (an ad
// blocker, the network, a file that does not match its integrity hash), the
// stub rejects what it queued, and every later call, with one error, and says
// so once on the console. ES5 only: Google Tag Manager's Custom HTML tags
// refuse newer syntax.
//
// `node scripts/tag-snippet.mjs` (run by `npm run build`) prints the snippet for
// this version (package.json): the script's pinned URL and the Subresource
// Integrity hash of the dist/symbiosys.tag.js just built, and says whether the
// README carries it. `--write` (`npm run snippet`) puts it in the README.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The methods the stub queues; the script replays `reset` once the SDK has it. */
export const QUEUED_METHODS = ['init', 'track', 'identify', 'setConsent', 'reset'];

/** The script of a published version, by the package's `unpkg` path. */
export function pinnedScriptUrl(version) {
  return `https://unpkg.com/@acme/symbiosys@${version}/dist/symbiosys.tag.js`;
}

/** `sha384-…` of the script's bytes, for the `integrity` attribute. */
export function subresourceIntegrity(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

export function loaderSnippet({ src, integrity }) {
  return `<script>
  (function (w, d, src, integrity) {
    if (w.Symbiosys) return; // The script, or this snippet, is on the page already.
    var q = [];
    var failed;
    var stub = (w.Symbiosys = { q: q });
    [${QUEUED_METHODS.map((name) => `'${name}'`).join(', ')}].forEach(function (name) {
      stub[name] = function () {
        var call = [name, [].slice.call(arguments), Date.now(), location.href];
        var promise = new Promise(function (resolve, reject) {
          if (failed) reject(failed);
          else q.push(call.concat(resolve, reject));
        });
        promise.then(null, function () {}); // Said once on the console, not once per call.
        return promise;
      };
    });
    var script = d.createElement('script');
    script.async = true;
    script.src = src;
    script.integrity = integrity;
    script.crossOrigin = 'anonymous';
    script.onload = script.onerror = function () {
      if (w.Symbiosys !== stub) return; // The script runs: it took the queue.
      failed = new Error('[symbiosys] ' + src + ' did not run (an ad blocker, the network, or a file ' +
        'that does not match its integrity hash): nothing is sent.');
      console.error(failed.message);
      q.splice(0).forEach(function (call) {
        call[5](failed);
      });
    };
    d.head.appendChild(script);
  })(window, document, '${src}', '${integrity}');
</script>`;
}

/** The loader snippet in a README, and the `<script src>` URLs of the tag script it pins. */
const README_SNIPPET = /<script>\n {2}\(function \(w, d, src, integrity\) \{[\s\S]*?\n<\/script>/;
const README_SCRIPT_URL = /https:\/\/unpkg\.com\/@acme\/symbiosys@[^/]+\/dist\/symbiosys\.tag\.js/g;

/** The loader snippet as the README shows it, or undefined. */
export function readmeSnippet(readme) {
  return README_SNIPPET.exec(readme)?.[0];
}

/** The README with its snippet (and pinned script URLs) for this script and version. */
export function withSnippet(readme, { version, integrity }) {
  if (!README_SNIPPET.test(readme)) throw new Error('README.md: no tag loader snippet found to replace');
  const src = pinnedScriptUrl(version);
  return readme.replace(README_SNIPPET, () => loaderSnippet({ src, integrity })).replace(README_SCRIPT_URL, src);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('..', import.meta.url);
  const readmeUrl = new URL('README.md', root);
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const integrity = subresourceIntegrity(readFileSync(new URL('dist/symbiosys.tag.js', root)));
  const readme = readFileSync(readmeUrl, 'utf8');
  const current = withSnippet(readme, { version, integrity });
  if (process.argv.includes('--write')) {
    if (current !== readme) writeFileSync(readmeUrl, current);
    console.log(`README.md: tag loader snippet for @acme/symbiosys@${version}, ${integrity}`);
  } else {
    console.log(`Tag loader snippet for @acme/symbiosys@${version} (dist/symbiosys.tag.js, ${integrity}):\n`);
    console.log(loaderSnippet({ src: pinnedScriptUrl(version), integrity }));
    if (current !== readme) console.log('\nREADME.md carries another snippet: `npm run snippet` puts this one there.');
  }
}
