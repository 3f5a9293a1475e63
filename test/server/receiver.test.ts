// Over real loopback HTTP into the local receiver, which validates the POST shapes strictly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../src/receiver/index.js';
import type { Receiver } from '../../src/receiver/index.js';
import { SymbiosysServerClient } from '../../src/server/index.js';
import { keepingErrors } from '../helpers/errors-kept.js';
import { inputFromVendor } from './helpers.js';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ quiet: true, apiKeys: ['test-key'] });
});
afterAll(() => receiver.close());

describe('server client against the local receiver', () => {
  it('the vendor examples are accepted (200) and stored as sent', async () => {
    const { client, errors } = keepingErrors(
      (onError) => new SymbiosysServerClient({ apiKey: 'test-key', endpoint: receiver.url, onError }),
    );
    client.track('page_view', inputFromVendor('/page_view') as never);
    client.track('order', inputFromVendor('/orders') as never);
    client.track('order', { ...inputFromVendor('/orders'), order_id: 'second' } as never);
    const result = await client.close({ timeoutMs: 5000 });
    expect(errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(receiver.requests.map((r) => [r.method, r.path, r.status, r.eventIds.length]).sort()).toEqual([
      ['POST', '/orders', 200, 2],
      ['POST', '/page_view', 200, 1],
    ]);
    expect(receiver.events.map((e) => e.event)).toEqual(['page_view', 'order', 'order']);
  });

  it('a wrong key gets 403 from the receiver: reported once, nothing retried', async () => {
    receiver.clear();
    const { client, errors } = keepingErrors(
      (onError) => new SymbiosysServerClient({ apiKey: 'wrong', endpoint: receiver.url, onError }),
    );
    client.track('order', inputFromVendor('/orders') as never);
    await client.close({ timeoutMs: 5000 });
    expect(errors.map((e) => e.code)).toEqual(['forbidden']);
    expect(receiver.requests.map((r) => r.status)).toEqual([403]);
  });
});
