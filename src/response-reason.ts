/**
 * The server's own words on a refusal (400, 403), for the error message: the
 * body's first 200 characters as `: <text>`, or nothing. Shared by the
 * browser transport and the server sender.
 */
export async function responseReason(response: Response): Promise<string> {
  try {
    const text = (await response.text()).trim();
    return text ? `: ${text.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
