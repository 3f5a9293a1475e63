// A tiny checkout backend: POST /checkout takes the cart as JSON, and the
// order goes to Symbiosys from the server (not the browser), joined to the
// browser's visitor and session through the SDK's first-party cookies.
//
//   npx tsup   # builds dist/server.js
//   SYMBIOSYS_ENDPOINT=http://127.0.0.1:8787 SYMBIOSYS_API_KEY=test-key node examples/node-server/server.mjs
import { createServer } from 'node:http';
import { SymbiosysServerClient, readIdsFromCookieHeader } from '../../dist/server.js';

const symbiosys = new SymbiosysServerClient({
  apiKey: process.env.SYMBIOSYS_API_KEY ?? 'test-key',
  environment: 'development',
  // A local receiver (or a proxy) in place of the vendor's hosts.
  ...(process.env.SYMBIOSYS_ENDPOINT ? { endpoint: process.env.SYMBIOSYS_ENDPOINT } : {}),
  defaultCountry: 'US',
  // Fields are named, values never are: safe for logs.
  onError: (error, events) =>
    console.warn(`[symbiosys] ${error.code} ${error.field ?? ''} ${error.message} (${events.length} events)`),
});

function readJson(req, limit = 100_000) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/checkout') {
    res.writeHead(404).end();
    return;
  }
  let checkout;
  try {
    checkout = await readJson(req);
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid JSON"}');
    return;
  }
  // ... charge the card, store the order ...
  const ids = readIdsFromCookieHeader(req.headers.cookie);
  const result = symbiosys.track('order', {
    visitor_id: ids.visitor_id ?? checkout.visitor_id,
    session_id: ids.session_id ?? checkout.session_id,
    user_agent: req.headers['user-agent'],
    order_id: checkout.order_id,
    items: checkout.items,
    customer: checkout.customer,
    ...(checkout.user ? { user: checkout.user } : {}),
  });
  // Tracking never decides the checkout: answer the customer whatever it says.
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      ok: true,
      order_id: checkout.order_id,
      tracking: result.status,
      problems: result.errors.map((e) => e.field),
    }),
  );
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`checkout server on http://127.0.0.1:${server.address().port}/checkout`);
});

// Deliver what is batched before the process goes.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    server.close();
    const { undelivered } = await symbiosys.close({ timeoutMs: 5000 });
    if (undelivered.length) console.warn(`[symbiosys] ${undelivered.length} events not delivered`);
    process.exit(0);
  });
}
