// @vitest-environment happy-dom
/**
 * The vendor document's two example GET URLs, rebuilt from the equivalent
 * long-name input through the public API: every parameter equal, none extra,
 * none missing. The document's hashes are fed as pre-hashed input.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SymbiosysClient } from '@acme/symbiosys';
import { startCollector } from '../helpers/collector.js';
import { vendorGetExample, vendorOrderItems } from '../helpers/vendor.js';
import { useFakeDate } from '../helpers/clock.js';

const KEY = 'test-key';
const TS = 1729696661986;
const collector = startCollector();

const profile = {
  crm_id: 119583788,
  email: 'c61ca4013045d4992166ed703a736fbb7e6d0c3b831ff0721eaf953d460ff0a9',
  phone: '7b7bc2512ee1fedcd76bdc68926d4f7b4ad6eec7e1f1abf2a5e93df18bafad8e',
  phone_e164: 'bd99f4a2bda3f841d3f9a78cf39aa0d6ed7ac712a967351a51915d6c9837c1c3',
  date_of_birth: '32d10c7b8cf96570ca04ce37f2a19d84240d3a89e9c171a8f2f64d4e6b8f6e63',
  first_name: 'a7d3e6d93b41f6a4941347ecb2e3cb5debe8272b2f8a60d2411b5acb739e6ef3',
  last_name: '77b7bbefbf6b6317014acded918b6e253a652d48970ee2f40f9f0f7d11f9e5f6',
  zip_code: 'dc5a53bbedf238b49ef3ea7f41b5d64c8b993c79b7ae9c5b314ab29fa96cf6fa',
  city: '8e9b752be8b1b1c8a76f96e50794e9d45ed4cb16a4fa1a6f2b70f8eebd8ef1be',
  state: 'f84e3c5642a9074536bb68bcb1b99c6a8a97aaab618c2d70ae007eac8315c6ff',
};

function newClient() {
  const errors: unknown[] = [];
  const client = new SymbiosysClient({ apiKey: KEY, transport: 'fetch', onError: (e) => errors.push(e) });
  client.setIds({ visitorId: '01929d42ae1a0016c0cebe6dd43a0508900160810056a', sessionId: '1729694623545' });
  client.identify(profile);
  return { client, errors };
}

useFakeDate(TS);
beforeEach(() => {
  localStorage.clear();
});
afterEach(() => {
  collector.reset();
});
afterAll(() => collector.close());

describe('the vendor document examples', () => {
  it('GET /page_viewjs: every parameter of the example, no more, no less', async () => {
    const { client, errors } = newClient();
    const result = await client.track('page_view', {
      page_view_url:
        'https://www.retailer.com/shop/product/product170830?gclid=CjwKCAiAneK8BhAVEiwAoy2HYQpFqiwODAaicabsXW_8vWawqji1354WiCHj15ZEygWv4sAnqfOBUxoCg-MQAvD_BwE',
      use_att_click_id: false,
      att_click_id: 'zxck87hwbasduuvgaosdf_afl',
      channel: 'google',
      channel_click_id: 'CjwKCAiAneK8BhAVEiwAoy2HYQpFqiwODAaicabsXW_8vWawqji1354WiCHj15ZEygWv4sAnqfOBUxoCg-MQAvD_BwE',
      external_campaign_id: 342524,
      product_id: 170830,
      item_group_id: '3845239',
      category_id: '30087',
      seller_id: '18231233',
      brand: 'nike',
    });
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ status: 'sent', transport: 'fetch', confirmed: true });
    const [request] = collector.received;
    expect(request!.url.origin + request!.path).toBe('https://event.symbiosys.ai/page_viewjs');
    expect(Object.fromEntries(request!.params)).toEqual(Object.fromEntries(vendorGetExample('/page_viewjs', KEY)));
  });

  it('GET /orderjs: every parameter of the example, tilde lists and two-decimal prices included', async () => {
    const { client, errors } = newClient();
    const result = await client.track('order', {
      order_id: 238476923,
      page_view_url: 'https://www.retailer.com/checkout',
      items: vendorOrderItems(),
      customer: {
        email: 'C61CA4013045D4992166ED703A736FBB7E6D0C3B831FF0721EAF953D460FF0A9',
        phone: '9f9d51bc70ef21ca5c14f307980a29d8d6eb68e4b5cf1e6a0e94d1c2c84e6f4d',
        phone_e164: 'ee26b0dd4af7e749aa1a8ee3c10ae992e9a9d7e40452a7c3a2e0a69fef6f1f7c',
        date_of_birth: '98b2979503d318edb1f6d1b802b4e6e0f90d43e5c5c91c1057b5d8a455b53c9b',
        first_name: 'fbade9e36a3f36d3d676c1b808451dd7f7d011e7e50ddaa6f31bfb4e08b0e4a8',
        last_name: '4d186321c1a7f0f354b297e8914ab240e1dbb3f9842f53c111ed84fd0f9f9c5b',
        zip_code: '0b4e7a0e5fe84ad35fb5f95b9ceeac79e4f9c11edaaef9c13d37b12cc9cfcc76',
        city: '6c3e226b4d4795d518ab341b0824ec29d996fc862f451c3dfe2a4ed29fc4b8e2',
        state: '907d14fb3af2b0d4f18c2d46abe8aedce17367bd2d46c9fa3c8f1b60c2549cd8',
      },
    });
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ status: 'sent', confirmed: true });
    const [request] = collector.received;
    expect(request!.url.origin + request!.path).toBe('https://event.symbiosys.ai/orderjs');
    expect(Object.fromEntries(request!.params)).toEqual(Object.fromEntries(vendorGetExample('/orderjs', KEY)));
  });

  it('reads enough of the document to mean something', () => {
    expect(vendorGetExample('/page_viewjs', KEY).size).toBe(25);
    expect(vendorGetExample('/orderjs', KEY).size).toBe(32);
  });
});
