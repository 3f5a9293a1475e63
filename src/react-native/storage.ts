/**
 * The app's storage: any async key-value store shaped like React Native's
 * AsyncStorage (`getItem`, `setItem`, `removeItem`), so MMKV or SecureStore
 * wrappers fit too. Values are written through `StoredValue`, one write at a
 * time and the latest one only, so a slow store never holds up `track` and
 * never receives a backlog.
 */

export interface AsyncStorageLike {
  getItem(key: string): Promise<string | null | undefined>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/** One key, written behind the caller's back: `set` returns at once; `settled()` awaits the writes. */
export class StoredValue {
  readonly #storage: AsyncStorageLike;
  readonly #key: string;
  readonly #failed: (cause: unknown) => void;
  /** Makes the value to write next (`null` removes the key); `undefined` when the store has the latest. */
  #next: (() => string | null) | undefined;
  #writing: Promise<void> | undefined;

  /** `failed` hears of a write the store refused (the value stays in memory, and the next write retries). */
  constructor(storage: AsyncStorageLike, key: string, failed: (cause: unknown) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#failed = failed;
  }

  /** Reads the stored value; `undefined` when there is none or the store failed (reported). */
  async read(): Promise<string | undefined> {
    try {
      const value = await this.#storage.getItem(this.#key);
      return typeof value === 'string' ? value : undefined;
    } catch (cause) {
      this.#failed(cause);
      return undefined;
    }
  }

  /**
   * Schedules a write; never waits. `value` is called when the write starts,
   * so a burst of changes is serialized once, outside the caller's task.
   */
  set(value: () => string | null): void {
    this.#next = value;
    this.#writing ??= this.#drain();
  }

  /** Resolves once everything set so far has been written (or refused). */
  settled(): Promise<void> {
    return this.#writing ?? Promise.resolve();
  }

  async #drain(): Promise<void> {
    // The first write starts after the caller's task: `track` returns before the store is touched.
    await Promise.resolve();
    while (this.#next !== undefined) {
      const make = this.#next;
      this.#next = undefined;
      try {
        const value = make();
        await (value === null ? this.#storage.removeItem(this.#key) : this.#storage.setItem(this.#key, value));
      } catch (cause) {
        this.#failed(cause);
      }
    }
    this.#writing = undefined;
  }
}
