/**
 * The vendor document's example requests (`test/fixtures/vendor/`, copied
 * verbatim from the Event API document), read as the tests' ground truth.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A string path, not a URL object: happy-dom replaces the global URL in DOM test files.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/vendor');

const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** The document's example GET URL for a path, as name -> decoded value (api_key replaced). */
export function vendorGetExample(path: '/page_viewjs' | '/orderjs', apiKey: string): Map<string, string> {
  const text = fixture(path === '/page_viewjs' ? 'get-page_viewjs.txt' : 'get-orderjs.txt');
  const params = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^[?&]([^=]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const name = match[1]!;
    params.set(name, name === 'api_key' ? apiKey : decodeURIComponent(match[2]!));
  }
  return params;
}

/** The document's example POST request for a path: its `headers` and JSON `body`. */
export function vendorPostExample(path: '/page_view' | '/orders'): { headers: Record<string, string>; body: unknown } {
  const text = fixture(path === '/page_view' ? 'post-page_view.json' : 'post-orders.json');
  return JSON.parse(text) as { headers: Record<string, string>; body: unknown };
}

/** The document's example GET URL, byte for byte as printed (its lines joined): `https://…/orderjs?api_key=***…&ts=…`. */
export function vendorGetUrlAsPrinted(path: '/page_viewjs' | '/orderjs'): string {
  const text = fixture(path === '/page_viewjs' ? 'get-page_viewjs.txt' : 'get-orderjs.txt');
  return text
    .split('\n')
    .map((line) => line.trim())
    .join('');
}

/** An item of the document's example order: every item field, set (so both an input and a record). */
export interface VendorItem {
  product_id: string;
  item_group_id: string;
  category_id: string;
  seller_id: string;
  brand: string;
  quantity: number;
  regular_unit_price: number;
  discount_unit_price: number;
}

/** The items of the document's example order (`post-orders.json`), in long names. */
export function vendorOrderItems(): VendorItem[] {
  const [order] = vendorPostExample('/orders').body as Array<{ items: VendorItem[] }>;
  return order!.items;
}
