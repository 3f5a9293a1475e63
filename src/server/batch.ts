/**
 * The open `POST /orders` batch: orders gather until the count or byte bound
 * would be crossed, then the batch is sealed into one request body. Orders
 * arrive serialized, so a body is a join, never a second `JSON.stringify`.
 */

import { POST_PATH } from '../core/fields.js';

/** One accepted event, serialized once. */
export interface Queued {
  event: 'page_view' | 'order';
  json: string;
}

/** A request ready to go: its path, body and the events it carries. */
export interface Job {
  path: string;
  json: string;
  events: Queued[];
}

export class OrderBatch {
  readonly #maxCount: number;
  readonly #maxBytes: number;
  #orders: Queued[] = [];
  /** UTF-8 bytes of the body the open batch would make: `[` + orders + commas + `]`. */
  #bytes = 2;

  constructor(maxCount: number, maxBytes: number) {
    this.#maxCount = maxCount;
    this.#maxBytes = maxBytes;
  }

  get size(): number {
    return this.#orders.length;
  }

  /**
   * Adds an order; returns the bodies it sealed (none, one, or two: the open
   * batch it would have overflowed, then itself if it fills a batch alone).
   * An order bigger than `maxBytes` on its own still goes, alone: an order is
   * never split.
   */
  add(order: Queued): Queued[][] {
    const sealed: Queued[][] = [];
    const bytes = Buffer.byteLength(order.json);
    if (this.#orders.length > 0 && this.#bytes + 1 + bytes > this.#maxBytes) sealed.push(this.take());
    this.#bytes += bytes + (this.#orders.length > 0 ? 1 : 0);
    this.#orders.push(order);
    if (this.#orders.length >= this.#maxCount || this.#bytes >= this.#maxBytes) sealed.push(this.take());
    return sealed;
  }

  /** Empties the open batch and returns its orders. */
  take(): Queued[] {
    const orders = this.#orders;
    this.#orders = [];
    this.#bytes = 2;
    return orders;
  }
}

/** The `POST /orders` body for sealed orders: a JSON array, joined from their strings. */
export function ordersJob(orders: Queued[]): Job {
  return { path: POST_PATH.order, json: `[${orders.map((order) => order.json).join(',')}]`, events: orders };
}
