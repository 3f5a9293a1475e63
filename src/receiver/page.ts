/**
 * The receiver's one HTML page, an inspector to keep open while integrating:
 * a summary header (events, average match score, warnings by kind), a
 * timeline per visitor (landing with its click id, page views, orders,
 * session boundaries), each event with its keys, score and warnings, and the
 * refused requests. It polls `/summary`, `/events` and `/requests` every
 * second (same-origin requests, the only kind those routes answer; Clear
 * sends a DELETE).
 *
 * Self-contained (no external script, style or font) so it works offline.
 * Values reach the DOM through `textContent` only, never as HTML; the
 * Content-Security-Policy (`PAGE_CSP`) runs only this page's own script and
 * style, by hash, so even markup that slipped through could run nothing.
 */
import { createHash } from 'node:crypto';
import { MATCH_KEYS } from './match.js';

/** Each match field's key, as the page labels it (`hashed_phone_e164_user` -> `phone`). */
const KEY_LABELS: Record<string, string> = Object.fromEntries(
  MATCH_KEYS.flatMap((key) => key.fields.map((field) => [field, key.name])),
);

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; background: #fff; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
code, td.v, pre, .id { font-family: ui-monospace, monospace; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
tr.event { cursor: pointer; }
tr.event:hover { background: #f5f8ff; }
tr.event.warned td:first-child { box-shadow: inset 4px 0 #e69500; }
tr.warnings td { background: #fff8e6; color: #6b4500; border-bottom: 1px solid #f0d9a8; font-size: 13px; }
tr.detail td { background: #fafafa; }
td.k { color: #555; white-space: nowrap; width: 1%; }
td.v { word-break: break-all; white-space: pre-line; }
.muted { color: #777; }
.bad { color: #b00020; }
button { font: inherit; }
.cards { display: flex; gap: .75rem; flex-wrap: wrap; margin: 1rem 0; }
.card { border: 1px solid #ddd; border-radius: 8px; padding: .6rem .9rem; min-width: 9rem; }
.card.wide { flex: 1; min-width: 18rem; }
.label { color: #666; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.big { font-size: 1.6rem; font-weight: 600; }
.chips { display: flex; flex-wrap: wrap; gap: .3rem; margin-top: .25rem; }
.chip { display: inline-block; border-radius: 999px; padding: .05rem .55rem; font-size: 12px; background: #eef0f3; color: #333; white-space: nowrap; }
.chip.key { background: #e6effa; color: #18406e; }
.chip.add { background: #fff; color: #666; border: 1px dashed #bbb; }
.chip.warn { background: #ffe7b3; color: #6b4500; }
.chip.none { background: #eef0f3; color: #888; }
.score { display: inline-block; border-radius: 6px; padding: 0 .45rem; font-weight: 600; }
.score.good { background: #dcf3e3; color: #0f6a2f; }
.score.fair { background: #fff0cc; color: #7a5200; }
.score.poor { background: #fde2e6; color: #a0001c; }
.visitor { border: 1px solid #e4e4e4; border-radius: 8px; padding: .5rem .75rem; margin-bottom: .6rem; }
.visitor-head { margin-bottom: .35rem; }
.steps { display: flex; flex-wrap: wrap; align-items: center; gap: .35rem; }
.step { border: 1px solid #d5d9e0; border-radius: 6px; padding: .15rem .5rem; font-size: 12px; background: #fbfcfe; }
.step.landing { border-color: #5b8def; background: #eaf1ff; }
.step.order { border-color: #8e5bd6; background: #f3ecfd; }
.step.warned { border-color: #e69500; box-shadow: inset 0 -3px #e69500; }
.arrow { color: #999; }
.session { font-size: 11px; color: #555; border-left: 3px solid #999; padding-left: .4rem; margin-left: .3rem; }
`;

const SCRIPT = `
const KEY_LABELS = ${JSON.stringify(KEY_LABELS)};
const MAX_VISITORS = 20;
const MAX_STEPS = 40;
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
const open = new Set();
const time = (iso) => new Date(iso).toLocaleTimeString();
const kindOf = (warning) => warning.slice(0, warning.indexOf(':'));
const grade = (score) => (score >= 7 ? 'good' : score >= 4 ? 'fair' : 'poor');
const short = (text, max) => (text.length <= max ? text : text.slice(0, max - 1) + '…');

function scoreBadge(score) {
  const shown = score === null ? '–' : String(score);
  const className = 'score ' + (score === null ? '' : grade(score));
  return el('span', { className, textContent: shown, title: score === null ? '' : 'match score ' + score + ' / 10 (' + grade(score) + ')' });
}

function labels(fields) {
  return [...new Set(fields.map((field) => KEY_LABELS[field] ?? field))];
}

function keyChips(match) {
  const chips = el('div', { className: 'chips' });
  for (const label of labels(match.keys)) chips.append(el('span', { className: 'chip key', textContent: label }));
  for (const label of labels(match.missing)) chips.append(el('span', { className: 'chip add', textContent: '+ ' + label, title: 'missing: add it to match more' }));
  return chips;
}

function warningChips(warnings) {
  const chips = el('div', { className: 'chips' });
  if (warnings.length === 0) chips.append(el('span', { className: 'chip none', textContent: 'none' }));
  for (const warning of warnings) chips.append(el('span', { className: 'chip warn', textContent: '⚠ ' + kindOf(warning), title: warning }));
  return chips;
}

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

function eventRow(e, events) {
  const row = el('tr', { className: 'event' + (e.warnings.length > 0 ? ' warned' : '') },
    el('td', { textContent: e.id }), el('td', { textContent: time(e.receivedAt) }),
    el('td', { textContent: e.event }), el('td', { textContent: e.via + ' ' + e.path }),
    el('td', {}, scoreBadge(e.match.score)), el('td', {}, keyChips(e.match)), el('td', {}, warningChips(e.warnings)),
    el('td', { className: 'v', textContent: summary(e) }));
  row.onclick = () => { open.has(e.id) ? open.delete(e.id) : open.add(e.id); renderEvents(events); };
  return row;
}

function renderEvents(events) {
  const body = document.getElementById('events');
  body.replaceChildren();
  document.getElementById('count').textContent = events.length + ' event(s) kept';
  for (const e of [...events].reverse()) {
    body.append(eventRow(e, events));
    if (e.warnings.length > 0) body.append(el('tr', { className: 'warnings' }, el('td', { colSpan: 8 }, ...e.warnings.map((w) => el('div', { textContent: '⚠ ' + w })))));
    if (open.has(e.id)) body.append(el('tr', { className: 'detail' }, el('td', { colSpan: 8 }, fieldsTable(e.record, e.pageUrl))));
  }
}

function stepLabel(e) {
  const r = e.record;
  if (e.event === 'order') return 'order ' + short(String(r.order_id), 24) + ' · ' + r.items.length + ' item(s)';
  const click = r.channel_click_id ?? r.att_click_id;
  let where = 'page view';
  try { if (e.pageUrl) where = short(new URL(e.pageUrl).pathname, 40); } catch {}
  if (click !== undefined) return 'landing ' + where + ' · ' + (r.channel ? r.channel + ' ' : '') + 'click ' + short(String(click), 24);
  return where;
}

function step(e) {
  const r = e.record;
  const kind = e.event === 'order' ? ' order' : r.channel_click_id !== undefined || r.att_click_id !== undefined ? ' landing' : '';
  const node = el('span', { className: 'step' + kind + (e.warnings.length > 0 ? ' warned' : ''), title: '#' + e.id + ' ' + time(e.receivedAt) + (e.warnings.length ? '\\n' + e.warnings.join('\\n') : '') },
    scoreBadge(e.match.score), ' ' + stepLabel(e));
  if (e.warnings.length > 0) node.append(' ⚠' + e.warnings.length);
  return node;
}

/** A session id is its start in ms: a time today, a date and time before. */
function sessionStart(sid) {
  if (!/^\\d{13}$/.test(sid)) return sid;
  const start = new Date(Number(sid));
  return start.toDateString() === new Date().toDateString() ? start.toLocaleTimeString() : start.toLocaleString();
}

function visitorLane(visitorId, events) {
  const shown = events.slice(-MAX_STEPS);
  const sessions = new Set(events.map((e) => String(e.record.session_id))).size;
  const steps = el('div', { className: 'steps' });
  if (shown.length < events.length) steps.append(el('span', { className: 'muted', textContent: '… ' + (events.length - shown.length) + ' earlier' }));
  let session;
  for (const e of shown) {
    const sid = String(e.record.session_id);
    if (sid !== session) {
      session = sid;
      steps.append(el('span', { className: 'session', textContent: 'session ' + sessionStart(sid) }));
    } else steps.append(el('span', { className: 'arrow', textContent: '→' }));
    steps.append(step(e));
  }
  const head = el('div', { className: 'visitor-head' }, el('strong', { textContent: 'visitor ' }), el('span', { className: 'id', textContent: short(visitorId, 16) }),
    el('span', { className: 'muted', textContent: ' · ' + events.length + ' event(s) · ' + sessions + ' session(s)' }));
  return el('div', { className: 'visitor' }, head, steps);
}

function renderVisitors(events) {
  const byVisitor = new Map();
  for (const e of events) {
    const id = String(e.record.visitor_id);
    const list = byVisitor.get(id) ?? [];
    list.push(e);
    // Re-inserted, so the Map's order is by each visitor's latest event.
    byVisitor.delete(id);
    byVisitor.set(id, list);
  }
  const lanes = [...byVisitor].reverse().slice(0, MAX_VISITORS).map(([id, list]) => visitorLane(id, list));
  document.getElementById('visitors').replaceChildren(...lanes);
}

function renderSummary(s) {
  document.getElementById('sum-events').textContent = s.events;
  document.getElementById('sum-score').replaceChildren(scoreBadge(s.averageScore), el('span', { className: 'muted', textContent: ' / 10' }));
  document.getElementById('sum-warned').textContent = s.eventsWithWarnings;
  const chips = el('div', { className: 'chips' });
  for (const [kind, count] of Object.entries(s.warnings)) chips.append(el('span', { className: 'chip ' + (count > 0 ? 'warn' : 'none'), textContent: kind + ' ' + count }));
  document.getElementById('sum-warnings').replaceChildren(chips);
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
    const [events, requests, totals] = await Promise.all(['events', 'requests', 'summary'].map((p) => fetch(p).then((r) => r.json())));
    renderSummary(totals);
    renderVisitors(events);
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

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The page's policy: its own script and style (by hash), fetches to its own
 * origin, and nothing else; no other site may frame it and steal a click on
 * its Clear button.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

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
<section class="cards" id="summary">
<div class="card"><div class="label">events</div><div class="big" id="sum-events">0</div></div>
<div class="card"><div class="label">average match score</div><div class="big" id="sum-score"></div></div>
<div class="card"><div class="label">events with warnings</div><div class="big" id="sum-warned">0</div></div>
<div class="card wide"><div class="label">warnings by kind</div><div id="sum-warnings"></div></div>
</section>
<h2>Visitors <span class="muted">(newest first: landing with its click id → page views → order; a grey bar starts a session)</span></h2>
<div id="visitors"></div>
<h2>Events <span class="muted">(newest first; click a row for every field, in long names)</span></h2>
<table>
<thead><tr><th>#</th><th>time</th><th>event</th><th>request</th><th>score</th><th>keys (+ missing)</th><th>warnings</th><th>summary</th></tr></thead>
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
