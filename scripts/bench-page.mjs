// Runs in the bench page (each function is serialized by page.evaluate, so it
// may use nothing from this module's scope): the calls under test, each
// started from its own task and followed by a quiet gap, so that everything a
// call causes (its request, the answer, promise settlement, storage) happens
// inside its window of the trace. Each call starts with a `performance.mark`
// the trace reader cuts windows at.

/**
 * Creates `window.bench`: a signed-in client, the inputs, and one function
 * per scenario taking the call's index. Floors send the URL the SDK sent
 * last for that event, its `ts` swapped for a counter of the same length.
 * @param {{ origin: string }} options
 */
export function setUpBench({ origin }) {
  const { sdk } = window;
  const client = new sdk.SymbiosysClient({ apiKey: 'bench-key', endpoint: origin, transport: 'auto' });
  const profile = {
    crm_id: '119583788',
    email: 'Jane.Doe@Example.com',
    phone: '(650) 555-1212',
    first_name: 'Jane',
    last_name: 'Doe',
    date_of_birth: '1990-01-31',
    zip_code: '10001',
    city: 'New York',
    state: 'NY',
    country: 'US',
  };
  client.identify(profile);
  const items = Array.from({ length: 10 }, (_, k) => ({
    product_id: String(170830 + k),
    item_group_id: '3845239',
    category_id: '30087',
    seller_id: '18231233',
    brand: 'nike',
    quantity: 1 + (k % 3),
    regular_unit_price: 10 + k,
    discount_unit_price: 5 + k,
  }));
  const customer = {
    email: 'Pat.Buyer@Example.com',
    phone: '+1 (212) 555-0188',
    first_name: 'Pat',
    last_name: 'Buyer',
    zip_code: '10001-2345',
    city: 'New York',
    state: 'New York',
    country: 'US',
  };
  // The last URL the SDK sent per event, seen where the browser takes it (set by `captureUrls`).
  const sent = { page_view: '', order: '' };
  let serial = 1e12;
  const sameUrl = (event) => sent[event].replace(/([?&]ts=)\d{13}/, (_, head) => `${head}${serial++}`);
  // Unique per call: a repeated product within a second is not sent, a repeated order id never.
  const run = `${Date.now()}`;
  window.bench = {
    sent,
    // For scenarios added later (`bench-profile.mjs`): the same order and profile.
    inputs: { profile, items, customer },
    scenarios: {
      idle: () => undefined,
      'sdk page_view': (i) =>
        client.track('page_view', {
          product_id: String(100000 + i),
          item_group_id: '3845239',
          category_id: '30087',
          seller_id: '18231233',
          brand: 'nike',
        }),
      'sdk order': (i) => client.track('order', { order_id: `bench-${run}-${i}`, items, customer }),
      'sendBeacon page_view': () => void navigator.sendBeacon(sameUrl('page_view')),
      'sendBeacon order': () => void navigator.sendBeacon(sameUrl('order')),
      // As the SDK sends an order: keepalive, no credentials, the answer awaited.
      'fetch order': () =>
        fetch(sameUrl('order'), { keepalive: true, credentials: 'omit' }).then(
          () => undefined,
          () => undefined,
        ),
    },
  };
}

/** Records the URLs the SDK hands to the browser, for the floors to send the same. */
export async function captureUrls() {
  const { bench } = window;
  const beacon = navigator.sendBeacon.bind(navigator);
  const realFetch = window.fetch;
  navigator.sendBeacon = (url, data) => {
    bench.sent[String(url).includes('/orderjs') ? 'order' : 'page_view'] = String(url);
    return beacon(url, data);
  };
  window.fetch = (url, init) => {
    bench.sent[String(url).includes('/orderjs') ? 'order' : 'page_view'] = String(url);
    return realFetch(url, init);
  };
  try {
    await bench.scenarios['sdk page_view'](-1);
    await bench.scenarios['sdk order'](-1);
  } finally {
    delete navigator.sendBeacon; // The prototype's own again.
    window.fetch = realFetch;
  }
  if (!bench.sent.page_view || !bench.sent.order)
    throw new Error(`the SDK sent nothing: ${JSON.stringify(bench.sent)}`);
  return { page_view: bench.sent.page_view.length, order: bench.sent.order.length };
}

/**
 * Runs `calls` calls of one scenario, `gapMs` apart, each from a fresh timer
 * task, then waits `tailMs` for what they left for later (a held lock's
 * release, say). Returns the synchronous part of each call (µs, until it
 * returned) and what the SDK's calls resolved to.
 * @param {{ scenario: string, calls: number, gapMs: number, tailMs: number, first: number }} options
 */
export async function runCalls({ scenario, calls, gapMs, tailMs, first }) {
  const call = window.bench.scenarios[scenario];
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const sync = [];
  const outcomes = {};
  await sleep(gapMs);
  for (let i = 0; i < calls; i++) {
    performance.mark('bench:call');
    const t0 = performance.now();
    const result = call(first + i);
    const t1 = performance.now();
    sync.push((t1 - t0) * 1000);
    const settled = await result;
    if (settled) {
      const key = settled.status === 'sent' ? `sent/${settled.transport}` : `${settled.status}/${settled.reason}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    await sleep(gapMs);
  }
  performance.mark('bench:call');
  await sleep(tailMs);
  performance.mark('bench:tail');
  performance.clearMarks();
  return { sync, outcomes };
}

/** The smallest step of performance.now() here (5 µs when cross-origin isolated). */
export function timerStep() {
  let step = Infinity;
  for (let i = 0; i < 2000; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    step = Math.min(step, b - a);
  }
  return { stepUs: step * 1000, isolated: crossOriginIsolated, userAgent: navigator.userAgent };
}
