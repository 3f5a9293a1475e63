// @vitest-environment happy-dom
import { beforeEach, describe, expect, test, vi } from 'vitest';
import {
  Attribution,
  ATTRIBUTION_KEY,
  DEFAULT_CAMPAIGN_PARAMS,
  DEFAULT_CLICK_IDS,
  readAttribution,
} from '../../src/browser/attribution.js';
import { Identity } from '../../src/browser/identity.js';
import { createKeyValueStore } from '../../src/browser/storage.js';
import { resetBrowser } from './helpers.js';

const SHOP = 'https://www.retailer.com/shop/product/product170830';
const GCLID = 'CjwKCAiAneK8BhAVEiwAoy2HYQpFqiwODAaicabsXW_8vWawqji1354WiCHj15ZEygWv4sAnqfOBUxoCg-MQAvD_BwE';
const MIN = 60_000;
const T0 = 1_729_694_623_545;

beforeEach(() => {
  resetBrowser();
});

describe('readAttribution', () => {
  test('the vendor example URL', () => {
    expect(readAttribution(`${SHOP}?gclid=${GCLID}&utm_id=342524`)).toEqual({
      channel: 'google',
      channel_click_id: GCLID,
      external_campaign_id: '342524',
    });
  });

  test.each(Object.entries(DEFAULT_CLICK_IDS))('%s -> %s', (param, channel) => {
    expect(readAttribution(`${SHOP}?x=1&${param}=click-1`)).toEqual({ channel, channel_click_id: 'click-1' });
  });

  test('the default table', () => {
    expect(DEFAULT_CLICK_IDS).toEqual({
      gclid: 'google',
      gbraid: 'google',
      wbraid: 'google',
      dclid: 'google',
      fbclid: 'facebook',
      msclkid: 'microsoft',
      ttclid: 'tiktok',
      twclid: 'x',
      li_fat_id: 'linkedin',
      ScCid: 'snapchat',
      epik: 'pinterest',
    });
    expect(DEFAULT_CAMPAIGN_PARAMS).toEqual(['utm_id', 'gad_campaignid', 'campaign_id']);
  });

  test.each([
    ['the table order wins over the URL order', '?fbclid=F&gclid=G', { channel: 'google', channel_click_id: 'G' }],
    ['names are case-sensitive', '?GCLID=G&sccid=S', {}],
    ['ScCid exactly', '?ScCid=S', { channel: 'snapchat', channel_click_id: 'S' }],
    ['an empty click id is skipped', '?gclid=&fbclid=F', { channel: 'facebook', channel_click_id: 'F' }],
    ['a blank click id is skipped', '?gclid=%20%20', {}],
    ['values are decoded', '?fbclid=a%2Fb%3Dc', { channel: 'facebook', channel_click_id: 'a/b=c' }],
    ['campaign params in priority order', '?campaign_id=3&gad_campaignid=2&utm_id=1', { external_campaign_id: '1' }],
    ['gad_campaignid', '?gad_campaignid=22&campaign_id=3', { external_campaign_id: '22' }],
    ['campaign_id', '?campaign_id=3', { external_campaign_id: '3' }],
    ['no parameters', '', {}],
    ['a click id in the fragment is not read', '#gclid=G', {}],
  ])('%s', (_, query, expected) => {
    expect(readAttribution(SHOP + query)).toEqual(expected);
  });

  test.each([['/product?gclid=G'], ['?gclid=G']])('relative URL %s', (url) => {
    expect(readAttribution(url)).toEqual({ channel: 'google', channel_click_id: 'G' });
  });

  test('an unparsable URL carries nothing and does not throw', () => {
    expect(readAttribution('http://[bad')).toEqual({});
  });

  test('custom tables', () => {
    expect(readAttribution(`${SHOP}?yclid=Y&gclid=G`, { yclid: 'yandex' })).toEqual({
      channel: 'yandex',
      channel_click_id: 'Y',
    });
    expect(readAttribution(`${SHOP}?cid=9`, {}, ['cid'])).toEqual({ external_campaign_id: '9' });
  });
});

