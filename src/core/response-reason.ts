/**
 * The server's own words on a refusal (400, 403), for the error message: the
 * start of the body as `: <text>`, or nothing. Shared by the browser transport
 * and the server sender. A refusal's text is a courtesy: a server that
 * answers and then stalls its body gets `READ_TIMEOUT_MS`, then is ignored,
 * so it can never hold up `close()`.
 */

const READ_TIMEOUT_MS = 1000;
const MAX_REASON_LENGTH = 200;

export async function responseReason(response: Response, timeoutMs = READ_TIMEOUT_MS): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(''), timeoutMs);
  });
  try {
    const text = (await Promise.race([response.text(), timedOut])).trim();
    return text ? `: ${text.slice(0, MAX_REASON_LENGTH)}` : '';
  } catch {
    return '';
  } finally {
    clearTimeout(timer);
  }
}
