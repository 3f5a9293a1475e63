// Reads a Chromium trace: the main-thread CPU time (thread clock, so time the
// machine gave to other processes is not counted) of the renderer's tasks in
// each window between two `bench:call` marks, and in the tail after the last
// (`bench:tail`), where work the calls left for later still lands.

/**
 * The trace categories `windowCpu` needs: tasks with their thread time, and
 * the marks. `toplevel` rather than DevTools' timeline, which also records
 * every function call and promise of the page: overhead that would grow with
 * the work measured.
 */
export const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];
const TASK = 'ThreadControllerImpl::RunTask';

/**
 * CPU µs per window: each top-level task of the renderer's main thread counts
 * in the window its end falls in (the call's own task starts just before the
 * call's mark and ends after it). `task` is the CPU of that one task alone:
 * the call, what it queued as microtasks, and the harness's few steps.
 * `tail` is the CPU between the last `bench:call` mark and `bench:tail`.
 * @param {Buffer} trace what `browser.stopTracing()` gave
 * @returns {{ total: number[], task: number[], tail: number }} one figure per window (call marks minus one)
 */
export function windowCpu(trace) {
  const { traceEvents: events } = JSON.parse(trace.toString('utf8'));
  const marks = (name) =>
    events
      .filter((e) => e.name === name && e.cat.includes('blink.user_timing'))
      .map((e) => e.ts)
      .sort((a, b) => a - b);
  const starts = marks('bench:call');
  const [tailEnd] = marks('bench:tail');
  if (starts.length < 2 || tailEnd === undefined) throw new Error(`the trace has ${starts.length} bench marks`);
  const { pid, tid } = events.find((e) => e.name === 'bench:call');
  const tasks = events
    .filter((e) => e.name === TASK && e.ph === 'X' && e.pid === pid && e.tid === tid && e.tdur !== undefined)
    .sort((a, b) => a.ts - b.ts);
  const last = starts[starts.length - 1];
  const total = new Array(starts.length - 1).fill(0);
  const own = new Array(starts.length - 1).fill(0);
  let tail = 0;
  let outerEnd = -Infinity;
  let w = 0;
  for (const task of tasks) {
    const end = task.ts + task.dur;
    if (end <= outerEnd) continue; // Nested in a task already counted.
    outerEnd = end;
    if (end < starts[0] || end >= tailEnd) continue;
    if (end >= last) {
      tail += task.tdur;
      continue;
    }
    while (w < starts.length - 1 && end >= starts[w + 1]) w += 1;
    total[w] += task.tdur;
    if (task.ts <= starts[w]) own[w] += task.tdur;
  }
  return { total, task: own, tail };
}
