/**
 * The training display: `Epoch 1/5`, then a progress line updated in place on a terminal (through
 * cli-progress), or a single line per epoch when the output is not a terminal (logs, CI) or verbose is 2.
 */
import cliProgress from 'cli-progress';
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';
import { progressLine } from './progress-line.js';

/** Where progress goes: process.stdout by default; in place only when it is a terminal. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A terminal is a stream (cli-progress draws on it). */
function isTerminal(out: ProgressOutput): out is ProgressOutput & NodeJS.WritableStream {
  return out.isTTY === true;
}

/** process.stdout in Node; in a browser, lines go to the console. */
export function standardOutput(): ProgressOutput {
  if (typeof process === 'object' && process.stdout) return process.stdout;
  return { write: (text) => console.log(text.replace(/\n$/, '')) };
}

/** A progress line over `steps` steps; `finish` leaves the final line on screen. */
export class ProgressLine {
  readonly #out: ProgressOutput;
  readonly #inPlace: boolean;
  readonly #steps: number;
  readonly #start = performance.now();
  #bar: cliProgress.SingleBar | null = null;

  constructor(steps: number, out: ProgressOutput, inPlace: boolean) {
    this.#out = out;
    this.#steps = steps;
    if (inPlace && isTerminal(out)) {
      this.#bar = new cliProgress.SingleBar({
        format: (_options, params, payload: { line: string }) => payload.line ?? this.#line(params.value, {}),
        stream: out,
        hideCursor: true,
        linewrap: false,
        fps: 10,
        gracefulExit: true,
      });
      this.#bar.start(steps, 0, { line: this.#line(0, {}) });
    }
    this.#inPlace = this.#bar !== null;
  }

  update(step: number, logs: Logs): void {
    this.#bar?.update(step, { line: this.#line(step, logs) });
  }

  finish(logs: Logs): void {
    const line = this.#line(this.#steps, logs);
    if (this.#bar) {
      this.#bar.update(this.#steps, { line });
      this.#bar.stop();
      this.#bar = null;
    } else {
      this.#out.write(`${line}\n`);
    }
  }

  /** Stops an in-place bar where it is (training failed). */
  abort(): void {
    this.#bar?.stop();
    this.#bar = null;
  }

  #line(step: number, logs: Logs): string {
    const elapsed = (performance.now() - this.#start) / 1000;
    return progressLine({ step, steps: this.#steps, elapsed, logs, color: this.#inPlace });
  }
}

export class ProgressBar implements Callback {
  readonly #out: ProgressOutput;
  #params: TrainingParams | null = null;
  #line: ProgressLine | null = null;

  constructor(out: ProgressOutput = standardOutput()) {
    this.#out = out;
  }

  setContext(_model: TrainingTarget, params: TrainingParams): void {
    this.#params = params;
  }

  onEpochBegin(epoch: number): void {
    const p = this.#params!;
    this.#out.write(`Epoch ${epoch + 1}/${p.epochs}\n`);
    this.#line = new ProgressLine(p.steps, this.#out, p.verbose === 1);
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.#line?.update(batch + 1, logs);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.#line?.finish(logs);
    this.#line = null;
  }

  close(): void {
    this.#line?.abort();
    this.#line = null;
  }
}
