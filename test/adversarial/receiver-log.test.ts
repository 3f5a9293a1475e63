/**
 * The terminal log is a bystander: a `log` callback that throws changes no
 * answer (a 500 would make the SDK send the stored order again), and ids,
 * URLs or keys carrying ESC, newlines or bidi controls reach the terminal
 * escaped, in one line of at most MAX_LOG_LINE characters.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startReceiver } from '../../src/receiver/index.js';
import type { Receiver } from '../../src/receiver/index.js';
import { MAX_LOG_LINE } from '../../src/receiver/limits.js';
import { terminalLine } from '../../src/receiver/terminal.js';
import { KEY, call, postJson } from '../receiver/harness.js';
import { VISITOR_ID, minimalOrder } from './receiver-bodies.js';

/** C0, DEL, C1, the line and paragraph separators, and the bidi controls: what a terminal or a log viewer acts on. */
const CONTROL = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

let local: Receiver | undefined;
afterEach(async () => {
  await local?.close();
  local = undefined;
  vi.restoreAllMocks();
});

async function withLog(log: (line: string) => void): Promise<Receiver> {
  local = await startReceiver({ log });
  return local;
}

describe('a log callback that throws', () => {
  it('changes nothing: 200, the order stored once, the failure reported', async () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const receiver = await withLog(() => {
      throw new Error('disk full');
    });
    const answer = await postJson(receiver, '/orders', [minimalOrder('238476923')]);
    expect(answer.status).toBe(200);
    expect(receiver.events).toHaveLength(1);
    expect(receiver.requests.map((request) => request.status)).toEqual([200]);
    expect(reported).toHaveBeenCalledWith(expect.stringContaining('log'), expect.any(Error));

    expect((await postJson(receiver, '/orders', '[{}]')).status).toBe(400);
  });
});

describe('control characters', () => {
  it('ESC and newlines in an order id, by GET and by POST, are escaped', async () => {
    const lines: string[] = [];
    const receiver = await withLog((line) => lines.push(line));
    const id = 'a\u001b[2J\u001b]0;pwned\u0007\nFAKE 200 line\r\u202eb';
    await call(
      receiver,
      `/orderjs?api_key=${KEY}&ts=1729696661986&vid=${VISITOR_ID}&sid=1&oid=${encodeURIComponent(id)}&prodid=p&qty=1`,
    );
    await postJson(receiver, '/orders', [minimalOrder(id)]);
    expect(receiver.events.map((event) => event.event === 'order' && event.record.order_id)).toEqual([id, id]);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toMatch(CONTROL);
      expect(line).toContain('oid=a\\x1b[2J\\x1b]0;pwned\\x07\\nFAKE 200 line\\r\\u202eb ');
    }
  });

  it('in a refused request: an unknown key with a newline', async () => {
    const lines: string[] = [];
    const receiver = await withLog((line) => lines.push(line));
    await postJson(receiver, '/page_view', { 'x\n200 GET /fake': 1 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(CONTROL);
    expect(lines[0]).toContain('x\\n200 GET /fake: is not a field');
  });

  it('any order id gives one clean line of bounded length (property)', async () => {
    const lines: string[] = [];
    const receiver = await withLog((line) => lines.push(line));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 2000 }), async (id) => {
        lines.length = 0;
        await postJson(receiver, '/orders', [minimalOrder(id)]);
        expect(lines).toHaveLength(1);
        expect(lines[0]).not.toMatch(CONTROL);
        expect(lines[0]!.length).toBeLessThanOrEqual(MAX_LOG_LINE);
      }),
      { numRuns: 200 },
    );
  });
});

describe('terminalLine', () => {
  it('keeps printable text as it is, and escapes tabs too', () => {
    expect(terminalLine('200 GET  /orderjs oid=Zoë 😀 ok')).toBe('200 GET  /orderjs oid=Zoë 😀 ok');
    expect(terminalLine('a\tb\u0085c\u2066d\u061ce')).toBe('a\\tb\\x85c\\u2066d\\u061ce');
  });

  it('cuts long lines with an ellipsis, never inside a surrogate pair', () => {
    const line = terminalLine(`${'a'.repeat(MAX_LOG_LINE - 2)}😀😀`);
    expect(line).toHaveLength(MAX_LOG_LINE - 1);
    expect(line.endsWith('a…')).toBe(true);
  });
});
