/**
 * In real Chromium: a page on another origin (the storefront's, or any site
 * open in the developer's browser) cannot read the receiver's event log or
 * clear it, by fetch, beacon or form, while its beacons and fetches to the
 * event endpoints still land. A page on a domain that resolves to 127.0.0.1
 * (DNS rebinding, played by --host-resolver-rules) gets nothing at all.
 */
import { describe, expect, it } from 'vitest';
import { useReceiver, vendorGetUrl } from '../receiver/harness.js';
import { useOtherOriginSite } from '../receiver/other-origin.js';

const REBOUND = 'rebind.test';

const receiver = useReceiver();
const other = useOtherOriginSite('some site', [`--host-resolver-rules=MAP ${REBOUND} 127.0.0.1`]);

async function storeOneEvent(): Promise<void> {
  expect((await fetch(`${receiver().url}${vendorGetUrl('/page_viewjs')}`)).status).toBe(200);
}

describe('a page on another origin', () => {
  it('cannot read /events or /requests', async () => {
    await storeOneEvent();
    const page = await other.sitePage();
    const outcomes = await page.evaluate(async (base) => {
      const read = async (init: RequestInit, path: string) => {
        try {
          const response = await fetch(base + path, init);
          return `read ${response.status}: ${await response.text()}`;
        } catch {
          return 'blocked';
        }
      };
      return [
        await read({}, '/events'),
        await read({ credentials: 'include' }, '/requests'),
        await read({ mode: 'no-cors' }, '/events'),
      ];
    }, receiver().url);
    expect(outcomes.slice(0, 2)).toEqual(['blocked', 'blocked']);
    // An opaque answer: its body is not readable, whatever the status.
    expect(outcomes[2]).toBe('read 0: ');
    await page.close();
  });

  it('cannot clear the log, by no-cors fetch, beacon, form or DELETE', async () => {
    await storeOneEvent();
    const page = await other.sitePage();
    const beaconAnswered = page.waitForEvent('requestfinished', (request) => request.url().endsWith('?by=beacon'));
    await page.evaluate(async (base) => {
      await fetch(`${base}/events/clear`, { method: 'POST', mode: 'no-cors' }).catch(() => undefined);
      await fetch(`${base}/events/clear`, {
        method: 'POST',
        mode: 'no-cors',
        headers: { 'content-type': 'text/plain' },
        body: '{}',
      }).catch(() => undefined);
      navigator.sendBeacon(`${base}/events/clear?by=beacon`, new Blob(['{}'], { type: 'text/plain' }));
      await fetch(`${base}/events`, { method: 'DELETE' }).catch(() => undefined);
      await fetch(`${base}/events/clear`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }).catch(() => undefined);
    }, receiver().url);
    const action = `${receiver().url}/events/clear`;
    await Promise.all([
      page.waitForURL(action),
      page.evaluate((target) => {
        const form = Object.assign(document.createElement('form'), { method: 'POST', action: target });
        document.body.append(form);
        form.submit();
      }, action),
    ]);
    expect(await page.textContent('body')).toContain('forbidden');
    expect((await (await beaconAnswered).response())?.status()).toBe(403);
    expect(receiver().events).toHaveLength(1);
    await page.close();
  });

  it('still sends events: a beacon and a fetch land', async () => {
    const page = await other.sitePage();
    const status = await page.evaluate(
      async ({ base, path }) => {
        navigator.sendBeacon(base + path);
        return (await fetch(base + path, { credentials: 'include' })).status;
      },
      { base: receiver().url, path: vendorGetUrl('/page_viewjs') },
    );
    expect(status).toBe(200);
    await receiver().waitFor((event) => event.via === 'beacon');
    expect(
      receiver()
        .events.map((event) => event.via)
        .sort(),
    ).toEqual(['GET', 'beacon']);
    await page.close();
  });
});

describe('DNS rebinding: a domain that resolves to the receiver', () => {
  it('gets 403 for the page, the log and the event endpoints', async () => {
    await storeOneEvent();
    const page = await other.browser.newPage();
    const port = new URL(receiver().url).port;
    const answer = await page.goto(`http://${REBOUND}:${port}/`);
    expect(answer?.status()).toBe(403);
    const statuses = await page.evaluate(
      async (getUrl) =>
        Promise.all([
          fetch('/events').then((response) => response.status),
          fetch('/events', { method: 'DELETE' }).then((response) => response.status),
          fetch(getUrl).then((response) => response.status),
        ]),
      vendorGetUrl('/page_viewjs'),
    );
    expect(statuses).toEqual([403, 403, 403]);
    expect(receiver().events).toHaveLength(1);
    await page.close();
  });
});
