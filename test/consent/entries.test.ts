// @vitest-environment happy-dom
/**
 * The other entries take a consent source too: the tag script's `init`
 * (`consentSource: 'tcf' | 'google'`, by name, as a tag manager can only pass
 * data) and the React provider's `consentSource` prop. Each is proven by the
 * source actually being followed: held while the page's platform is silent
 * or denies by default, sent once it grants.
 */
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getClient, googleConsentMode } from '@acme/symbiosys';
import { SymbiosysProvider } from '@acme/symbiosys/react';
import { startCollector } from '../helpers/collector.js';

const collector = startCollector();
beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
afterAll(() => collector.close());

type Layer = unknown[];
/** The standard gtag function over `window.dataLayer`. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- read through `arguments`, as gtag does
function gtag(...args: unknown[]): void {
  const host = window as unknown as { dataLayer?: Layer };
  host.dataLayer ??= [];
  // eslint-disable-next-line prefer-rest-params -- gtag pushes its arguments object, not an array
  host.dataLayer.push(arguments);
}

describe('googleConsentMode on a page whose data layer is something else', () => {
  it('leaves it alone and reports the silence', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const mine = { push: 'not an array' };
    (window as unknown as { myLayer?: unknown }).myLayer = mine;
    try {
      const reported: string[] = [];
      googleConsentMode({ dataLayerName: 'myLayer' }).start(
        () => reported.push('decision'),
        (error) => reported.push(error.code),
      );
      vi.advanceTimersByTime(10_000);
      expect(reported).toEqual(['consent_unanswered']);
      expect((window as unknown as { myLayer?: unknown }).myLayer).toBe(mine);
      expect(mine).toEqual({ push: 'not an array' });
    } finally {
      vi.useRealTimers();
    }
  });
});

interface TagGlobal {
  init: (options: Record<string, unknown>) => { flush: () => Promise<void> };
  track: (event: 'page_view') => Promise<unknown>;
  tcfConsent: unknown;
}

describe('consent sources through the other entries', () => {
  it('the tag script: init({ consentSource: "google" }) follows Consent Mode', async () => {
    vi.resetModules();
    // The tag script exports nothing: it sets `window.Symbiosys`, as on a page.
    delete (window as { Symbiosys?: unknown }).Symbiosys;
    await import('../../src/tag.js');
    const tag = (window as unknown as { Symbiosys: TagGlobal }).Symbiosys;
    gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied' });
    const client = tag.init({ apiKey: 'test-key', transport: 'fetch', consentSource: 'google' });
    await expect(tag.track('page_view')).resolves.toMatchObject({ status: 'queued', reason: 'consent_pending' });
    gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted' });
    await client.flush();
    expect(collector.received).toHaveLength(1);
    expect(typeof tag.tcfConsent).toBe('function');
  });

  it('the React provider: the consentSource prop is the one the default client follows', async () => {
    vi.resetModules();
    collector.reset();
    (window as unknown as { dataLayer?: Layer }).dataLayer = [];
    const root = createRoot(document.createElement('div'));
    act(() => {
      root.render(
        createElement(SymbiosysProvider, {
          options: { apiKey: 'test-key', transport: 'fetch' },
          consentSource: googleConsentMode(),
        }),
      );
    });
    const client = getClient()!;
    await expect(client.track('page_view')).resolves.toMatchObject({ status: 'queued', reason: 'consent_pending' });
    gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'denied' });
    await client.flush();
    expect(collector.received).toHaveLength(1);
    act(() => root.unmount());
  });
});
