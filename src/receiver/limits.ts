/**
 * The receiver's bounds: how much work, memory and output one request can
 * cost. Input from the network decides none of them. Each number is a
 * refusal or a cut that legitimate traffic from the SDK never meets: a flood
 * gets a short 400 or a line cut short, never a 500, a huge reply, or memory
 * that stays taken.
 */

/** A request body past this gets 413. A GET order is at most 8,000 characters; a server batch (500 kB by default) fits with room. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * JSON nesting deeper than this is refused before parsing. The deepest valid
 * body has four levels (batch, order, items, item); twice that still lets a
 * wrong value be named by its field.
 */
export const MAX_JSON_DEPTH = 8;

/**
 * Array elements plus object members in one JSON body, counted before
 * parsing. Validation costs about one problem per entry, so this bounds it.
 * Real orders spend 15–50 bytes an entry (the vendor's example order: 44
 * entries in 2,137 bytes), so a full `MAX_BODY_BYTES` of them stays below;
 * floods of `{}` or `0` (2–3 bytes an entry) do not.
 */
export const MAX_JSON_ENTRIES = 50_000;

/** Orders in one `POST /orders` batch: ten times the server client's default batch of 100. */
export const MAX_BATCH_ORDERS = 1_000;

/**
 * Items in one order. A GET order's 8,000 characters hold far fewer; the cap
 * keeps the problems of one order's items well below what zod can gather
 * (it spreads them as call arguments, which overflows near 120,000).
 */
export const MAX_ORDER_ITEMS = 1_000;

/**
 * Problems listed in a 400 answer, the request log and its terminal line; the
 * rest are counted. One event's worth of problems always fits (an order has
 * about 30 fields); a batch with a problem in each of 100 orders just fits.
 */
export const MAX_PROBLEMS_LISTED = 100;

/**
 * A problem's field and message are cut to this many characters. Messages
 * are ours and shorter; a field can be named from the input (an unknown key
 * or parameter is any length).
 */
export const MAX_PROBLEM_TEXT = 200;

/**
 * Accepted events kept in memory (and served by `GET /events`): the newest
 * stay. The live page fetches them every second; a long session of clicking
 * through a demo shop stays below it, and `--file` keeps every one.
 */
export const MAX_KEPT_EVENTS = 1_000;

/** Requests kept in memory (and served by `GET /requests`): the newest stay. */
export const MAX_KEPT_REQUESTS = 1_000;

/**
 * Each of those two lists is also kept under this many bytes of JSON: a
 * thousand realistic events take 1–3 MB, but a thousand events of 1 MiB
 * would take a gigabyte.
 */
export const MAX_KEPT_BYTES = 8 * 1024 * 1024;

/** A terminal log line is cut to this many characters: one screen, enough for a few problems. */
export const MAX_LOG_LINE = 1_000;

/**
 * Order ids and sessions the warnings remember (to tell a repeated order id,
 * a visitor id that changed within a session): the newest of each. Far more
 * than the events kept, so a repeat is caught long after its first event has
 * left `GET /events`; each entry is an id or two, some 100 bytes.
 */
export const MAX_RECALLED = 10_000;
