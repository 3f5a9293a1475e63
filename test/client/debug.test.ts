// @vitest-environment happy-dom
/**
 * `debug: true`: each event in the console, grouped, with its fields in long
 * names (hashes shortened), its GET URL and then its fate; never a raw PII
 * value; and nothing at all without the option.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SymbiosysClient } from '@acme/symbiosys';
import { startCollector } from '../helpers/collector.js';

const collector = startCollector();
afterEach(() => {
  collector.reset();
  localStorage.clear();
  vi.restoreAllMocks();
});
afterAll(() => collector.close());

const PII = {
  email: 'Jane.Doe@Example.com',
  phone: '+1 (650) 555-1212',
  first_name: 'Jane',
  last_name: 'Doe',
  city: 'Menlo Park',
  zip_code: '94025',
  date_of_birth: '1990-01-31',
};
const RAW_VALUES = [
  'jane.doe@example.com',
  'Jane.Doe@Example.com',
  '6505551212',
  'Jane',
  'jane',
  'Menlo',
  '94025',
  '1990',
];

/** Everything the client wrote to the console, as text. */
function spyConsole() {
  const lines: string[] = [];
  const text = (args: unknown[]) => args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'group', 'groupCollapsed', 'table'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(`${method}: ${text(args)}`));
  }
  vi.spyOn(console, 'groupEnd').mockImplementation(() => void lines.push('groupEnd'));
  return lines;
}

describe('debug', () => {
  it('logs each event grouped: long-name fields with hashes shortened, the GET URL, then its fate', async () => {
    const lines = spyConsole();
    const client = new SymbiosysClient({ apiKey: 'test-key', transport: 'fetch', debug: true });
    client.identify({ crm_id: 'c-1', ...PII });
    await client.track('order', {
      order_id: 'o-1',
      items: [{ product_id: 'p1', quantity: 2, regular_unit_price: 9.5 }],
      customer: PII,
    });
    const url = collector.received[0]!.url.href;

    expect(lines[0]).toMatch(/^groupCollapsed: \[symbiosys\] #1 order$/);
    const fields = lines.find((line) => line.startsWith('log: fields'))!;
    expect(fields).toContain('"order_id":"o-1"');
    expect(fields).toContain('"crm_id":"c-1"');
    expect(fields).toContain('"items":[{"product_id":"p1","quantity":2,"regular_unit_price":9.5}]');
    // Every hash shortened to 8 characters and an ellipsis, none in full.
    expect(fields).toMatch(/"hashed_email":"[0-9a-f]{8}…"/);
    expect(fields).toMatch(/"hashed_first_name_user":"[0-9a-f]{8}…"/);
    expect(fields).not.toMatch(/[0-9a-f]{64}/);
    expect(lines).toContain(`log: GET ${url}`);
    expect(lines).toContain('groupEnd');
    expect(lines.at(-1)).toBe('log: [symbiosys] #1 order: sent by fetch, confirmed');
    for (const raw of RAW_VALUES) expect(lines.join('\n')).not.toContain(raw);
  });

  it('logs a dropped event with its reason and errors, values never quoted', async () => {
    const lines = spyConsole();
    const client = new SymbiosysClient({ apiKey: 'test-key', transport: 'fetch', debug: true });
    await client.track('order', {
      items: [{ product_id: 'p1', quantity: 1 }],
      customer: { email: 'not-an-address' },
    } as never);
    expect(lines).toEqual([
      expect.stringMatching(/^log: \[symbiosys\] #1 order: dropped \(invalid\) invalid_field: order_id is required/),
    ]);
    expect(lines.join('\n')).not.toContain('not-an-address');
  });

  it('logs nothing without the option', async () => {
    const lines = spyConsole();
    const client = new SymbiosysClient({ apiKey: 'test-key', transport: 'fetch' });
    client.identify(PII);
    await client.track('page_view', { product_id: 'p1' });
    await client.track('order', { items: [] } as never);
    expect(collector.received).toHaveLength(1);
    expect(lines).toEqual([]);
  });
});