describe('Attribution holder', () => {
  const setup = (options: ConstructorParameters<typeof Attribution>[1] = {}) => {
    let now = T0;
    const store = createKeyValueStore('localStorage', { now: () => now });
    const identity = new Identity(store, { now: () => now });
    const attribution = new Attribution(store, { ...options, now: () => now });
    const view = (url: string, at: number) => {
      now = at;
      return attribution.forPageView(url, identity.idsForEvent(at));
    };
    return { store, attribution, view };
  };

  test('captured on landing, kept for the session, shared with another tab', () => {
    const { view, store } = setup();
    const landing = { channel: 'google', channel_click_id: 'G1', external_campaign_id: '7' };
    expect(view(`${SHOP}?gclid=G1&utm_id=7`, T0)).toEqual(landing);
    expect(view(`${SHOP}/next`, T0 + MIN)).toEqual(landing);
    expect(view('https://www.retailer.com/cart', T0 + 20 * MIN)).toEqual(landing);
    expect(JSON.parse(localStorage.getItem(ATTRIBUTION_KEY)!.split('|')[1]!)).toEqual({ sid: String(T0), ...landing });
    // A second tab (its own store over the same localStorage) in the same session.
    const tab2 = new Attribution(createKeyValueStore('localStorage', { now: () => T0 + 21 * MIN }));
    expect(tab2.forPageView(`${SHOP}/other`, { sessionId: String(T0), isNewSession: false })).toEqual(landing);
    expect(store.get(ATTRIBUTION_KEY)).toBeDefined();
  });

  test('cleared when a new session starts', () => {
    const { view } = setup();
    view(`${SHOP}?fbclid=F`, T0);
    const later = T0 + 31 * MIN;
    expect(view(SHOP, later)).toEqual({});
    expect(localStorage.getItem(ATTRIBUTION_KEY)).toBeNull();
  });

  test('a new session landing with a click id replaces the old one', () => {
    const { view } = setup();
    view(`${SHOP}?fbclid=F`, T0);
    expect(view(`${SHOP}?ttclid=T`, T0 + 60 * MIN)).toEqual({ channel: 'tiktok', channel_click_id: 'T' });
  });

  test("another session's record is never used, even if this tab missed the session start", () => {
    const { attribution } = setup();
    attribution.forPageView(`${SHOP}?gclid=G`, { sessionId: 'old', isNewSession: true });
    expect(attribution.forPageView(SHOP, { sessionId: 'new', isNewSession: false })).toEqual({});
    expect(localStorage.getItem(ATTRIBUTION_KEY)).toBeNull();
  });

  test('a later click id in the session replaces the landing one, campaign included', () => {
    const { view } = setup();
    view(`${SHOP}?gclid=G&utm_id=7`, T0);
    expect(view(`${SHOP}?msclkid=M`, T0 + MIN)).toEqual({ channel: 'microsoft', channel_click_id: 'M' });
    expect(view(SHOP, T0 + 2 * MIN)).toEqual({ channel: 'microsoft', channel_click_id: 'M' });
  });

  test('a campaign id alone does not displace a click id, but is kept when there is none', () => {
    const { view } = setup();
    view(`${SHOP}?gclid=G`, T0);
    expect(view(`${SHOP}?utm_id=9`, T0 + MIN)).toEqual({ channel: 'google', channel_click_id: 'G' });
    localStorage.clear(); // Another browser.
    const fresh = setup();
    fresh.view(SHOP, T0);
    expect(fresh.view(`${SHOP}?utm_id=9`, T0 + MIN)).toEqual({ external_campaign_id: '9' });
    expect(fresh.view(SHOP, T0 + 2 * MIN)).toEqual({ external_campaign_id: '9' });
  });

  test('no storage write per page view while nothing changes', () => {
    const { view, store } = setup();
    const set = vi.spyOn(store, 'set');
    view(`${SHOP}?gclid=G`, T0);
    const attributionWrites = () => set.mock.calls.filter(([key]) => key === ATTRIBUTION_KEY).length;
    expect(attributionWrites()).toBe(1);
    for (let i = 1; i <= 20; i++) view(`${SHOP}?gclid=G&page=${i}`, T0 + i * MIN);
    expect(attributionWrites()).toBe(1);
    view(`${SHOP}?gclid=G2`, T0 + 21 * MIN);
    expect(attributionWrites()).toBe(2);
  });

  test('the record outlives a long session: rewritten past half its day', () => {
    const { view } = setup();
    view(`${SHOP}?gclid=G`, T0);
    let t = T0;
    for (; t < T0 + 26 * 60 * MIN; t += 20 * MIN)
      expect(view(SHOP, t)).toEqual({ channel: 'google', channel_click_id: 'G' });
  });

  test('the table can be extended, overridden, or have entries switched off', () => {
    const { view } = setup({ clickIds: { yclid: 'yandex', gclid: 'adwords', fbclid: '' } });
    expect(view(`${SHOP}?yclid=Y`, T0)).toEqual({ channel: 'yandex', channel_click_id: 'Y' });
    expect(view(`${SHOP}?gclid=G&yclid=Y`, T0 + MIN)).toEqual({ channel: 'adwords', channel_click_id: 'G' });
    expect(view(`${SHOP}?fbclid=F`, T0 + 2 * MIN)).toEqual({ channel: 'adwords', channel_click_id: 'G' });
  });

  test('a corrupted record is ignored', () => {
    localStorage.setItem(ATTRIBUTION_KEY, `${T0 + 3_600_000}|{not json`);
    const { view } = setup();
    expect(view(SHOP, T0)).toEqual({});
    expect(view(`${SHOP}?epik=E`, T0 + MIN)).toEqual({ channel: 'pinterest', channel_click_id: 'E' });
  });

  test('clear forgets it', () => {
    const { view, attribution } = setup();
    view(`${SHOP}?gclid=G`, T0);
    attribution.clear();
    expect(localStorage.getItem(ATTRIBUTION_KEY)).toBeNull();
  });
});
