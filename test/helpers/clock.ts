/** A frozen clock for tests about time stamps and expiry. */
import { afterEach, beforeEach, vi } from 'vitest';

/** `Date` starts at `now` in each test of the file (timers stay real); `vi.setSystemTime` moves it. */
export function useFakeDate(now: number): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
