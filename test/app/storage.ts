/**
 * Storages an app test runs on: in memory (optionally slow, or cut off to
 * stand for a killed app) and on a file, each shaped as AsyncStorage.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { AsyncStorageLike } from '../../src/react-native/index.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface MemoryStorage extends AsyncStorageLike {
  readonly data: Map<string, string>;
  /** Every call the store received, in order. */
  readonly calls: string[];
  /** Stands for the app being killed: nothing this handle is asked to write lands any more. */
  kill(): void;
}

/** A store in memory; `delayMs` makes every call that slow. Two handles on one `data` are one device's storage. */
export function memoryStorage(data = new Map<string, string>(), delayMs = 0): MemoryStorage {
  let alive = true;
  const calls: string[] = [];
  const settle = () => (delayMs > 0 ? later(delayMs) : Promise.resolve());
  return {
    data,
    calls,
    kill: () => {
      alive = false;
    },
    async getItem(key) {
      calls.push(`get ${key}`);
      await settle();
      return data.get(key) ?? null;
    },
    async setItem(key, value) {
      calls.push(`set ${key}`);
      await settle();
      if (alive) data.set(key, value);
    },
    async removeItem(key) {
      calls.push(`remove ${key}`);
      await settle();
      if (alive) data.delete(key);
    },
  };
}

/** Each file's operations, one after another (see `fileStorage`). */
const fileQueues = new Map<string, Promise<unknown>>();

/**
 * A store in one JSON file, as a small app might keep one. Its operations run
 * one at a time per file, as AsyncStorage's do: the SDK writes two keys at
 * once (ids, outbox), and two read-modify-writes of one file running side by
 * side would lose one key, or read the file half-written.
 */
export function fileStorage(path: string): AsyncStorageLike {
  const inTurn = <T>(operation: () => Promise<T>): Promise<T> => {
    const done = (fileQueues.get(path) ?? Promise.resolve()).then(operation, operation);
    fileQueues.set(
      path,
      done.catch(() => undefined),
    );
    return done;
  };
  const read = async (): Promise<Record<string, string>> => {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const change = (key: string, value: string | null) =>
    inTurn(async () => {
      const all = new Map(Object.entries(await read()));
      if (value === null) all.delete(key);
      else all.set(key, value);
      await writeFile(path, JSON.stringify(Object.fromEntries(all)));
    });
  return {
    getItem: (key) => inTurn(async () => (await read())[key] ?? null),
    setItem: (key, value) => change(key, value),
    removeItem: (key) => change(key, null),
  };
}
