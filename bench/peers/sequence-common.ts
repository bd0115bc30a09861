/**
 * The text model of the sequence benchmark, as every Node.js peer measures it: Embedding(10000, 128) ->
 * LSTM(128) -> Dense(1, sigmoid), sequences of 100 tokens, batches of 64, Adam, binary cross-entropy, on
 * random tokens (no padding). Training throughput is timed in windows of at least `seconds`; the median
 * window counts. `bench/peers/sequence-pytorch.py` measures the same model the same way.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../../src/util/random.js';
import { machineBusySeconds } from '../machine.js';

export const SHAPE = { vocab: 10_000, embedding: 128, units: 128, steps: 100, batch: 64 };

export interface SequenceRun {
  windows: number;
  seconds: number;
  warmup: number;
}

/** The timing arguments, and the peer's own string arguments named in `extra`. */
export function runArgs(extra: readonly string[] = []): SequenceRun & { args: Record<string, string | boolean | undefined> } {
  const names = ['windows', 'seconds', 'warmup', ...extra];
  const { values } = parseArgs({ options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), strict: false });
  return {
    windows: Number(values.windows ?? 5),
    seconds: Number(values.seconds ?? 4),
    warmup: Number(values.warmup ?? 2),
    args: values as Record<string, string | boolean | undefined>,
  };
}

/** Random batches: tokens in [1, vocab) and 0/1 labels, refilled in place for every batch. */
export class TokenBatches {
  readonly tokens = new Int32Array(SHAPE.batch * SHAPE.steps);
  readonly labels = new Float32Array(SHAPE.batch);
  readonly #rng = new Rng(42);

  next(): this {
    for (let i = 0; i < this.tokens.length; i++) this.tokens[i] = 1 + Math.floor(this.#rng.next() * (SHAPE.vocab - 1));
    for (let i = 0; i < this.labels.length; i++) this.labels[i] = this.#rng.next() < 0.5 ? 0 : 1;
    return this;
  }
}

export interface Measured {
  framework: string;
  setting: string;
  samplesPerSecond: { median: number; best: number; worst: number; windows: number[] };
  batchesPerWindow: number[];
  /** Cores other processes kept busy during the timed windows, on average (the machine is shared). */
  otherCoresBusy: number | null;
}

/** Times `step` (one training batch of `batch` samples) over windows; prints the JSON line and returns it. */
export async function measure(framework: string, setting: string, step: () => Promise<void>, run: SequenceRun, batch: number = SHAPE.batch): Promise<Measured> {
  for (let i = 0; i < run.warmup; i++) await step();
  const rates: number[] = [];
  const batches: number[] = [];
  const busyBefore = machineBusySeconds();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let w = 0; w < run.windows; w++) {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < run.seconds * 1000 || n === 0) {
      await step();
      n++;
    }
    rates.push((n * batch) / ((performance.now() - t0) / 1000));
    batches.push(n);
  }
  const elapsed = (performance.now() - start) / 1000;
  const busyAfter = machineBusySeconds();
  const cpu = process.cpuUsage(cpuBefore);
  const own = (cpu.user + cpu.system) / 1e6;
  const sorted = [...rates].sort((a, b) => a - b);
  const result: Measured = {
    framework,
    setting,
    samplesPerSecond: { median: sorted[Math.floor(sorted.length / 2)]!, best: sorted[sorted.length - 1]!, worst: sorted[0]!, windows: rates.map((r) => Math.round(r * 10) / 10) },
    batchesPerWindow: batches,
    otherCoresBusy: busyBefore === null || busyAfter === null ? null : Math.max(0, (busyAfter - busyBefore - own) / elapsed),
  };
  console.log(JSON.stringify(result));
  return result;
}
