/**
 * The inspector page in real Chromium: the summary header, each event's
 * keys, score and warnings (in colour, not only text), the per-visitor
 * timeline with its session boundaries, and values that try to inject
 * script shown as text. The run leaves a screenshot for a person to look at:
 * test-results/receiver-inspector.png.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/receiver/index.js';
import { launchBrowser } from '../browser/helpers/chromium.js';
import { call, postJson, useReceiver } from './harness.js';

const SCREENSHOT = fileURLToPath(new URL('../../test-results/receiver-inspector.png', import.meta.url));

const receiver = useReceiver();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

const hash = (digit: string): string => digit.repeat(64);
const SHOPPER = 'a1'.repeat(22) + 'a';
const LEAKY = 'b2'.repeat(22) + 'b';
const RETURNING = 'c3'.repeat(22) + 'c';
const INJECTION = '<img src=x onerror="window.__pwned=1">';

const PROFILE = {
  hashed_email: hash('1'),
  hashed_phone_user: hash('2'),
  hashed_first_name_user: hash('3'),
  hashed_last_name_user: hash('4'),
  hashed_zip_code_user: hash('5'),
};
const CUSTOMER = {
  hashed_email: hash('1'),
  hashed_phone: hash('2'),
  hashed_phone_e164: hash('6'),
  hashed_first_name: hash('3'),
  hashed_last_name: hash('4'),
  hashed_zip_code: hash('5'),
  hashed_date_of_birth: hash('7'),
  hashed_city: hash('8'),
  hashed_state: hash('9'),
};

function pageView(visitor: string, session: number, url: string, fields: Record<string, unknown> = {}) {
  return {
    page_view_ts: Date.now(),
    visitor_id: visitor,
    session_id: String(session),
    page_view_url: encodeURIComponent(url),
    ...fields,
  };
}

function order(visitor: string, session: number, orderId: string, fields: Record<string, unknown> = {}) {
  return {
    order_ts: Date.now(),
    visitor_id: visitor,
    session_id: String(session),
    order_id: orderId,
    items: [{ product_id: '170830', quantity: 1, regular_unit_price: 10, discount_unit_price: 5 }],
    ...fields,
  };
}

/** Three visitors: a clean journey from an ad click, a leaky one, and one back for a second session. */
async function sendVisits(): Promise<void> {
  const session = Date.now() - 60_000;
  const shop = 'https://shop.example';
  const posts: Array<['/page_view' | '/orders', unknown]> = [
    [
      '/page_view',
      pageView(SHOPPER, session, `${shop}/product/170830?gclid=demo-click-1`, {
        channel: 'google',
        channel_click_id: 'demo-click-1',
      }),
    ],
    ['/page_view', pageView(SHOPPER, session, `${shop}/product/310552`)],
    ['/page_view', pageView(SHOPPER, session, `${shop}/checkout`, PROFILE)],
    ['/orders', [order(SHOPPER, session, '1001', { ...CUSTOMER, crm_id: 'c-42' })]],
    ['/page_view', pageView(LEAKY, session + 1, `${shop}/welcome?email=jane.doe%40example.com`)],
    [
      '/orders',
      [
        order(LEAKY, session + 1, INJECTION, {
          items: [
            {
              product_id: '<script>window.__pwned=2</script>',
              quantity: 2,
              regular_unit_price: 20,
              discount_unit_price: 25,
            },
          ],
        }),
      ],
    ],
    ['/orders', [order(LEAKY, session + 1, INJECTION, { hashed_email: hash('a') })]],
    ['/page_view', pageView(RETURNING, session - 86_400_000, `${shop}/`)],
    ['/page_view', pageView(RETURNING, session + 2, `${shop}/product/170830`)],
  ];
  for (const [path, body] of posts) expect((await postJson(receiver(), path, body)).status).toBe(200);
}

async function openInspector(): Promise<{ page: Page; cspErrors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const cspErrors: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
  });
  await page.goto(`${receiver().url}/`);
  await expect.poll(() => page.locator('#events tr.event').count(), { timeout: 5000 }).toBe(9);
  return { page, cspErrors };
}

describe('the inspector page', () => {
  it('shows the summary, scores in colour, warnings, the timeline; injected markup stays text', async () => {
    await sendVisits();
    const { page, cspErrors } = await openInspector();
    const summary = (await call(receiver(), '/summary')).body as Summary;

    // The header says what GET /summary says.
    expect(await page.textContent('#sum-events')).toBe(String(summary.events));
    expect(await page.textContent('#sum-score')).toBe(`${summary.averageScore} / 10`);
    expect(await page.textContent('#sum-warned')).toBe(String(summary.eventsWithWarnings));
    const kinds = await page.locator('#sum-warnings .chip.warn').allTextContents();
    expect(kinds.sort()).toEqual(
      Object.entries(summary.warnings)
        .filter(([, count]) => count > 0)
        .map(([kind, count]) => `${kind} ${count}`)
        .sort(),
    );
    expect(kinds).toContain('repeated_order_id 1');

    // Scores: the clean order is good, the bare page view poor, told apart by colour too.
    const rows = page.locator('#events tr.event');
    const cleanOrder = rows.filter({ hasText: 'order_id 1001' });
    expect(await cleanOrder.locator('.score').getAttribute('class')).toBe('score good');
    expect(await cleanOrder.locator('.score').textContent()).toBe('10');
    const bare = rows.filter({ hasText: 'https://shop.example/product/310552' });
    expect(await bare.locator('.score').getAttribute('class')).toBe('score poor');
    const background = (row: typeof bare) =>
      row.locator('.score').evaluate((node) => getComputedStyle(node).backgroundColor);
    expect(await background(cleanOrder)).not.toBe(await background(bare));
    expect(await bare.locator('.chip.add').allTextContents()).toEqual(['+ email', '+ phone', '+ first name']);

    // Warnings: chips on the row, the full text beneath it, an amber mark.
    const warnedRows = page.locator('#events tr.event.warned');
    expect(await warnedRows.count()).toBe(3);
    const leakyOrder = warnedRows.filter({ hasText: 'discount_above_regular' });
    expect(await leakyOrder.locator('.chip.warn').allTextContents()).toEqual([
      '⚠ no_customer_hash',
      '⚠ discount_above_regular',
    ]);
    const warningText = await page.locator('#events tr.warnings').allTextContents();
    expect(warningText.join('\n')).toContain('the page URL carries an email address, the PII parameter(s) "email"');

    // The timeline: one lane per visitor, newest first; landing -> page views -> order; sessions marked.
    const lanes = page.locator('#visitors .visitor');
    expect(await lanes.count()).toBe(3);
    const shopper = lanes.filter({ hasText: 'visitor a1a1' });
    const steps = await shopper
      .locator('.step')
      .evaluateAll((nodes: HTMLElement[]) =>
        nodes.map((node): [string, string | null] => [node.getAttribute('class') ?? '', node.textContent]),
      );
    expect(steps).toEqual([
      ['step landing', '2.25 landing /product/170830 · google click demo-click-1'],
      ['step', '1 /product/310552'],
      ['step', '8 /checkout'],
      ['step order', '10 order 1001 · 1 item(s)'],
    ]);
    expect(await shopper.locator('.session').count()).toBe(1);
    expect(await lanes.filter({ hasText: 'visitor c3c3' }).locator('.session').count()).toBe(2);

    // Script injection: shown as text, never run.
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#events').textContent()).toContain(`order_id ${INJECTION}`);
    expect(await page.locator('#events img, #visitors img, #events script').count()).toBe(0);
    expect(cspErrors).toEqual([]);

    mkdirSync(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });
});
