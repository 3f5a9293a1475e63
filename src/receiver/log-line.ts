/** The one line the receiver prints per request to an event endpoint. */
import type { OrderRecord } from '../core/model.js';
import type { ListedProblems } from './problems.js';
import type { ReceivedEvent, RequestMeta } from './event-log.js';
import { shorten } from './text.js';
import { warningKind } from './warnings.js';

const MAX_URL = 80;

function orderTotal(order: OrderRecord): string {
  const total = order.items.reduce(
    (sum, item) => sum + (item.quantity ?? 0) * (item.discount_unit_price ?? item.regular_unit_price ?? 0),
    0,
  );
  return total.toFixed(2);
}

/** `200 GET /orderjs order oid=238476923 items=2 total=25.00 vid=… sid=… url=… score=9 ! no_customer_hash` */
export function eventLine(event: ReceivedEvent): string {
  const { record } = event;
  const parts = [`200 ${event.via.padEnd(6)} ${event.path} ${event.event}`];
  if (event.event === 'order') {
    parts.push(`oid=${event.record.order_id} items=${event.record.items.length} total=${orderTotal(event.record)}`);
  } else if (event.record.product_id !== undefined) {
    parts.push(`prodid=${event.record.product_id}`);
  }
  parts.push(`vid=${shorten(record.visitor_id, 16)} sid=${record.session_id}`);
  if (event.pageUrl !== undefined) parts.push(`url=${shorten(event.pageUrl, MAX_URL)}`);
  parts.push(`score=${event.match.score}`);
  const kinds = event.warnings.map(warningKind);
  if (kinds.length > 0) parts.push(`! ${kinds.join(' ')}`);
  return parts.join(' ');
}

/**
 * `400 GET /orderjs qty[1]: expected a positive integer; vid: is required`;
 * with problems beyond those listed, their count first: `400 POST /orders 5000 problems: …`.
 */
export function refusalLine(
  meta: RequestMeta,
  status: number,
  { problems, omittedProblems }: ListedProblems,
  message?: string,
): string {
  const head = `${status} ${(meta.via ?? meta.method).padEnd(6)} ${meta.path}`;
  if (problems.length === 0) return message === undefined ? head : `${head} ${message}`;
  const count = omittedProblems > 0 ? ` ${problems.length + omittedProblems} problems:` : '';
  const reasons = problems.map(
    (problem) => `${problem.field}${problem.index === undefined ? '' : `[${problem.index}]`}: ${problem.message}`,
  );
  return `${head}${count} ${reasons.join('; ')}`;
}

/** `--- POST /orders the client went away before its body ended`: nothing to answer, nothing stored. */
export function goneLine(meta: RequestMeta): string {
  return `--- ${(meta.via ?? meta.method).padEnd(6)} ${meta.path} the client went away before its body ended`;
}
