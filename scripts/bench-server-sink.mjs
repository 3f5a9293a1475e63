// The loopback sink of `npm run bench:server`, in its own process so that its
// work is not the senders': answers every POST with 200 at once and counts
// the orders it received. Its parent asks for the count (and resets it) over IPC.
import { createServer } from 'node:http';

let orders = 0;
let requests = 0;
let bad = 0;

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    requests += 1;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (request.url === '/orders' && Array.isArray(body)) orders += body.length;
      else bad += 1;
    } catch {
      bad += 1;
    }
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 2 }).end('{}');
  });
});

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));

process.on('message', (message) => {
  if (message === 'count') process.send({ orders, requests, bad });
  if (message === 'reset') {
    orders = 0;
    requests = 0;
    bad = 0;
    process.send({ reset: true });
  }
  if (message === 'stop') server.close(() => process.exit(0));
});
// The parent went away: do not outlive it.
process.on('disconnect', () => process.exit(0));
