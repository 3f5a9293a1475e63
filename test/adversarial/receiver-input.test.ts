/**
 * Hostile input costs the receiver bounded work and output: a flood, a deep
 * or huge body, a key or parameter of any length gets a short 400 (never a
 * 500, which an SDK would retry), with at most MAX_PROBLEMS_LISTED problems
 * and a count of the rest, in the answer, the request log and the terminal
 * line alike. Bodies that are merely large but real still pass.
 */
import fc from 'fast-check';
import { connect } from 'node:net';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_BATCH_ORDERS,
  MAX_JSON_DEPTH,
  MAX_JSON_ENTRIES,
  MAX_LOG_LINE,
  MAX_ORDER_ITEMS,
  MAX_PROBLEM_TEXT,
  MAX_PROBLEMS_LISTED,
} from '../../src/receiver/limits.js';
import type { Problem } from '../../src/receiver/index.js';
import { vendorPostExample } from '../helpers/vendor.js';
import { KEY, call, postJson, useReceiver } from '../receiver/harness.js';
import type { Answer } from '../receiver/harness.js';
import { ONE_MIB_OF_EMPTY_ORDERS, VISITOR_ID, emptyOrders, minimalOrder } from './receiver-bodies.js';

const lines: string[] = [];
beforeEach(() => {
  lines.length = 0;
});
const receiver = useReceiver({ quiet: false, log: (line) => lines.push(line) });

/** The most a 400 can weigh: every listed problem at its longest, plus the envelope. */
const MAX_REPLY_BYTES = MAX_PROBLEMS_LISTED * (2 * MAX_PROBLEM_TEXT + 100) + 500;

interface Refusal {
  error: string;
  problems: Problem[];
  omittedProblems?: number;
}

/** Any answer's bounds, whatever the input: 200 or 400, never 500; short reply, record and log lines. */
async function expectBounded(answer: Answer): Promise<Refusal | undefined> {
  expect([200, 400]).toContain(answer.status);
  const replyBytes = Buffer.byteLength(JSON.stringify(answer.body));
  expect(replyBytes).toBeLessThanOrEqual(MAX_REPLY_BYTES);
  const logged = await receiver().waitForRequest(() => true, 1000);
  expect(logged.problems.length).toBeLessThanOrEqual(MAX_PROBLEMS_LISTED);
  for (const problem of logged.problems) {
    expect(problem.field.length).toBeLessThanOrEqual(MAX_PROBLEM_TEXT);
    expect(problem.message.length).toBeLessThanOrEqual(MAX_PROBLEM_TEXT);
  }
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_LOG_LINE);
  return answer.status === 400 ? (answer.body as Refusal) : undefined;
}

function postOrders(body: unknown): Promise<Answer> {
  return postJson(receiver(), '/orders', body);
}

const vendorOrder = (): Record<string, unknown> =>
  structuredClone((vendorPostExample('/orders').body as Array<Record<string, unknown>>)[0]!);

describe('floods', () => {
  it('1 MiB of [{},{},…]: a short 400, not 1.75 M problems', async () => {
    expect(ONE_MIB_OF_EMPTY_ORDERS.length).toBe(1024 * 1024);
    const refusal = await expectBounded(await postOrders(ONE_MIB_OF_EMPTY_ORDERS));
    expect(refusal?.error).toBe('bad_request');
    expect(receiver().events).toEqual([]);
  });

  it('130,000 items in one order: 400, not a stack overflow (500)', async () => {
    const body = [minimalOrder('o1', Array<number>(130_000).fill(1))];
    const refusal = await expectBounded(await postOrders(body));
    expect(refusal?.problems).toEqual([expect.objectContaining({ code: 'limit_exceeded' })]);
  });

  it('a batch within the bounds with thousands of problems lists the first ones and counts the rest', async () => {
    const refusal = await expectBounded(await postOrders(emptyOrders(MAX_BATCH_ORDERS)));
    expect(refusal?.problems).toHaveLength(MAX_PROBLEMS_LISTED);
    expect(refusal?.problems[0]).toMatchObject({ field: '0.order_ts', code: 'missing_field' });
    expect(refusal?.omittedProblems).toBe(5 * MAX_BATCH_ORDERS - MAX_PROBLEMS_LISTED);
    const [request] = receiver().requests;
    expect(request).toMatchObject({ status: 400, omittedProblems: 5 * MAX_BATCH_ORDERS - MAX_PROBLEMS_LISTED });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^400 POST {3}\/orders 5000 problems: 0\.order_ts: is required; 0\.visitor_id: /);
    expect(lines[0]).toHaveLength(MAX_LOG_LINE);
  });
});

