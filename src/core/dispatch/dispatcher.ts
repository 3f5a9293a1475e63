/**
 * The dispatcher: accepted events in, requests out. Page views go alone,
 * orders through the open batch (`batch.ts`). It owns the jobs waiting to go,
 * how many are in flight, what becomes of a refused batch (split until each
 * refused order is alone), the 403 stop (nothing more goes with that key) and
 * `close()`'s cut-off. It knows no platform: the request is the `send` it is
 * given, and every event ends in exactly one of `delivered`, `failed`, or
 * `close()`'s `cutOff` list.
 */
import type { DeliveryError } from '../errors.js';
import { OrderBatch, ordersJob, pageViewJob } from './batch.js';
import type { BatchLimits, Job, Queued } from './batch.js';
import type { SendOutcome } from './post.js';

export interface DispatcherOptions<T extends Queued> {
  batch: BatchLimits;
  /** Requests in flight at once. */
  concurrency: number;
  /** One request with its retries; `signal` aborts when `close()`'s deadline passes. */
  send: (job: Job<T>, signal: AbortSignal) => Promise<SendOutcome>;
  /** Events the API took (2xx). */
  delivered?: (events: T[]) => void;
  /** Events given up, with the error that ended them; a 403 gives up everything waiting in one call. */
  failed: (error: DeliveryError, events: T[]) => void;
}

/** What became of the events that were not delivered while `close()` ran. */
export interface CloseReport<T> {
  /** Given up with an error of their own (already passed to `failed`). */
  failed: T[];
  /** Still waiting or in flight when the deadline passed; passed to no callback. */
  cutOff: T[];
}

/** A running `close()`: what it lists, and whether its deadline has passed. */
interface Closing<T> extends CloseReport<T> {
  deadlinePassed: boolean;
}

/**
 * A refusal worth splitting the batch for: the API refuses a whole `POST
 * /orders` for what one order holds (400), or for its size (413); a refused
 * half is split again, so only orders refused on their own are given up.
 */
function splittable(error: DeliveryError): boolean {
  return error.code === 'rejected' && (error.status === 400 || error.status === 413);
}

/** A batch's two halves as requests of their own; `undefined` for a single event. */
function split<T extends Queued>(job: Job<T>): [Job<T>, Job<T>] | undefined {
  if (job.events.length < 2) return undefined;
  const middle = Math.ceil(job.events.length / 2);
  return [ordersJob(job.events.slice(0, middle)), ordersJob(job.events.slice(middle))];
}

export class Dispatcher<T extends Queued> {
  readonly #options: DispatcherOptions<T>;
  readonly #batch: OrderBatch<T>;
  #jobs: Array<Job<T>> = [];
  /** One controller per request in flight: the cut-off aborts each, and no signal is shared. */
  readonly #inFlight = new Set<AbortController>();
  #size = 0;
  #forbidden: DeliveryError | undefined;
  /** Set once `close()` was called: later orders go unbatched. */
  #closed = false;
  #closing: Closing<T> | undefined;
  #idle: Array<() => void> = [];

  constructor(options: DispatcherOptions<T>) {
    this.#options = options;
    this.#batch = new OrderBatch<T>(options.batch, (job) => {
      this.#jobs.push(job);
      this.#pump();
    });
  }

  /** Events accepted and not yet delivered or given up: what a queue bound counts. */
  get size(): number {
    return this.#size;
  }

  /** The 403 that stopped this dispatcher, if one did: it sends nothing more. */
  get forbidden(): DeliveryError | undefined {
    return this.#forbidden;
  }

  add(event: T): void {
    this.#size += 1;
    if (event.event === 'page_view') {
      this.#jobs.push(pageViewJob(event));
      this.#pump();
      return;
    }
    this.#batch.add(event);
    if (this.#closed) this.#batch.seal();
  }

  /** Sends the open batch and everything waiting; resolves when all of it is settled. Never rejects. */
  flush(): Promise<void> {
    this.#batch.seal();
    this.#pump();
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Flushes within `timeoutMs`; then what still waits is cut off unsent and
   * requests in flight (or waiting to retry) are aborted, so this resolves by
   * the deadline whatever the network does. Never rejects.
   */
  async close(timeoutMs: number): Promise<CloseReport<T>> {
    this.#closed = true;
    const closing: Closing<T> = { failed: [], cutOff: [], deadlinePassed: false };
    this.#closing = closing;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      this.flush().then(() => false),
      new Promise<boolean>((resolve) => {
        deadline = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(deadline);
    if (timedOut) {
      closing.deadlinePassed = true;
      const waiting = this.#jobs;
      this.#jobs = [];
      for (const job of waiting) this.#cutShort(job);
      for (const controller of this.#inFlight) controller.abort();
      await this.flush();
    }
    if (this.#closing === closing) this.#closing = undefined;
    return { failed: closing.failed, cutOff: closing.cutOff };
  }

  #pump(): void {
    while (this.#inFlight.size < this.#options.concurrency) {
      const job = this.#jobs.shift();
      if (job === undefined) break;
      if (this.#closing?.deadlinePassed) {
        // `close()`'s deadline passed: nothing new goes out until it has resolved.
        this.#cutShort(job);
        continue;
      }
      const controller = new AbortController();
      this.#inFlight.add(controller);
      void this.#run(job, controller.signal).finally(() => {
        this.#inFlight.delete(controller);
        this.#pump();
      });
    }
    this.#notifyIdle();
  }

  /** One request and what becomes of its events: delivered, split, cut short, or given up. */
  async #run(job: Job<T>, signal: AbortSignal): Promise<void> {
    const outcome: SendOutcome = this.#forbidden
      ? { ok: false, error: this.#forbidden, aborted: false }
      : await this.#options.send(job, signal);
    if (outcome.ok) {
      this.#size -= job.events.length;
      this.#options.delivered?.(job.events);
      return;
    }
    const halves = splittable(outcome.error) ? split(job) : undefined;
    if (outcome.aborted || (halves && signal.aborted)) {
      this.#cutShort(job);
      return;
    }
    if (halves) {
      // Refused whole for what one order holds: the halves go again, their events still counted meanwhile.
      this.#jobs.unshift(...halves);
      return;
    }
    if (outcome.error.code === 'forbidden' && !this.#forbidden) {
      this.#forbidden = outcome.error;
      // Nothing else may go out with this key: everything waiting is given up with it, in one report.
      const waiting = this.#jobs.flatMap((waitingJob) => waitingJob.events).concat(this.#batch.take());
      this.#jobs = [];
      this.#giveUp(outcome.error, job.events.concat(waiting));
      return;
    }
    this.#giveUp(outcome.error, job.events);
  }

  /** Past `close()`'s deadline: the job's events join its cut-off list. */
  #cutShort(job: Job<T>): void {
    this.#size -= job.events.length;
    this.#closing?.cutOff.push(...job.events);
  }

  #giveUp(error: DeliveryError, events: T[]): void {
    this.#size -= events.length;
    this.#closing?.failed.push(...events);
    this.#options.failed(error, events);
  }

  #isIdle(): boolean {
    return this.#jobs.length === 0 && this.#inFlight.size === 0 && this.#batch.size === 0;
  }

  #notifyIdle(): void {
    if (!this.#isIdle() || this.#idle.length === 0) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }
}
