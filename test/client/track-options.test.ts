// @vitest-environment happy-dom
/**
 * Replayed calls keep their own time and page: `track`'s third argument, and
 * the calls the default client keeps before `init`.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SymbiosysClient } from '@acme/symbiosys';
import { startCollector } from '../helpers/collector.js';

const collector = startCollector();
afterEach(() => {
  collector.reset();
  localStorage.clear();
  vi.useRealTimers();
  vi.resetModules();
});
afterAll(() => collector.close());

describe('track options', () => {
  it('sends the given timestamp and page URL (PII still stripped) instead of now and location', async () => {
    const client = new SymbiosysClient({ apiKey: 'test-key', transport: 'fetch' });
    const result = await client.track(
      'page_view',
      { product_id: 'p1' },
      { timestamp: 1729696661986, pageUrl: 'https://shop.example/p/1?email=jane%40example.com&utm_id=7' },
    );
    expect(result.status).toBe('sent');
    const params = collector.received[0]!.params;
    expect(params.get('ts')).toBe('1729696661986');
    expect(params.get('page_url')).toBe('https://shop.example/p/1?utm_id=7');
  });

  it('ignores a timestamp that is not a positive integer', async () => {
    const client = new SymbiosysClient({ apiKey: 'test-key', transport: 'fetch' });
    const before = Date.now();
    await client.track('page_view', {}, { timestamp: Number.NaN });
    expect(Number(collector.received[0]!.params.get('ts'))).toBeGreaterThanOrEqual(before);
  });

  it('a call made before init is sent with the time and page of the call, not of init', async () => {
    const sdk = await import('@acme/symbiosys');
    vi.useFakeTimers({ now: 1_800_000_000_000, toFake: ['Date'] });
    history.replaceState(null, '', '/before-init');
    const early = sdk.track('page_view', { product_id: 'early' });
    vi.setSystemTime(1_800_000_060_000);
    history.replaceState(null, '', '/after-init');
    sdk.init({ apiKey: 'test-key', transport: 'fetch' });
    await expect(early).resolves.toMatchObject({ status: 'queued', reason: 'not_initialized' });
    const [request] = await collector.waitFor(1);
    expect(request!.params.get('ts')).toBe('1800000000000');
    expect(new URL(request!.params.get('page_url')!).pathname).toBe('/before-init');
  });
});