describe('deep or huge bodies: 400 before parsing, without recursion', () => {
  it.each([
    ['arrays', '['.repeat(500_000) + ']'.repeat(500_000)],
    ['objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['one level too deep', '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)],
  ])('nested %s', async (_, body) => {
    const refusal = await expectBounded(await postOrders(body));
    expect(refusal?.problems.map((problem) => [problem.field, problem.code])).toEqual([['body', 'limit_exceeded']]);
    expect(refusal?.problems[0]?.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it('brackets and commas inside strings are text, not structure', async () => {
    const order = minimalOrder('[{,'.repeat(100_000));
    expect((await postOrders([order])).status).toBe(200);
  });

  it(`more than ${MAX_JSON_ENTRIES} entries`, async () => {
    const body = [minimalOrder('o1', Array<number>(MAX_JSON_ENTRIES).fill(1))];
    const refusal = await expectBounded(await postOrders(body));
    expect(refusal?.problems.map((problem) => [problem.field, problem.code])).toEqual([['body', 'limit_exceeded']]);
    expect(refusal?.problems[0]?.message).toContain(`more than ${MAX_JSON_ENTRIES} entries`);
  });

  it(`more than ${MAX_BATCH_ORDERS} orders in a batch; exactly that many pass`, async () => {
    const orders = Array.from({ length: MAX_BATCH_ORDERS + 1 }, (_, index) => minimalOrder(`o${index}`));
    const refusal = await expectBounded(await postOrders(orders));
    expect(refusal?.problems).toEqual([expect.objectContaining({ field: 'body', code: 'limit_exceeded' })]);
    expect((await postOrders(orders.slice(1))).body).toEqual({ ok: true, received: MAX_BATCH_ORDERS });
  });

  it(`more than ${MAX_ORDER_ITEMS} items in an order; exactly that many pass`, async () => {
    const items = Array.from({ length: MAX_ORDER_ITEMS + 1 }, (_, index) => ({ product_id: `p${index}`, quantity: 1 }));
    const refusal = await expectBounded(await postOrders([minimalOrder('o1'), minimalOrder('o2', items)]));
    expect(refusal?.problems).toEqual([expect.objectContaining({ field: '1.items', code: 'limit_exceeded' })]);
    expect((await postOrders([minimalOrder('o3', items.slice(1))])).status).toBe(200);
  });

  it('a full 1 MiB of real orders still passes', async () => {
    const order = vendorOrder();
    const count = Math.floor((1024 * 1024) / (JSON.stringify(order).length + 1));
    const answer = await postOrders(Array.from({ length: count }, () => order));
    expect(answer.body).toEqual({ ok: true, received: count });
  });
});

describe('texts from the input are cut', () => {
  it('an unknown key of 500,000 characters', async () => {
    const refusal = await expectBounded(await postJson(receiver(), '/page_view', { ['k'.repeat(500_000)]: 1 }));
    expect(refusal?.problems).toContainEqual(expect.objectContaining({ code: 'unknown_field' }));
  });

  it('a GET list of 5,000 empty slots', async () => {
    const refusal = await expectBounded(
      await call(
        receiver(),
        `/orderjs?api_key=${KEY}&ts=1729696661986&vid=${VISITOR_ID}&sid=1&oid=1&prodid=${'~'.repeat(4999)}&qty=1`,
      ),
    );
    expect(refusal?.problems).toHaveLength(MAX_PROBLEMS_LISTED);
    expect(refusal?.omittedProblems).toBeGreaterThan(5000 - MAX_PROBLEMS_LISTED);
  });
});

describe('any JSON body (property)', () => {
  const bodies = fc.oneof(
    fc.jsonValue({ maxDepth: 12 }).map((value) => JSON.stringify(value)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc
      .array(fc.constantFrom('[', ']', '{', '}', ',', ':', '"', '\\', '1', 'x'), { maxLength: 400 })
      .map((chars) => chars.join('')),
  );

  it.each(['/orders', '/page_view'])('%s: 200 or a bounded 400, never a 500', async (path) => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        receiver().clear();
        lines.length = 0;
        await expectBounded(await postJson(receiver(), path, body));
      }),
      { numRuns: 150 },
    );
  });
});

describe('a client that goes away mid-body', () => {
  it('is one line, not an internal error with a stack trace; the receiver goes on', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { port } = new URL(receiver().url);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /orders HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 1000\r\napi_key: ${KEY}\r\n\r\n[{"order_id":`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      await expect
        .poll(() => lines.filter((line) => line.includes('went away')), { timeout: 5000 })
        .toEqual(['--- POST   /orders the client went away before its body ended']);
      expect(errors).not.toHaveBeenCalled();
      expect((await postJson(receiver(), '/orders', [minimalOrder('o1')])).status).toBe(200);
      expect(receiver().requests.map((request) => request.status)).toEqual([200]);
    } finally {
      errors.mockRestore();
    }
  });
});
