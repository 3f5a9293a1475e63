/**
 * What the records CLI tells on stderr: each problem by where it is and which
 * field or column (never a value: the input is raw PII), progress while it
 * runs when stderr is a terminal, and one summary line at the end of every
 * run, whatever its outcome.
 */
import type { Writable } from 'node:stream';
import type { InputError } from '../core/errors.js';
import { isNameShaped } from './csv-columns.js';
import { newCounts, type NdjsonCounts } from './records.js';
import type { InputProblem } from './record-inputs.js';

const PROGRESS_EVERY_MS = 1000;

/** A field as a problem may name it: a key that is not shaped like a name may be a value (an email as a key). */
function fieldLabel(field: string): string {
  return isNameShaped(field) ? field : 'a key that is no field name (not printed)';
}

/** An input error as one line: the code, the field (when it is safe to print), and the rule it broke. */
export function describeInputError(error: InputError, event: string): string {
  const field = error.field ?? event;
  const rule = error.message.startsWith(`${field} `) ? error.message.slice(field.length + 1) : error.message;
  const safeRule = isNameShaped(field) ? rule : rule.split(field).join('(not printed)');
  return `${error.code} ${fieldLabel(field)}: ${safeRule}`;
}

export class RunReport {
  /** Inputs read (events), and the ones lost before they could be read (a row of the wrong length, bad JSON). */
  inputs = 0;
  lostBeforeReading = 0;
  problems = 0;
  readonly counts: NdjsonCounts = newCounts();
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout | undefined;
  private progressShown = false;

  constructor(private readonly stderr: Writable) {
    if ((stderr as { isTTY?: boolean }).isTTY === true) {
      this.timer = setInterval(() => this.showProgress(), PROGRESS_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Inputs that made no record, or were lost before they were read. */
  get rejected(): number {
    return this.inputs - this.counts.records + this.lostBeforeReading;
  }

  private line(text: string): void {
    // A problem line replaces the progress line, which the next tick writes again.
    if (this.progressShown) this.stderr.write('\r\x1b[K');
    this.progressShown = false;
    this.stderr.write(`${text}\n`);
  }

  inputProblem(problem: InputProblem): void {
    if (problem.lost) this.lostBeforeReading += 1;
    this.problems += 1;
    this.line(`${problem.where}: ${problem.message}`);
  }

  fieldProblem(where: string, error: InputError, event: string): void {
    this.problems += 1;
    this.line(`${where}: ${describeInputError(error, event)}`);
  }

  private showProgress(): void {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.counts.bytes / 1e6 / seconds : 0;
    this.stderr.write(
      `\r\x1b[K${this.inputs} read, ${this.counts.records} records, ${this.rejected} refused, ${rate.toFixed(1)} MB/s`,
    );
    this.progressShown = true;
  }

  /** The summary line of a run that wrote its output. */
  finished(output: string): void {
    this.stop();
    const megabytes = (this.counts.stored / 1e6).toFixed(1);
    this.line(
      `symbiosys-records: ${this.counts.records} records written, ${this.rejected} inputs rejected, ` +
        `${this.problems} problems reported (${output}, ${megabytes} MB, ${this.elapsed()})`,
    );
  }

  /** The reason and the summary line of a run that wrote nothing (or, to stdout, not all). */
  failed(output: string, reason: string, nothingWritten: boolean): void {
    this.stop();
    this.line(`symbiosys-records: ${reason}`);
    const outcome = nothingWritten ? `nothing written to ${output}` : `${output} is incomplete`;
    this.line(`symbiosys-records: failed, ${outcome}; ${this.inputs} inputs read (${this.elapsed()})`);
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
