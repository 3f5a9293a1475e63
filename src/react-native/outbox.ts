/**
 * The app's outbox: every accepted event, as its POST body (hashed: no raw
 * PII is ever stored), until the API took it or refused it. Kept in the
 * app's storage, so an app killed offline sends what it held on its next
 * start. Bounded: when full, the oldest page view makes room (an order is
 * worth more than a screen view); full of orders, the new event is refused.
 */
import type { Queued } from '../core/dispatch/batch.js';
import type { StoredValue } from './storage.js';

export interface OutboxEntry extends Queued {
  /** Unique in this outbox, increasing with age. */
  id: number;
  /** When it was tracked, ms since the epoch. */
  at: number;
}

export type AddResult = { added: OutboxEntry; evicted?: OutboxEntry | undefined } | { added: undefined };

function isEntry(value: unknown): value is OutboxEntry {
  const entry = value as Partial<OutboxEntry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    Number.isSafeInteger(entry.id) &&
    Number.isSafeInteger(entry.at) &&
    (entry.event === 'page_view' || entry.event === 'order') &&
    typeof entry.json === 'string'
  );
}

export class AppOutbox {
  readonly #stored: StoredValue;
  readonly #maxSize: number;
  /** In insertion order: oldest first. */
  readonly #entries = new Map<number, OutboxEntry>();
  #nextId = 1;

  constructor(stored: StoredValue, maxSize: number) {
    this.#stored = stored;
    this.#maxSize = maxSize;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Reads what a previous run left, before anything is added; returns it, oldest first. Unreadable entries are skipped. */
  async load(): Promise<OutboxEntry[]> {
    const text = await this.#stored.read();
    let stored: unknown;
    try {
      stored = text === undefined ? [] : JSON.parse(text);
    } catch {
      stored = [];
    }
    const restored = (Array.isArray(stored) ? stored : []).filter(isEntry);
    for (const entry of restored) {
      this.#entries.set(entry.id, entry);
      this.#nextId = Math.max(this.#nextId, entry.id + 1);
    }
    return restored;
  }

  /** Keeps a new event, making room if it must. */
  add(event: Queued, at: number): AddResult {
    let evicted: OutboxEntry | undefined;
    if (this.#entries.size >= this.#maxSize) {
      evicted = this.#oldestPageView();
      if (evicted === undefined) return { added: undefined };
      this.#entries.delete(evicted.id);
    }
    const added: OutboxEntry = { event: event.event, json: event.json, id: this.#nextId++, at };
    this.#entries.set(added.id, added);
    this.#persist();
    return { added, evicted };
  }

  has(entry: OutboxEntry): boolean {
    return this.#entries.get(entry.id) === entry;
  }

  /** Forgets delivered or refused entries. */
  remove(entries: readonly OutboxEntry[]): void {
    let changed = false;
    for (const entry of entries) changed = this.#entries.delete(entry.id) || changed;
    if (changed) this.#persist();
  }

  clear(): void {
    this.#entries.clear();
    this.#persist();
  }

  #oldestPageView(): OutboxEntry | undefined {
    for (const entry of this.#entries.values()) if (entry.event === 'page_view') return entry;
    return undefined;
  }

  #persist(): void {
    const entries = this.#entries;
    this.#stored.set(() => (entries.size === 0 ? null : JSON.stringify([...entries.values()])));
  }
}
