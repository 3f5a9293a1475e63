/** The vendor document (`../shared/spec/event-api.txt`), read as tests' ground truth. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A string path, not a URL object: happy-dom replaces the global URL in DOM test files.
const SPEC_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/spec');

export const VENDOR_DOC = readFileSync(join(SPEC_DIR, 'event-api.txt'), 'utf8');

function between(start: string, end: string): string {
  const from = VENDOR_DOC.indexOf(start);
  const to = VENDOR_DOC.indexOf(end, from + start.length);
  if (from === -1 || to === -1) throw new Error(`vendor document has no section ${start}`);
  return VENDOR_DOC.slice(from + start.length, to);
}

/** The document's example GET URL for a path, as name -> decoded value (api_key replaced). */
export function vendorGetExample(path: '/page_viewjs' | '/orderjs', apiKey: string): Map<string, string> {
  const section =
    path === '/page_viewjs' ? between('GET /page_viewjs', 'GET /orderjs') : between('GET /orderjs', 'POST /page_view');
  const params = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^[?&]([^=]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const name = match[1] as string;
    params.set(name, name === 'api_key' ? apiKey : decodeURIComponent(match[2] as string));
  }
  return params;
}

/** The document's example POST body for a path, parsed from its JSON. */
export function vendorPostExample(path: '/page_view' | '/orders'): { headers: Record<string, string>; body: unknown } {
  const section =
    path === '/page_view' ? between('POST /page_view', 'POST /orders') : between('POST /orders', 'Status Codes');
  const json = section.slice(section.indexOf('{'), section.lastIndexOf('}') + 1);
  return JSON.parse(json) as { headers: Record<string, string>; body: unknown };
}
