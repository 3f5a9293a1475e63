/**
 * Events not yet confirmed delivered. Kept in localStorage so a reload, a
 * crash or an offline spell loses nothing, and shared by the tabs of one
 * browser: a tab takes an entry with a short lease, so two tabs never send the
 * same entry at once, and a closed tab's entries pass to the next page load.
 * Bounded in count and bytes: page views are dropped first, oldest first;
 * orders last. Falls back to memory when storage fails or consent forbids it.
 */
import type { EventName } from '../core/fields.js';
import { localStorageOrNull } from './storage.js';

export interface OutboxEntry {
  id: string;
  event: EventName;
  url: string;
  orderId?: string;
  createdAt: number;
  attempts: number;
  /** Until this time (ms) one tab holds the entry; others leave it alone. */
  lease: number;
  /** Handed to the browser (beacon, or keepalive fetch cut off by unload) with no answer seen. */
  unconfirmed?: true;
}

export type OutboxDropReason = 'queue_full' | 'expired';

export interface OutboxOptions {
  maxCount: number;
  maxBytes: number;
  now: () => number;
  onDrop: (entry: OutboxEntry, reason: OutboxDropReason) => void;
}

export const OUTBOX_KEY = '_sym_outbox';
/** An entry older than this is given up, so storage never fills with the undeliverable. */
export const OUTBOX_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

function removeStored(): void {
  try {
    localStorageOrNull()?.removeItem(OUTBOX_KEY);
  } catch {
    // Nothing to remove where storage is blocked.
  }
}

export class Outbox {
  private _memory: OutboxEntry[] = [];
  private _persisted = false;

  constructor(private readonly _options: OutboxOptions) {}

  /** Persist from now on (consent granted) or keep in memory only (pending, denied, no storage). */
  setPersistent(persist: boolean): void {
    const held = this._read();
    const was = this._persisted;
    this._persisted = persist && localStorageOrNull() !== null;
    // Becoming persistent must keep what earlier page loads left, not overwrite it.
    this._write(this._persisted && !was ? [...this._read(), ...held] : held);
  }

  private _read(): OutboxEntry[] {
    if (!this._persisted) return this._memory;
    try {
      const parsed: unknown = JSON.parse(localStorageOrNull()?.getItem(OUTBOX_KEY) || '[]');
      return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
    } catch {
      return this._memory;
    }
  }

  private _write(entries: OutboxEntry[]): void {
    this._memory = entries;
    if (!this._persisted) return;
    try {
      if (entries.length) return localStorageOrNull()?.setItem(OUTBOX_KEY, JSON.stringify(entries));
    } catch {
      // Quota or blocked: carry on in memory, and leave no stale copy that
      // another tab or the next page load would send a second time.
      this._persisted = false;
    }
    removeStored();
  }

  private _update(change: (entries: OutboxEntry[]) => OutboxEntry[]): OutboxEntry[] {
    const next = change(this._read());
    this._write(next);
    return next;
  }

  entries(): readonly OutboxEntry[] {
    return this._read();
  }

  has(id: string): boolean {
    return this._read().some((entry) => entry.id === id);
  }

  /** Adds an entry, then trims to the bounds; returns false when the entry itself was dropped. */
  add(entry: OutboxEntry): boolean {
    const { maxCount, maxBytes, onDrop } = this._options;
    return this._update((entries) => {
      const next = [...entries, entry];
      let bytes = next.reduce((sum, e) => sum + e.url.length, 0);
      while (next.length > maxCount || bytes > maxBytes) {
        const index = next.findIndex((e) => e.event === 'page_view');
        const [victim] = next.splice(index === -1 ? 0 : index, 1);
        if (!victim) break;
        bytes -= victim.url.length;
        onDrop(victim, 'queue_full');
      }
      return next;
    }).includes(entry);
  }

  patch(id: string, change: Partial<OutboxEntry>): void {
    this._update((entries) => entries.map((e) => (e.id === id ? { ...e, ...change } : e)));
  }

  remove(id: string): void {
    this._update((entries) => entries.filter((e) => e.id !== id));
  }

  /** Takes the entries no tab holds (dropping expired ones) and holds them for `leaseMs`. */
  leaseWaiting(leaseMs: number): OutboxEntry[] {
    const now = this._options.now();
    const claimed: OutboxEntry[] = [];
    this._update((entries) =>
      entries.flatMap((e) => {
        if (now - e.createdAt > OUTBOX_MAX_AGE_MS) {
          this._options.onDrop(e, 'expired');
          return [];
        }
        if (e.lease > now) return [e];
        const held = { ...e, lease: now + leaseMs };
        claimed.push(held);
        return [held];
      }),
    );
    return claimed;
  }

  /** Lets other tabs and the next page load take these entries at once. */
  release(ids: readonly string[]): void {
    const set = new Set(ids);
    this._update((entries) => entries.map((e) => (set.has(e.id) ? { ...e, lease: 0 } : e)));
  }

  /** Empties memory and storage, persisted or not: denied consent clears what earlier pages left. */
  clear(): void {
    this._write([]);
    removeStored();
  }
}
