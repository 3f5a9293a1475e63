/**
 * Page views that must not be sent twice: one repeated by the framework
 * (React StrictMode runs effects twice in development).
 */

import { FIELD_LIST } from '../core/fields.js';

export interface PageViewGateOptions {
  /** Repeats within this many ms are dropped. @default 1000 */
  windowMs?: number | undefined;
  /** @default Date.now */
  now?: () => number;
}

/** The fields that make two page views the same page view: its URL and the product shown. */
const PAGE_VIEW_KEY_FIELDS = [
  'page_view_url',
  ...FIELD_LIST.filter((spec) => spec.item && spec.page_view).map((spec) => spec.name),
] as const;

/**
 * Lets a page view through unless it repeats the last one admitted (same URL,
 * same product fields) within the window. Per page, in memory: two tabs
 * showing one page are two page views.
 */
export class PageViewGate {
  private readonly _windowMs: number;
  private readonly _now: () => number;
  private _last: string | undefined;
  private _lastAt = 0;

  constructor(options: PageViewGateOptions = {}) {
    this._windowMs = options.windowMs ?? 1000;
    this._now = options.now ?? Date.now;
  }

  /** True when the page view should be sent (and is remembered as the last one). */
  admit(view: Readonly<Record<string, string | number | boolean | undefined>>, now: number = this._now()): boolean {
    // Ids compare as strings: `1` and `'1'` are the same product.
    const key = PAGE_VIEW_KEY_FIELDS.map((name) => String(view[name] ?? '')).join('\u0000');
    if (key === this._last && now - this._lastAt < this._windowMs) return false;
    this._last = key;
    this._lastAt = now;
    return true;
  }
}
