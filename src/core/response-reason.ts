/**
 * The server's own words on a refusal (400, 403), for the error message: the
 * start of the body as `: <text>`, or nothing. Shared by the browser transport
 * and the server sender. A refusal's text is a courtesy: only its first chunk
 * is read, within `timeoutMs` and never past the caller's `signal` (the
 * server's `close()` deadline); then the body is cancelled, which frees the
 * connection however large the body or slow the server.
 */

/** How long the first chunk of a refusal's body is waited for. */
export const READ_TIMEOUT_MS = 1000;
const MAX_REASON_LENGTH = 200;

/** A refusal's text as a message ends with it: `: <text>`, bounded, or nothing. */
export function quotedReason(text: string): string {
  const trimmed = text.trim();
  return trimmed ? `: ${trimmed.slice(0, MAX_REASON_LENGTH)}` : '';
}

export async function responseReason(
  response: Response,
  timeoutMs = READ_TIMEOUT_MS,
  signal?: AbortSignal,
): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  // A pending read ends (done, no value) once the stream is cancelled.
  const stop = () => void reader.cancel().catch(() => undefined);
  const timer = setTimeout(stop, timeoutMs);
  signal?.addEventListener('abort', stop);
  try {
    if (signal?.aborted) stop();
    const { value } = await reader.read();
    stop();
    return quotedReason(new TextDecoder().decode(value));
  } catch {
    return '';
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}
