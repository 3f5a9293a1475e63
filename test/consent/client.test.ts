// @vitest-environment happy-dom
/**
 * The client under the two decisions (storage, user data), however they
 * arrive: a consent source, or `setConsent` with one state or both
 * decisions. Over any sequence of decisions and calls (fast-check): no
 * request carries a hash or `crm_id` while user data is not granted, and
 * nothing is stored or sent while storage is not granted.
 */
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SymbiosysClient, type ConsentDecisions, type ConsentSource, type SymbiosysError } from '@acme/symbiosys';
import { startCollector } from '../helpers/collector.js';

const collector = startCollector();
function clearBrowser(): void {
  collector.reset();
  localStorage.clear();
  document.cookie.split(';').forEach((c) => (document.cookie = `${c.split('=')[0]}=; max-age=0; path=/`));
}
afterEach(clearBrowser);
afterAll(() => collector.close());

/** A consent source the test speaks for. */
function testSource() {
  let update: ((decisions: ConsentDecisions) => void) | undefined;
  const source: ConsentSource = {
    start(listener) {
      update = listener;
      return () => (update = undefined);
    },
  };
  return { source, decide: (decisions: ConsentDecisions) => update?.(decisions) };
}

const USER_DATA = (name: string) => name === 'crmid' || name.startsWith('hashed_');
/** The cookies with a value (happy-dom lists a removed cookie as `name=`) and the localStorage keys. */
const stored = () => ({
  cookies: document.cookie
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c !== '' && !c.endsWith('='))
    .join('; '),
  local: Object.keys(localStorage),
});
const PROFILE = { email: 'jane@example.com', phone_e164: '+33612345678', crm_id: 'crm-9' };
let orders = 0;
const order = () => ({
  order_id: `o-${++orders}`,
  crm_id: 'crm-order',
  customer: { email: 'buyer@example.com', first_name: 'Ann' },
  items: [{ product_id: 'p1', quantity: 1 }],
});
const client = (source: ConsentSource, onError?: (error: SymbiosysError) => void) =>
  new SymbiosysClient({
    apiKey: 'test-key',
    transport: 'fetch',
    pageViewDedupeMs: 0,
    consentSource: source,
    ...(onError && { onError }),
  });

