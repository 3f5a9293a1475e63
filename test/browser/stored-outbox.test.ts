/**
 * What anything on the page may have left in the SDK's outbox keys, in real
 * Chromium (issue 14, item 3): an earlier version's queue (`_sym_outbox`, one
 * JSON array) holding `[null]`, `[{}]`, `[1,"x"]` or worse, an entry of this
 * version (`_sym_outbox:<id>`) that is not one, an entry for another Event
 * API. None of it throws, none of it costs the next valid order, and nothing
 * is ever sent anywhere but to the client's own Event API.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openSdkPage, useBrowserRig } from './helpers/hooks.js';
import type { SdkWindow } from './helpers/sdk-window.js';

const browserRig = useBrowserRig();

/** A well-formed entry, as an earlier page load of the client would have stored it, to `url`. */
const entryTo = (url: string, id = 'left-1') => ({
  id,
  event: 'order',
  url,
  orderId: id,
  createdAt: Date.now() - 60_000,
  attempts: 1,
  lease: 0,
});

/** Every request the browser starts, as it starts it. */
function requests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** Leaves `items` in localStorage, loads the SDK page, makes a client and tracks one order with it. */
async function trackOver(page: Page, items: Record<string, string>, orderId: string) {
  const { site } = browserRig.rig;
  await page.goto(`${site.url}/fixtures/blank.html`);
  await page.evaluate((left) => {
    for (const [key, value] of Object.entries(left)) localStorage.setItem(key, value);
  }, items);
  await openSdkPage(page, site.url);
  return page.evaluate(async (id) => {
    const { sdk, SYMBIOSYS_CONFIG } = window as unknown as SdkWindow;
    const errors: string[] = [];
    const client = new sdk.SymbiosysClient({ ...SYMBIOSYS_CONFIG, onError: (e) => errors.push(e.code) });
    const result = await client.track('order', { order_id: id, items: [{ product_id: 'p1', quantity: 1 }] });
    await client.flush(2000);
    const left = Object.keys(localStorage).filter((key) => key.startsWith('_sym_outbox'));
    return { status: result.status, reason: 'reason' in result ? result.reason : undefined, errors, left };
  }, orderId);
}

/**
 * Leaves `raw` under `key` and tracks one order over it: the order is sent,
 * and is all the receiver gets; nothing is left in the outbox, no error is
 * reported, and no request goes to a URL made of the junk.
 */
async function expectNextOrderSent(key: string, raw: string): Promise<void> {
  const context = await browserRig.newContext();
  const seen = requests(context);
  const page = await context.newPage();
  const orderId = `stored-${Date.now()}`;
  const outcome = await trackOver(page, { [key]: raw }, orderId);

  expect(outcome).toEqual({ status: 'sent', reason: undefined, errors: [], left: [] });
  const receiver = browserRig.rig.receiver;
  expect(receiver.events.map((e) => (e.event === 'order' ? e.record.order_id : e.event))).toEqual([orderId]);
  expect(seen.filter((url) => /undefined|\/x$/.test(url))).toEqual([]);
}

describe('a corrupted outbox', () => {
  it.each([['[null]'], ['[{}]'], ['[1,"x"]'], ['[{"id":"x","event":"order"}]'], ['{"a":1}'], ['not json']])(
    "an earlier version's queue %s: no throw, the next order is sent, the key removed",
    (raw) => expectNextOrderSent('_sym_outbox', raw),
  );

  it.each([['null'], ['{}'], ['"x"'], ['[1]'], ['{"id":"other","event":"order","url":"x"}'], ['not json']])(
    'an entry key holding %s: removed, never sent, and the next order is sent',
    (raw) => expectNextOrderSent('_sym_outbox:x', raw),
  );

  it('an entry for another Event API is never sent by this client, and left to its own (old queue or new key)', async () => {
    const context = await browserRig.newContext();
    const seen = requests(context);
    const page = await context.newPage();
    // Loopback, so the rig lets it through and a request to it would be seen; nothing listens there.
    const foreign = 'http://127.0.0.1:9/orderjs?api_key=test-key&oid=foreign';
    const orderId = `stored-${Date.now()}`;
    const outcome = await trackOver(
      page,
      {
        _sym_outbox: JSON.stringify([entryTo(foreign, 'old-foreign')]),
        '_sym_outbox:new-foreign': JSON.stringify(entryTo(foreign, 'new-foreign')),
      },
      orderId,
    );

    expect(outcome.status).toBe('sent');
    expect(outcome.left.sort()).toEqual(['_sym_outbox:new-foreign', '_sym_outbox:old-foreign']);
    expect(seen.filter((url) => url.startsWith('http://127.0.0.1:9/'))).toEqual([]);
    expect(browserRig.rig.receiver.events).toHaveLength(1);
  });

  it("what an earlier version left for this client's own Event API is still sent", async () => {
    const context = await browserRig.newContext();
    const page = await context.newPage();
    const { receiver } = browserRig.rig;
    const left = `${receiver.url}/orderjs?api_key=test-key&ts=${Date.now()}&vid=01929d42ae1a0016c0cebe6dd43a0508900160810056a&sid=1729694623545&oid=left-1&prodid=p1&qty=1`;
    const outcome = await trackOver(page, { _sym_outbox: JSON.stringify([entryTo(left)]) }, `stored-${Date.now()}`);

    expect(outcome).toMatchObject({ status: 'sent', errors: [], left: [] });
    await expect.poll(() => receiver.events.length).toBe(2);
    expect(receiver.events.map((e) => (e.event === 'order' ? e.record.order_id : '')).sort()).toEqual([
      'left-1',
      expect.stringMatching(/^stored-/),
    ]);
  });
});
