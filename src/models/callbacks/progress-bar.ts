/**
 * The training display: `Epoch 1/5`, then a progress line updated in place on a terminal, or a single
 * line per epoch when the output is not a terminal (logs, CI, browsers) or verbose is 2. Drawing in place
 * needs Node: the Node entry (src/index.ts) provides it (terminal-line.ts, through cli-progress), so the
 * browser bundle carries none of it.
 */
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';
import { progressLine } from './progress-line.js';

/** Where progress goes: process.stdout by default; in place only when it is a terminal. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A terminal is a stream (the in-place line draws on it). */
function isTerminal(out: ProgressOutput): out is ProgressOutput & NodeJS.WritableStream {
  return out.isTTY === true;
}

/** A line redrawn in place, `steps` steps long. */
export interface InPlaceLine {
  update(step: number, line: string): void;
  /** Leaves the line as it is and ends the drawing. */
  stop(): void;
}

/** Starts an in-place line on a terminal, showing `first`. */
export type InPlaceLines = (terminal: NodeJS.WritableStream, steps: number, first: string) => InPlaceLine;

let inPlaceLines: InPlaceLines | null = null;

/** How progress is drawn in place on terminals (null: one line per epoch everywhere). src/index.ts sets it. */
export function drawProgressInPlace(lines: InPlaceLines | null): void {
  inPlaceLines = lines;
}

/** process.stdout in Node; in a browser, lines go to the console. */
export function standardOutput(): ProgressOutput {
  if (typeof process === 'object' && process.stdout) return process.stdout;
  return { write: (text) => console.log(text.replace(/\n$/, '')) };
}

/**
 * A progress line over `steps` steps (null: not known, counted as they come); `finish` leaves the final
 * line on screen. `waitedMs`, when given, tells how long the epoch has waited for data so far.
 */
export class ProgressLine {
  readonly #out: ProgressOutput;
  readonly #inPlace: boolean;
  readonly #steps: number | null;
  readonly #start = performance.now();
  readonly #waitedMs: () => number;
  #bar: InPlaceLine | null = null;
  #step = 0;

  constructor(steps: number | null, out: ProgressOutput, inPlace: boolean, waitedMs: () => number = () => 0) {
    this.#out = out;
    this.#steps = steps;
    this.#waitedMs = waitedMs;
    // An in-place bar needs its length; an unknown one is written as lines.
    this.#inPlace = inPlace && steps !== null && isTerminal(out) && inPlaceLines !== null;
    if (this.#inPlace && isTerminal(out) && inPlaceLines) this.#bar = inPlaceLines(out, steps!, this.#line(0, {}));
  }

  update(step: number, logs: Logs): void {
    this.#step = step;
    this.#bar?.update(step, this.#line(step, logs));
  }

  finish(logs: Logs): void {
    const steps = this.#steps ?? this.#step;
    const line = this.#line(steps, logs, steps);
    if (this.#bar) {
      this.#bar.update(steps, line);
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

  #line(step: number, logs: Logs, steps = this.#steps): string {
    const elapsed = (performance.now() - this.#start) / 1000;
    return progressLine({ step, steps, elapsed, waited: this.#waitedMs() / 1000, logs, color: this.#inPlace });
  }
}

export class ProgressBar implements Callback {
  readonly #out: ProgressOutput;
  #params: TrainingParams | null = null;
  #model: TrainingTarget | null = null;
  #line: ProgressLine | null = null;

  constructor(out: ProgressOutput = standardOutput()) {
    this.#out = out;
  }

  setContext(model: TrainingTarget, params: TrainingParams): void {
    this.#model = model;
    this.#params = params;
  }

  onEpochBegin(epoch: number): void {
    const p = this.#params!;
    this.#out.write(`Epoch ${epoch + 1}/${p.epochs}\n`);
    // Fit's position moves to the next epoch (step 0) as this one ends, still carrying this one's wait.
    const waitedMs = (): number => {
      const at = this.#model?.history?.position;
      return at && (at.epoch === epoch || (at.epoch === epoch + 1 && at.step === 0)) ? at.waitedMs : 0;
    };
    this.#line = new ProgressLine(p.steps, this.#out, p.verbose === 1, waitedMs);
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
