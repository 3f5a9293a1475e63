/**
 * Builds the one record an event becomes, in long names, from what the
 * caller said about the event and what the SDK knows around it. The browser
 * client and the server client both build their records here; the encoders
 * then write it as a GET query or a POST body.
 *
 * One precedence rule, from strongest to weakest:
 *
 *   1. the event's own fields, as the caller gave them to `track`;
 *   2. the order's customer (its hashed PII, `hashed_email` included);
 *   3. the signed-in profile (`identify`, or a server event's `user`): its
 *      `*_user` hashes, its `hashed_email`, its `crm_id`;
 *   4. the session's attribution (page views: the landing page's click id);
 *   5. the context: time, visitor and session, the page's URL, platform and
 *      user agent.
 *
 * So an order's customer email wins over the profile's (the contract says
 * so), an explicit `channel` over the captured one, and an explicit
 * `page_view_url` over the current location. Whichever URL wins loses its
 * PII (`privatePageUrl`).
 */
import { TIMESTAMP_FIELD, type EventName, type FieldName } from './fields.js';
import type { EventRecords, HashedFields, OrderItemRecord, ProfileFields } from './model.js';
import { privatePageUrl } from './pii/page-url.js';
import type { ValidFields } from './validate.js';

/** The event as validated: its fields, an order's items, and its customer's hashes. */
export interface RecordInput {
  fields: ValidFields;
  items?: OrderItemRecord[] | undefined;
  /** An order's customer, hashed (no `_user` fields). */
  customer?: HashedFields | undefined;
}

/** What the SDK knows around the event. */
export interface RecordContext {
  /** Event time, ms since the epoch. */
  timestamp: number;
  visitorId: string;
  sessionId: string;
  /** The signed-in profile: its hashed fields and `crm_id`. */
  profile?: ProfileFields | undefined;
  /** Page views: the session's attribution (`channel`, `channel_click_id`, `external_campaign_id`). */
  attribution?: Partial<Record<FieldName, string>> | undefined;
  /** The page the event happened on, when the input names none (the browser's location). */
  pageUrl?: string | undefined;
  /** Extra query parameter names to strip from page URLs. */
  piiQueryParams?: readonly string[] | undefined;
  /** POST only: `web` or `app`. */
  platform?: string | undefined;
  /** POST only: the end user's user agent. */
  userAgent?: string | undefined;
}

/** Copies the present values of `source` over `record`: an absent one never blanks what a weaker source gave. */
function overlay(record: Record<string, unknown>, source: object | undefined): void {
  if (!source) return;
  const from = source as Record<string, unknown>;
  for (const name of Object.keys(from)) {
    const value = from[name];
    if (value !== undefined && value !== '') record[name] = value;
  }
}

export function buildRecord<E extends EventName>(
  event: E,
  input: RecordInput,
  context: RecordContext,
): EventRecords[E] {
  // 5. The context.
  const record: Record<string, unknown> = {
    [TIMESTAMP_FIELD[event]]: context.timestamp,
    visitor_id: context.visitorId,
    session_id: context.sessionId,
  };
  overlay(record, { platform: context.platform, user_agent: context.userAgent, page_view_url: context.pageUrl });
  // 4 to 1, each over the last.
  if (event === 'page_view') overlay(record, context.attribution);
  overlay(record, context.profile);
  if (event === 'order') overlay(record, input.customer);
  overlay(record, input.fields);
  if (typeof record.page_view_url === 'string') {
    record.page_view_url = privatePageUrl(record.page_view_url, { piiParams: context.piiQueryParams });
  }
  if (event === 'order') record.items = input.items ?? [];
  return record as unknown as EventRecords[E];
}
