/**
 * The open `POST /orders` batch: orders gather until the count or byte bound
 * would be crossed, or until the first of them has waited `flushIntervalMs`;
 * then the batch is sealed into one request. Orders arrive serialized, so a
 * body is a join, never a second `JSON.stringify`. The batch owns its timer.
 */
import { POST_PATH } from '../fields.js';

/** One accepted event, serialized once. */
export interface Queued {
  event: 'page_view' | 'order';
  json: string;
}

/** A request ready to go: its path, body and the events it carries. */
export interface Job<T extends Queued = Queued> {
  path: string;
  json: string;
  events: T[];
}

export interface BatchLimits {
  /** Orders per request. */
  maxCount: number;
  /** UTF-8 bytes per body; a single larger order still goes, alone. */
  maxBytes: number;
  /** How long the first order waits for company. */
  flushIntervalMs: number;
}

const ASCII = /^[\0-\x7f]*$/;

/**
 * UTF-8 bytes of a string, without `Buffer` or `TextEncoder` (neither exists
 * everywhere the batch runs). A lone surrogate counts as U+FFFD, 3 bytes
 * (`JSON.stringify` escapes them anyway).
 */
function utf8Length(text: string): number {
  if (ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export class OrderBatch<T extends Queued> {
  readonly #limits: BatchLimits;
  readonly #sealed: (job: Job<T>) => void;
  #orders: T[] = [];
  /** UTF-8 bytes of the body the open batch would make: `[` + orders + commas + `]`. */
  #bytes = 2;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `sealed` receives each request the batch makes, in order. */
  constructor(limits: BatchLimits, sealed: (job: Job<T>) => void) {
    this.#limits = limits;
    this.#sealed = sealed;
  }

  get size(): number {
    return this.#orders.length;
  }

  /**
   * Adds an order, sealing the open batch first if the order would overflow
   * it, and after if the order fills it. An order is never split.
   */
  add(order: T): void {
    const bytes = utf8Length(order.json);
    if (this.#orders.length > 0 && this.#bytes + 1 + bytes > this.#limits.maxBytes) this.seal();
    this.#bytes += bytes + (this.#orders.length > 0 ? 1 : 0);
    this.#orders.push(order);
    if (this.#orders.length >= this.#limits.maxCount || this.#bytes >= this.#limits.maxBytes) this.seal();
    else this.#startTimer();
  }

  /** Seals the open batch, if any, into a request now. */
  seal(): void {
    const orders = this.take();
    if (orders.length > 0) this.#sealed(ordersJob(orders));
  }

  /** Empties the open batch without making a request of it. */
  take(): T[] {
    this.#stopTimer();
    const orders = this.#orders;
    this.#orders = [];
    this.#bytes = 2;
    return orders;
  }

  #startTimer(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.seal();
    }, this.#limits.flushIntervalMs);
    // A batch waiting for company must not keep a Node process alive (close() flushes it); elsewhere there is no unref.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #stopTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The `POST /orders` request for these orders: a JSON array, joined from their strings. */
export function ordersJob<T extends Queued>(orders: T[]): Job<T> {
  return { path: POST_PATH.order, json: `[${orders.map((order) => order.json).join(',')}]`, events: orders };
}

/** The `POST /page_view` request for one page view. */
export function pageViewJob<T extends Queued>(pageView: T): Job<T> {
  return { path: POST_PATH.page_view, json: pageView.json, events: [pageView] };
}
