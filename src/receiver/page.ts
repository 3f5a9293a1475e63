/**
 * The receiver's one HTML page: a live log of decoded events and refused
 * requests, polled from `/events` and `/requests` every second (same-origin
 * requests, the only kind those routes answer; Clear sends a DELETE). Self-contained
 * (no external script, style or font) so it works offline; values reach the
 * DOM through `textContent` only, never as HTML.
 */

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
code, td.v, pre { font-family: ui-monospace, monospace; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
tr.event { cursor: pointer; }
tr.event:hover { background: #f5f8ff; }
tr.detail td { background: #fafafa; }
td.k { color: #555; white-space: nowrap; width: 1%; }
td.v { word-break: break-all; white-space: pre-line; }
.muted { color: #777; }
.bad { color: #b00020; }
button { font: inherit; }
`;

const SCRIPT = `
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
const open = new Set();
const time = (iso) => new Date(iso).toLocaleTimeString();

function fieldsTable(record, pageUrl) {
  const table = el('table');
  for (const [key, value] of Object.entries(record)) {
    let shown;
    if (key === 'items') {
      shown = el('div');
      value.forEach((item, index) => shown.append(el('div', {}, el('strong', { textContent: 'item ' + (index + 1) }), fieldsTable(item))));
    } else if (key === 'page_view_url' && pageUrl !== undefined && pageUrl !== value) {
      shown = el('div', {}, el('div', { textContent: pageUrl }), el('div', { className: 'muted', textContent: 'as sent: ' + value }));
    } else {
      shown = JSON.stringify(value);
    }
    table.append(el('tr', {}, el('td', { className: 'k', textContent: key }), el('td', { className: 'v' }, shown)));
  }
  return table;
}

function summary(e) {
  const r = e.record;
  if (e.event === 'order') return 'order_id ' + r.order_id + ', ' + r.items.length + ' item(s)';
  return e.pageUrl ?? (r.product_id !== undefined ? 'product_id ' + r.product_id : '');
}

function renderEvents(events) {
  const body = document.getElementById('events');
  body.replaceChildren();
  document.getElementById('count').textContent = events.length + ' event(s)';
  for (const e of [...events].reverse()) {
    const row = el('tr', { className: 'event' },
      el('td', { textContent: e.id }), el('td', { textContent: time(e.receivedAt) }),
      el('td', { textContent: e.event }), el('td', { textContent: e.via + ' ' + e.path }),
      el('td', { className: 'v', textContent: e.record.visitor_id }), el('td', { className: 'v', textContent: e.record.session_id }),
      el('td', { className: 'v', textContent: summary(e) }));
    row.onclick = () => { open.has(e.id) ? open.delete(e.id) : open.add(e.id); renderEvents(events); };
    body.append(row);
    if (open.has(e.id)) body.append(el('tr', { className: 'detail' }, el('td', { colSpan: 7 }, fieldsTable(e.record, e.pageUrl))));
  }
}

function renderRejected(requests) {
  const list = document.getElementById('rejected');
  list.replaceChildren();
  for (const q of [...requests].reverse().filter((q) => q.status !== 200)) {
    const problems = q.problems.map((p) => p.field + (p.index === undefined ? '' : '[' + p.index + ']') + ': ' + p.message);
    if (q.omittedProblems) problems.push('… and ' + q.omittedProblems + ' more');
    list.append(el('tr', {},
      el('td', { textContent: time(q.receivedAt) }), el('td', { className: 'bad', textContent: q.status }),
      el('td', { textContent: (q.via ?? q.method) + ' ' + q.path }),
      el('td', { className: 'v', textContent: problems.join('\\n') || (q.message ?? '') })));
  }
}

async function poll() {
  try {
    const [events, requests] = await Promise.all(['events', 'requests'].map((p) => fetch(p).then((r) => r.json())));
    renderEvents(events);
    renderRejected(requests);
    document.getElementById('status').textContent = 'live';
  } catch {
    document.getElementById('status').textContent = 'receiver not reachable';
  }
}

document.getElementById('clear').onclick = async () => { await fetch('events', { method: 'DELETE' }); open.clear(); poll(); };
document.getElementById('endpoint').textContent = location.origin;
poll();
setInterval(poll, 1000);
`;

/** The whole page, ready to send. */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Symbiosys receiver</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Symbiosys receiver</h1>
<p class="muted">Point the SDK's <code>endpoint</code> option at <code id="endpoint"></code>. <span id="status">…</span> · <span id="count"></span> · <button id="clear">Clear</button></p>
<h2>Events <span class="muted">(click a row for every field, in long names)</span></h2>
<table>
<thead><tr><th>#</th><th>time</th><th>event</th><th>request</th><th>visitor_id</th><th>session_id</th><th>summary</th></tr></thead>
<tbody id="events"></tbody>
</table>
<h2>Refused requests</h2>
<table>
<thead><tr><th>time</th><th>status</th><th>request</th><th>problems</th></tr></thead>
<tbody id="rejected"></tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
