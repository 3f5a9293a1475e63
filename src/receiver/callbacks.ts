/** Calling the user's callbacks (event listeners, the log), which must not decide a request's answer. */

/**
 * Calls `callback`; if it throws, says so on stderr and carries on. A 500
 * after an event was stored would make the sender retry, and store it twice.
 */
export function callSafely<T>(callback: (value: T) => void, value: T, what: string): void {
  try {
    callback(value);
  } catch (error) {
    console.error(`[symbiosys-receiver] ${what} threw:`, error);
  }
}
