/**
 * Events not yet confirmed delivered. Kept in localStorage so a reload, a
 * crash or an offline spell loses nothing, and shared by the tabs of one
 * browser: a tab takes an entry with a short lease, so two tabs never send the
 * same entry at once, and a closed tab's entries pass to the next page load.
 * Bounded in count and bytes: page views are dropped first, oldest first;
 * orders last. Falls back to memory when storage fails or consent forbids it.
 *
 * Each entry has a key of its own (`_sym_outbox:<id>`), so adding, changing
 * or removing one is one small write, however many wait. What is read back is
 * checked, since anything on the page can write there: a malformed entry is
 * removed, and an entry is only ever sent to its client's own Event API.
 *
 * The bounds count the entries this tab knows of: all of them as of its last
 * full read (on start, on each pick-up of waiting entries, and whenever the
 * count comes near a bound), plus its own changes since. Listing the keys on
 * every add would cost more than the add.
 */
import { GET_PATH, MAX_GET_URL_LENGTH, type EventName } from '../core/fields.js';
import { keysWith, localStorageOrNull } from './storage.js';

/** What an event is to delivery: its request, and what it is for. */
export interface EventToSend {
  event: EventName;
  url: string;
  orderId?: string | undefined;
  /** When the event happened (ms since the epoch). */
  createdAt: number;
}

/** An event waiting in the outbox, and where its delivery stands. */
export interface OutboxEntry extends EventToSend {
  /** Minted by the outbox (`add`). */
  id: string;
  attempts: number;
  /** Until this time (ms) one tab holds the entry; others leave it alone. */
  lease: number;
  /** Handed to the browser (beacon, or keepalive fetch cut off by unload) with no answer seen. */
  unconfirmed?: true;
  /** An order whose id is claimed for this entry before each send (`OrderClaims.claim`). */
  claimFirst?: true;
}

/** Where an entry's delivery stands when it is added. */
export type EntryState = Pick<OutboxEntry, 'attempts' | 'lease' | 'claimFirst'>;

export type OutboxDropReason = 'queue_full' | 'expired';

export interface OutboxOptions {
  maxCount: number;
  maxBytes: number;
  now: () => number;
  onDrop: (entry: OutboxEntry, reason: OutboxDropReason) => void;
  /** The client's Event API base URL: only entries for it are this client's to send. */
  base: string;
}

/** Each entry is kept under this prefix and its id. */
export const OUTBOX_PREFIX = '_sym_outbox:';
/** Where earlier versions kept the whole queue, as one JSON array: moved to one key per entry once read. */
export const LEGACY_OUTBOX_KEY = '_sym_outbox';
/** An entry older than this is given up, so storage never fills with the undeliverable. */
export const OUTBOX_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

const EVENTS: ReadonlySet<unknown> = new Set<EventName>(['page_view', 'order']);

/** An entry as stored, if it is one: anything else (`null`, `{}`, `1`, a URL too long to be ours) is not. */
function asEntry(value: unknown): OutboxEntry | undefined {
  const e = ((typeof value === 'object' && value) || {}) as Partial<Record<keyof OutboxEntry, unknown>>;
  const valid =
    typeof e.id === 'string' &&
    e.id !== '' &&
    EVENTS.has(e.event) &&
    typeof e.url === 'string' &&
    e.url.length <= MAX_GET_URL_LENGTH &&
    [e.createdAt, e.attempts, e.lease].every(Number.isFinite);
  if (!valid) return undefined;
  // Stored by an earlier version, which named the flag `claim`.
  const { claim, ...entry } = value as OutboxEntry & { claim?: unknown };
  return claim === true ? { ...entry, claimFirst: true } : (value as OutboxEntry);
}

