/**
 * The server's own words on a refusal (400, 403), for the error message: the
 * start of the body as `: <text>`, or nothing. Shared by the browser transport
 * and the server sender.
 *
 * A refusal's text is a courtesy, so reading it is bounded: at most
 * `MAX_REASON_BYTES`, within `READ_TIMEOUT_MS`. A server that answers and then
 * stalls (or streams without end) costs a second, never a hung `close()`.
 */

const READ_TIMEOUT_MS = 1000;
const MAX_REASON_BYTES = 1024;
const MAX_REASON_LENGTH = 200;

/** Up to `MAX_REASON_BYTES` of the body; stops, and lets the stream go, when `stop` fires. */
async function readStart(body: ReadableStream<Uint8Array>, stop: Promise<void>): Promise<string> {
  const reader = body.getReader();
  void stop.then(() => reader.cancel().catch(() => undefined));
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (bytes < MAX_REASON_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return text;
}

export async function responseReason(response: Response, timeoutMs = READ_TIMEOUT_MS): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    const body = response.body;
    const reading = body ? readStart(body, timedOut) : response.text();
    const text = (await Promise.race([reading, timedOut.then(() => '')])).trim();
    return text ? `: ${text.slice(0, MAX_REASON_LENGTH)}` : '';
  } catch {
    return '';
  } finally {
    clearTimeout(timer);
  }
}
