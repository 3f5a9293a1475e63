// Runs in the bench page (serialized by page.evaluate): times each call with
// performance.now() around the synchronous part only, from calling until the
// call returns (for track: until it returns its promise).

/** @param {{ runs: number, warmup: number, origin: string }} options */
export async function benchInPage({ runs, warmup, origin }) {
  const { sdk, SymbiosysPii } = window;
  // A macrotask without setTimeout's 4 ms clamp: lets beacons and fetches go out between calls.
  const channel = new MessageChannel();
  const yieldTask = () =>
    new Promise((resolve) => {
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(0);
    });
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // How many events of a kind the sink has answered so far.
  const sunk = async (kind) => (await (await fetch('/bench/sunk')).json())[kind];

  async function measure(call, kind) {
    const times = new Float64Array(runs);
    const outcomes = {};
    const before = kind ? await sunk(kind) : 0;
    for (let i = -warmup; i < runs; i++) {
      const t0 = performance.now();
      const result = call(i + warmup);
      const t1 = performance.now();
      if (i >= 0) times[i] = (t1 - t0) * 1000;
      const settled = await result;
      if (settled && i >= 0) {
        const key = settled.status === 'sent' ? `sent/${settled.transport}` : `${settled.status}/${settled.reason}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
      await yieldTask();
      // Chromium refuses keepalive requests (beacons too, after sendBeacon said yes) once a few
      // hundred wait for an answer: keep at most ~50 in flight by waiting for the sink to catch up.
      if (kind && i % 25 === 0) {
        while ((await sunk(kind)) - before < i + warmup + 1 - 50) await sleep(2);
      }
    }
    return { times: Array.from(times), outcomes };
  }

  const client = new sdk.SymbiosysClient({ apiKey: 'bench-key', endpoint: origin, transport: 'auto' });
  client.identify({
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
  });

  // A new product each call: the same page view twice within a second is dropped as a repeat.
  const pageView = await measure(
    (i) =>
      client.track('page_view', {
        product_id: String(100000 + i),
        item_group_id: '3845239',
        category_id: '30087',
        seller_id: '18231233',
        brand: 'nike',
      }),
    'page_view',
  );

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
  // A new order id each call: a repeated id is dropped as a duplicate before any work.
  const order = await measure(
    (i) => client.track('order', { order_id: `bench-${Date.now()}-${i}`, items, customer }),
    'order',
  );

  // The SDK's own work: the same calls with the network call itself stubbed out (and storage
  // kept), so what is left is validation, hashing, ids, encoding and the outbox.
  const realBeacon = navigator.sendBeacon;
  const realFetch = window.fetch;
  navigator.sendBeacon = () => true;
  window.fetch = () => Promise.resolve(new Response(null, { status: 200 }));
  let ownWork;
  try {
    const own = new sdk.SymbiosysClient({ apiKey: 'bench-key', endpoint: origin, transport: 'auto' });
    own.identify({
      email: 'Jane.Doe@Example.com',
      phone: '(650) 555-1212',
      first_name: 'Jane',
      last_name: 'Doe',
      date_of_birth: '1990-01-31',
      zip_code: '10001',
      city: 'New York',
      state: 'NY',
      country: 'US',
    });
    ownWork = {
      pageView: await measure((i) => own.track('page_view', { product_id: String(900000 + i) })),
      order: await measure((i) => own.track('order', { order_id: `own-${Date.now()}-${i}`, items, customer })),
    };
  } finally {
    navigator.sendBeacon = realBeacon;
    window.fetch = realFetch;
  }

  // The browser's own share: the same requests, same URL lengths, sent without the SDK.
  const { urlLength } = await (await fetch('/bench/sunk')).json();
  const refUrl = (length) => {
    const head = `/ref?api_key=bench-key&n=`;
    return `${head}${'a'.repeat(Math.max(0, length - origin.length - head.length))}`;
  };
  const beaconUrl = refUrl(urlLength.page_view);
  const fetchUrl = refUrl(urlLength.order);
  const beaconAlone = await measure(() => void navigator.sendBeacon(`${beaconUrl}${Math.random()}`), 'ref');
  const fetchAlone = await measure(
    () =>
      fetch(`${fetchUrl}${Math.random()}`, { keepalive: true, credentials: 'omit', mode: 'cors' }).then(
        () => undefined,
      ),
    'ref',
  );

  const strings = ['jane.doe@example.com', '16505551212', '+16505551212', 'jane', 'doe', '10001', 'newyork', 'ny'];
  let sink = '';
  const hashing = await measure(() => {
    for (const text of strings) sink = SymbiosysPii.sha256Hex(text);
  });
  if (sink.length !== 64) throw new Error('sha256Hex gave no hash');

  // The smallest step performance.now() takes here: browsers coarsen it (5 µs when cross-origin isolated).
  let resolution = Infinity;
  for (let i = 0; i < 2000; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    resolution = Math.min(resolution, b - a);
  }
  return {
    pageView,
    order,
    ownWork,
    hashing,
    beaconAlone,
    fetchAlone,
    urlLength,
    resolutionUs: resolution * 1000,
    isolated: crossOriginIsolated,
    userAgent: navigator.userAgent,
  };
}
