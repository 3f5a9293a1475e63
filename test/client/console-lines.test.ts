// @vitest-environment happy-dom
/**
 * Every console line the SDK writes starts with `[symbiosys]`: at run time
 * (the `debug: true` view, the only writer today), and in the source, where
 * any new `console.*` call of the SDK's entries must carry the prefix (the
 * local receiver, a command-line tool of its own, is apart).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SymbiosysClient } from '@acme/symbiosys';
import { startCollector } from '../helpers/collector.js';

// A string, not a URL: happy-dom replaces the global URL.
const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../src/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'receiver' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const collector = startCollector();
afterEach(() => {
  vi.restoreAllMocks();
  collector.reset();
});
afterAll(() => collector.close());

describe('console lines', () => {
  it('the debug view writes only [symbiosys] lines', async () => {
    const lines: unknown[][] = [];
    for (const method of ['log', 'groupCollapsed', 'warn', 'error', 'info'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args));
    }
    const client = new SymbiosysClient({ apiKey: 'k', debug: true, transport: 'fetch' });
    await client.track('page_view', { product_id: 'p1' });
    await client.track('order', { order_id: 'o1', items: [{ product_id: 'p1', quantity: 0 }] });
    const firsts = lines.map((args) => args[0]);
    expect(firsts.length).toBeGreaterThan(2);
    for (const first of firsts) {
      if (first === 'fields' || first === 'GET') continue; // Inside a [symbiosys] group.
      expect(String(first)).toMatch(/^\[symbiosys\] /);
    }
  });

  it('every console call in the SDK source writes the prefix', () => {
    const unprefixed: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bconsole\.(\w+)\(/g)) {
        const line = text.slice(0, match.index).split('\n').length;
        const lineText = text.split('\n')[line - 1] ?? '';
        if (/^\s*(\*|\/\/)/.test(lineText)) continue; // A doc example.
        const call = text.slice(match.index, match.index + 200);
        if (!/\[symbiosys\]|PREFIX/.test(call)) unprefixed.push(`${file.slice(SRC.length)}:${line}`);
      }
    }
    expect(unprefixed).toEqual([]);
  });
});