describe('consent decisions in the client', () => {
  it('starts pending with a source: events kept, nothing stored or sent, then sent once granted', async () => {
    const { source, decide } = testSource();
    const sdk = client(source);
    history.replaceState(null, '', '/landing?gclid=late-banner');
    await expect(sdk.track('page_view')).resolves.toMatchObject({ status: 'queued', reason: 'consent_pending' });
    await sdk.flush(500);
    expect(collector.received).toEqual([]);
    expect(stored()).toEqual({ cookies: '', local: [] });
    decide({ storage: 'granted', userData: 'granted' });
    await sdk.flush();
    expect(collector.received).toHaveLength(1);
    expect(collector.received[0]!.params.get('cclid')).toBe('late-banner');
    history.replaceState(null, '', '/');
  });

  it('storage granted, user data denied: events go without any hash or crm_id, and no PII is hashed', async () => {
    const { source, decide } = testSource();
    const sdk = client(source);
    sdk.identify(PROFILE);
    decide({ storage: 'granted', userData: 'denied' });
    await sdk.track('page_view');
    await sdk.track('order', order());
    await sdk.flush();
    expect(collector.received).toHaveLength(2);
    for (const { params } of collector.received) {
      expect([...params.keys()].filter(USER_DATA)).toEqual([]);
      expect(params.get('vid')).toMatch(/^[0-9a-f]{45}$/);
    }
    // Granted later: the profile given while denied is hashed then, and sent.
    decide({ storage: 'granted', userData: 'granted' });
    await sdk.track('order', order());
    await sdk.flush();
    const last = collector.received[2]!.params;
    expect(last.get('crmid')).toBe('crm-order');
    expect(last.has('hashed_email')).toBe(true);
    expect(last.has('hashed_phone_e164_user')).toBe(true);
  });

  it('no PII is even read for hashing before user data is granted (its problems are reported only then)', () => {
    const errors: string[] = [];
    const { source, decide } = testSource();
    const sdk = client(source, (error) => errors.push(`${error.code} ${error.field ?? ''}`));
    sdk.identify({ email: 'not-an-email' });
    decide({ storage: 'granted', userData: 'pending' });
    decide({ storage: 'granted', userData: 'denied' });
    expect(errors).toEqual([]);
    decide({ storage: 'granted', userData: 'granted' });
    expect(errors).toEqual(['invalid_pii user.email']);
  });

  it('Global Privacy Control still wins over a source that grants', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { get: () => true, configurable: true });
    try {
      const { source, decide } = testSource();
      const sdk = client(source);
      decide({ storage: 'granted', userData: 'granted' });
      await expect(sdk.track('page_view')).resolves.toMatchObject({ status: 'dropped', reason: 'consent_denied' });
      expect(stored()).toEqual({ cookies: '', local: [] });
    } finally {
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    }
    expect(collector.received).toEqual([]);
  });

  it('setConsent takes the two decisions too, and still one word for both', async () => {
    const sdk = new SymbiosysClient({
      apiKey: 'test-key',
      transport: 'fetch',
      consent: 'pending',
      pageViewDedupeMs: 0,
    });
    sdk.identify(PROFILE);
    sdk.setConsent({ storage: 'granted', userData: 'denied' });
    await sdk.track('page_view');
    sdk.setConsent('granted');
    await sdk.track('page_view');
    sdk.setConsent({ storage: 'granted', userData: 'bogus' } as never); // Ignored: not a decision.
    await sdk.track('page_view');
    await sdk.flush();
    const hashed = collector.received.map(({ params }) => [...params.keys()].some(USER_DATA));
    expect(hashed).toEqual([false, true, true]);
    sdk.setConsent('denied');
    expect(stored()).toEqual({ cookies: '', local: [] });
  });

  it('a withdrawal through the source denies from then on and clears the SDK storage', async () => {
    const { source, decide } = testSource();
    const sdk = client(source);
    decide({ storage: 'granted', userData: 'granted' });
    await sdk.track('page_view');
    await sdk.flush();
    expect(stored().local.length).toBeGreaterThan(0);
    decide({ storage: 'denied', userData: 'denied' });
    expect(stored()).toEqual({ cookies: '', local: [] });
    await expect(sdk.track('page_view')).resolves.toMatchObject({ status: 'dropped', reason: 'consent_denied' });
    expect(collector.received).toHaveLength(1);
  });

  it('a source that never speaks leaves the client pending and is reported once, after 10 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const errors: string[] = [];
      const { tcfConsent } = await import('@acme/symbiosys');
      const sdk = client(tcfConsent(), (error) => errors.push(error.code));
      await expect(sdk.track('page_view')).resolves.toMatchObject({ status: 'queued', reason: 'consent_pending' });
      vi.advanceTimersByTime(9_900);
      expect(errors).toEqual([]);
      vi.advanceTimersByTime(60_000);
      expect(errors).toEqual(['consent_unanswered']);
      expect(stored()).toEqual({ cookies: '', local: [] });
    } finally {
      vi.useRealTimers();
    }
    expect(collector.received).toEqual([]);
  });

  const decision = fc.constantFrom<ConsentDecisions['storage']>('granted', 'denied', 'pending');
  const step = fc.oneof(
    fc.record({ decide: fc.record({ storage: decision, userData: decision }) }),
    fc.constant({ track: 'page_view' as const }),
    fc.constant({ track: 'order' as const }),
    fc.constant({ identify: true }),
  );

  it('over any sequence: no hash or crm_id unless user data is granted; nothing stored or sent while storage is denied', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        clearBrowser();
        const { source, decide } = testSource();
        const sdk = client(source);
        let userData = false; // Both granted by the last decision.
        let storageOff = true; // Never granted yet, or denied since.
        for (const s of steps) {
          const before = collector.received.length;
          if ('decide' in s) {
            decide(s.decide);
            userData = s.decide.storage === 'granted' && s.decide.userData === 'granted';
            if (s.decide.storage !== 'pending') storageOff = s.decide.storage === 'denied';
          } else if ('track' in s) {
            void sdk.track(s.track, s.track === 'order' ? order() : undefined);
          } else sdk.identify(PROFILE);
          await sdk.flush();
          const sent = collector.received.slice(before);
          if (!userData) for (const { params } of sent) expect([...params.keys()].filter(USER_DATA)).toEqual([]);
          if (storageOff) {
            expect(sent).toEqual([]);
            expect(stored()).toEqual({ cookies: '', local: [] });
          }
        }
        sdk.setConsent('denied'); // No state leaks into the next run.
      }),
      { numRuns: 40 },
    );
  });
});
