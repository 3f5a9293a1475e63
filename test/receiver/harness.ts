/** Shared setup for the receiver tests: one quiet receiver per test, real HTTP through fetch. */
import { afterEach, beforeEach } from 'vitest';
import { startReceiver } from '../../src/receiver/index.js';
import type { Receiver, ReceiverOptions } from '../../src/receiver/index.js';
import { vendorGetUrlAsPrinted } from '../helpers/vendor.js';

export const KEY = 'test-key';

/** Starts a receiver before each test and closes it after; read it through `current()`. */
export function useReceiver(options: ReceiverOptions = {}): () => Receiver {
  let receiver: Receiver | undefined;
  beforeEach(async () => {
    receiver = await startReceiver({ quiet: true, ...options });
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });
  return () => {
    if (!receiver) throw new Error('no receiver running');
    return receiver;
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(receiver: Receiver, pathAndQuery: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${receiver.url}${pathAndQuery}`, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (the HTML page, an empty 204): keep the text.
  }
  return { status: response.status, headers: response.headers, body };
}

/** A JSON POST with `api_key` as a header; `key: null` sends none. */
export function postJson(receiver: Receiver, path: string, body: unknown, key: string | null = KEY): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['api_key'] = key;
  return call(receiver, path, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * The document's example GET URL for a path, byte for byte as printed, with
 * the masked api_key replaced: path and query only.
 */
export function vendorGetUrl(path: '/page_viewjs' | '/orderjs', apiKey = KEY): string {
  const printed = vendorGetUrlAsPrinted(path);
  const query = printed.slice(printed.indexOf('?'));
  return `${path}${query.replace(/api_key=\*+/, `api_key=${encodeURIComponent(apiKey)}`)}`;
}
