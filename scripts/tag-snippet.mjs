// The tag loader snippet (README, "Tag manager"): a stub `window.Symbiosys` that
// queues calls, each with its time and page, and loads the script, which
// replays them in order (src/tag.ts). ES5 only: Google Tag Manager's Custom
// HTML tags refuse newer syntax.
//
// `node scripts/tag-snippet.mjs` (run by `npm run build`) prints the snippet for
// this version: the script's pinned URL and its Subresource Integrity hash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
    var stub = (w.Symbiosys = { q: q });
    [${QUEUED_METHODS.map((name) => `'${name}'`).join(', ')}].forEach(function (name) {
      stub[name] = function () {
        var call = [name, [].slice.call(arguments), Date.now(), location.href];
        return new Promise(function (resolve, reject) {
          q.push(call.concat(resolve, reject));
        });
      };
    });
    var script = d.createElement('script');
    script.async = true;
    script.src = src;
    script.integrity = integrity;
    script.crossOrigin = 'anonymous';
    d.head.appendChild(script);
  })(window, document, '${src}', '${integrity}');
</script>`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('..', import.meta.url);
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const integrity = subresourceIntegrity(readFileSync(new URL('dist/symbiosys.tag.js', root)));
  console.log(`Tag loader snippet for @acme/symbiosys@${version} (dist/symbiosys.tag.js, ${integrity}):\n`);
  console.log(loaderSnippet({ src: pinnedScriptUrl(version), integrity }));
}
