// @vitest-environment happy-dom
/**
 * From the platform's signals to the wire, through the real adapters and the
 * real client (fast-check): whatever a TCF CMP's events or the page's Consent
 * Mode commands say, in any order, no request carries a hash or `crm_id`
 * unless the signals grant user data, and nothing is sent or stored while
 * they deny storage.
 */
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SymbiosysClient, googleConsentMode, tcfConsent, type ConsentSource } from '@acme/symbiosys';
import type { TcfData } from '../../src/browser/consent-tcf.js';
import { startCollector } from '../helpers/collector.js';

const collector = startCollector();
type Host = { __tcfapi?: unknown; dataLayer?: unknown[] };
function clearBrowser(): void {
  collector.reset();
  localStorage.clear();
  document.cookie.split(';').forEach((c) => (document.cookie = `${c.split('=')[0]}=; max-age=0; path=/`));
  delete (window as Host).__tcfapi;
  delete (window as Host).dataLayer;
}
afterEach(clearBrowser);
afterAll(() => collector.close());

const USER_DATA = (name: string) => name === 'crmid' || name.startsWith('hashed_');
const sdkStored = () =>
  document.cookie.split(';').some((c) => c.trim().startsWith('_sym_') && !c.trim().endsWith('=')) ||
  Object.keys(localStorage).some((key) => key.startsWith('_sym_'));
let orders = 0;
const ORDER = () => ({
  order_id: `a-${++orders}`,
  crm_id: 'crm-order',
  customer: { email: 'buyer@example.com' },
  items: [{ product_id: 'p1', quantity: 1 }],
});

/**
 * Runs the steps: each is the platform's signal (`signal`) or a track call;
 * after each, `check` gets what was sent during it.
 */
async function run(
  source: ConsentSource,
  steps: Array<{ signal: () => void } | { track: 'page_view' | 'order' }>,
  check: (sent: Array<Map<string, string>>) => void,
): Promise<void> {
  const sdk = new SymbiosysClient({
    apiKey: 'test-key',
    transport: 'fetch',
    pageViewDedupeMs: 0,
    consentSource: source,
  });
  sdk.identify({ email: 'jane@example.com', crm_id: 'crm-9' });
  for (const step of steps) {
    const before = collector.received.length;
    if ('signal' in step) step.signal();
    else void sdk.track(step.track, step.track === 'order' ? ORDER() : undefined);
    await sdk.flush();
    check(collector.received.slice(before).map(({ params }) => params));
  }
  sdk.setConsent('denied');
}

const trackStep = fc.constantFrom({ track: 'page_view' as const }, { track: 'order' as const });

describe('signals to the wire', () => {
  it('TCF: any sequence of CMP events', async () => {
    const purposes = fc.dictionary(fc.constantFrom('1', '2', '7', '9'), fc.boolean());
    const tcData = fc.record({
      gdprApplies: fc.constantFrom(true, false, undefined),
      eventStatus: fc.constantFrom('tcloaded', 'useractioncomplete', 'cmpuishown'),
      purpose: fc.record({ consents: purposes }),
      vendor: fc.record({ consents: fc.dictionary(fc.constantFrom('1234', '5'), fc.boolean()) }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            tcData.map((data) => ({ data })),
            trackStep,
          ),
          { maxLength: 10 },
        ),
        fc.constantFrom(undefined, 1234),
        async (steps, vendorId) => {
          clearBrowser();
          let listener: ((data: TcfData, success: boolean) => void) | undefined;
          (window as Host).__tcfapi = (command: string, _v: number, callback: typeof listener) => {
            if (command === 'addEventListener') listener = callback;
          };
          // The last decision (banner shown: unchanged) and what its signals allow.
          let storageDenied = true;
          let userDataAllowed = false;
          const signal = (data: TcfData) => () => {
            expect(listener).toBeDefined(); // The adapter found the CMP at once.
            listener!(data, true);
            if (data.eventStatus === 'cmpuishown' && data.gdprApplies !== false) {
              userDataAllowed = false; // Pending: nothing goes.
              return;
            }
            const consented = (id: number) => data.purpose?.consents?.[id] === true;
            const vendor = vendorId === undefined || data.vendor?.consents?.[vendorId] === true;
            const off = data.gdprApplies !== false;
            storageDenied = off && !(consented(1) && vendor);
            userDataAllowed = !off || (consented(1) && consented(7) && vendor);
          };
          await run(
            tcfConsent(vendorId === undefined ? {} : { vendorId }),
            steps.map((step) => ('data' in step ? { signal: signal(step.data) } : step)),
            (sent) => {
              if (!userDataAllowed) for (const params of sent) expect([...params.keys()].filter(USER_DATA)).toEqual([]);
              if (storageDenied) {
                expect(sent).toEqual([]);
                expect(sdkStored()).toBe(false);
              }
            },
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('Consent Mode: any sequence of default and update commands', async () => {
    const value = fc.constantFrom('granted', 'denied', undefined);
    const command = fc.record({
      command: fc.constantFrom('default', 'update'),
      params: fc.record({ ad_storage: value, ad_user_data: value }, { requiredKeys: [] }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(command, trackStep), { maxLength: 10 }), async (steps) => {
        clearBrowser();
        (window as Host).dataLayer = [];
        // What the signals allow: the last update's value, or before any update, a default that granted.
        const last: Record<string, string | undefined> = {};
        const defaultGranted: Record<string, boolean> = {};
        const allows = (name: string) => last[name] === 'granted' || (last[name] === undefined && defaultGranted[name]);
        const signal =
          ({ command: name, params }: { command: string; params: Record<string, string | undefined> }) =>
          () => {
            // eslint-disable-next-line @typescript-eslint/no-unused-vars -- read through `arguments`, as gtag does
            function gtag(...args: unknown[]): void {
              // eslint-disable-next-line prefer-rest-params -- as gtag pushes it
              (window as Host).dataLayer!.push(arguments);
            }
            gtag('consent', name, params);
            for (const key of ['ad_storage', 'ad_user_data']) {
              if (params[key] === undefined) continue;
              if (name === 'update') last[key] = params[key];
              else if (params[key] === 'granted') defaultGranted[key] = true;
            }
          };
        await run(
          googleConsentMode(),
          steps.map((step) => ('command' in step ? { signal: signal(step) } : step)),
          (sent) => {
            if (!allows('ad_storage')) expect(sent).toEqual([]);
            if (last['ad_storage'] === 'denied') expect(sdkStored()).toBe(false);
            if (!allows('ad_user_data')) {
              for (const params of sent) expect([...params.keys()].filter(USER_DATA)).toEqual([]);
            }
          },
        );
      }),
      { numRuns: 40 },
    );
  });
});