/** Oldest first: by event time, then by id (ids count up within a page). */
const byAge = (a: OutboxEntry, b: OutboxEntry): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What the outbox needs of a Storage. */
type Shelf = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/** A Storage kept in this page's memory: where the entries live when localStorage is off. */
function memoryShelf(): Shelf {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

export class Outbox {
  private _shelf: Shelf = memoryShelf();
  private _persisted = false;
  /** The URL length of each entry this tab knows of, and their sum: the bounds' count. */
  private readonly _known = new Map<string, number>();
  private _knownBytes = 0;
  /** The entries this tab added or took, not yet removed: the only ones it ever moves. */
  private readonly _mine = new Set<string>();
  /** Entries minted by this outbox, so ids made in one millisecond still sort in the order they were added. */
  private _minted = 0;

  constructor(private readonly _options: OutboxOptions) {}

  /** Persist from now on (consent granted) or keep in memory only (pending, denied, no storage). */
  setPersistent(persist: boolean): void {
    const storage = persist ? localStorageOrNull() : null;
    if (!storage) {
      if (this._persisted) this._shelf = memoryShelf();
      this._persisted = false;
      return;
    }
    if (this._persisted) return;
    // What this page held in memory joins what earlier page loads left.
    const held = [...this._all(), ...legacyEntries(storage)];
    this._persisted = true;
    this._shelf = storage;
    for (const entry of held) this._put(entry);
  }

  /** The entry stored under `id`; anything else found there is removed, as it would never become one. */
  private _get(id: string): OutboxEntry | undefined {
    const key = OUTBOX_PREFIX + id;
    try {
      const raw = this._shelf.getItem(key);
      if (raw === null) return undefined;
      const entry = asEntry(JSON.parse(raw));
      if (entry?.id === id) return entry;
    } catch {
      // Not JSON, or storage blocked meanwhile: removed below if it can be.
    }
    this._delete(id);
    return undefined;
  }

  /**
   * Stores an entry. Quota or blocked storage: carry on in memory with this
   * tab's own entries, and leave no stale copy of them that another tab or
   * the next page load would send a second time. Other tabs' entries stay
   * where they are: theirs to send.
   */
  private _put(entry: OutboxEntry): void {
    const write = (e: OutboxEntry) => this._shelf.setItem(OUTBOX_PREFIX + e.id, JSON.stringify(e));
    try {
      write(entry);
    } catch {
      const mine = this._all().filter(({ id }) => this._mine.has(id) && id !== entry.id);
      for (const { id } of mine) this._delete(id);
      this._persisted = false;
      this._shelf = memoryShelf();
      this._known.clear();
      this._knownBytes = 0;
      for (const e of mine) this._hold(e);
      write(entry);
    }
    this._hold(entry);
  }

  /** Counts an entry as this tab's, in storage now. */
  private _hold(entry: OutboxEntry): void {
    this._mine.add(entry.id);
    this._know(entry.id, entry.url.length);
  }

  private _delete(id: string): void {
    try {
      this._shelf.removeItem(OUTBOX_PREFIX + id);
    } catch {
      // Blocked meanwhile: nothing more to do.
    }
    this._mine.delete(id);
    this._know(id, undefined);
  }

  private _know(id: string, bytes: number | undefined): void {
    this._knownBytes += (bytes ?? 0) - (this._known.get(id) ?? 0);
    if (bytes === undefined) this._known.delete(id);
    else this._known.set(id, bytes);
  }

  /** Every entry held, this client's or not, oldest first: a full read, which is what this tab knows from now on. */
  private _all(): OutboxEntry[] {
    const entries: OutboxEntry[] = [];
    this._known.clear();
    this._knownBytes = 0;
    for (const key of keysWith(this._shelf, OUTBOX_PREFIX)) {
      const entry = this._get(key.slice(OUTBOX_PREFIX.length));
      if (!entry) continue;
      entries.push(entry);
      this._know(entry.id, entry.url.length);
    }
    return entries.sort(byAge);
  }

  /** Whether this client sends the entry: its URL is this client's Event API's, for its event. */
  private _owns(entry: OutboxEntry): boolean {
    return entry.url.startsWith(`${this._options.base}${GET_PATH[entry.event]}?`);
  }

  /** This client's entries, oldest first. */
  entries(): readonly OutboxEntry[] {
    return this._all().filter((entry) => this._owns(entry));
  }

  has(id: string): boolean {
    return this._get(id) !== undefined;
  }

  /** Whether this tab added or took the entry (and has not removed it): the only entries it moves. */
  isMine(id: string): boolean {
    return this._mine.has(id);
  }

  /** Adds an event as a new entry, then trims to the bounds; returns the entry, or none when it was dropped. */
  add(event: EventToSend, state: EntryState): OutboxEntry | undefined {
    this._minted += 1;
    const id = `${this._minted.toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`;
    const entry: OutboxEntry = { ...event, id, ...state };
    const { maxCount, maxBytes, onDrop } = this._options;
    if (this._known.size + 1 > maxCount || this._knownBytes + entry.url.length > maxBytes) {
      const next = [...this._all(), entry];
      let bytes = next.reduce((sum, e) => sum + e.url.length, 0);
      while (next.length > maxCount || bytes > maxBytes) {
        const index = next.findIndex((e) => e.event === 'page_view');
        const [victim] = next.splice(index === -1 ? 0 : index, 1);
        if (!victim) break;
        bytes -= victim.url.length;
        if (victim !== entry) this._delete(victim.id);
        onDrop(victim, 'queue_full');
        if (victim === entry) return undefined;
      }
    }
    this._put(entry);
    return entry;
  }

  patch(id: string, change: Partial<OutboxEntry>): void {
    const entry = this._get(id);
    if (entry) this._put({ ...entry, ...change });
  }

  remove(id: string): void {
    this._delete(id);
  }

  /**
   * Takes this client's entries no tab holds (dropping expired ones) and holds
   * them for `leaseMs`. A read, then a write: atomic across tabs only under
   * the outbox's Web Lock (`delivery.ts`).
   */
  takeWaiting(leaseMs: number): OutboxEntry[] {
    const now = this._options.now();
    const taken: OutboxEntry[] = [];
    for (const entry of this._all()) {
      const own = this._owns(entry);
      if (now - entry.createdAt > OUTBOX_MAX_AGE_MS) {
        this._delete(entry.id);
        if (own) this._options.onDrop(entry, 'expired');
      } else if (own && entry.lease <= now) {
        const held = { ...entry, lease: now + leaseMs };
        this._put(held);
        taken.push(held);
      }
    }
    return taken;
  }

  /** Lets other tabs and the next page load take these entries at once. */
  release(ids: readonly string[]): void {
    for (const id of ids) this.patch(id, { lease: 0 });
  }

  /** Empties memory and storage, persisted or not: denied consent clears what earlier pages left. */
  clear(): void {
    if (!this._persisted) this._shelf = memoryShelf();
    this._mine.clear();
    this._known.clear();
    this._knownBytes = 0;
    const storage = localStorageOrNull();
    try {
      for (const key of storage ? keysWith(storage, OUTBOX_PREFIX) : []) storage?.removeItem(key);
      storage?.removeItem(LEGACY_OUTBOX_KEY);
    } catch {
      // Blocked meanwhile: nothing more to do.
    }
  }
}

/** The entries an earlier version left under `LEGACY_OUTBOX_KEY`, which is removed once read. */
function legacyEntries(storage: Storage): OutboxEntry[] {
  try {
    const raw = storage.getItem(LEGACY_OUTBOX_KEY);
    if (raw === null) return [];
    storage.removeItem(LEGACY_OUTBOX_KEY);
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.flatMap((value) => asEntry(value) ?? []) : [];
  } catch {
    return []; // Blocked, or not JSON: nothing to move.
  }
}
