/**
 * What the benchmark driver hands every peer process, and the one JSON line each peer prints back.
 * `bench/peers/pytorch.py` mirrors these shapes in Python; keep the two in step.
 */

import type { DataEntry } from './data.js';
import type { SequenceEntry } from './sequence.js';

/** One matrix product to time: [m, k] x [k, n]. */
export interface GemmShape {
  label: string;
  m: number;
  k: number;
  n: number;
}

/** How long and how much each peer measures; the same plan goes to every peer of one run. */
export interface Plan {
  quick: boolean;
  seed: number;
  batchSize: number;
  /** Batches trained before any timing, so lazy initialisation and JIT compilation are not timed. */
  warmupBatches: number;
  /** Training is timed in this many windows of at least `windowSeconds` each; the median counts. */
  trainWindows: number;
  windowSeconds: number;
  /**
   * The machine is shared: a window during which other processes kept more than this many cores busy is
   * discarded and timed again, at most `maxDiscardedWindows` times per measurement.
   */
  maxOtherCores: number;
  maxDiscardedWindows: number;
  /**
   * A peer whose first batch takes longer than this skips the rest of its warm-up and is timed over one
   * window of `slowTimedBatches` batches; with 0, the first batch itself is the measurement (its one-time
   * costs are small next to a batch that long).
   */
  slowBatchSeconds: number;
  slowTimedBatches: number;
  inferenceWindows: number;
  /** Train one full epoch from fresh weights and report test accuracy. */
  epoch: boolean;
  /** The epoch is skipped (and said so) when the measured speed predicts it would take longer than this. */
  epochBudgetSeconds: number;
  gemm: GemmShape[];
  /**
   * Each GEMM shape repeats for at least this long after one untimed call; the fastest repetition counts.
   * A first call that alone takes this long is the only repetition.
   */
  gemmSeconds: number;
}

export interface WindowStats {
  /** Samples per second: median over windows, and the best and worst window. */
  median: number;
  best: number;
  worst: number;
  windows: number;
  /** Average window length in seconds, and batches per window. */
  windowSeconds: number;
  batchesPerWindow: number;
  /** Windows thrown away because other processes were busy, and the most cores they used in a kept window. */
  discardedWindows: number;
  otherCoresBusy: number | null;
  /** How the figure was taken, in words, for the results page. */
  method: string;
}

export interface GemmResult extends GemmShape {
  gflops: number;
  repetitions: number;
}

/** What a peer prints as the last line of its standard output. */
export interface PeerReport {
  framework: string;
  /** The settings that distinguish this entry (backend, threads, BLAS, environment). */
  setting: string;
  train: WindowStats;
  inference: WindowStats;
  /** Test accuracy after one epoch from fresh weights, or null with the reason in `accuracyNote`. */
  testAccuracy: number | null;
  accuracyNote: string;
  /** Seconds the one-epoch training took, when it ran. */
  epochSeconds: number | null;
  gemm: GemmResult[];
  /** Peak resident memory of the peer process while training, predicting and running the epoch (before the GEMM measurements), in bytes. */
  peakRssBytes: number;
  /** CPU time the peer process used (user + system), in seconds. */
  cpuSeconds: number;
  versions: Record<string, string>;
  notes: string[];
}

/** One entry of a run as the driver records it: a report, or why there is none. */
export type EntryResult =
  | { name: string; group: RunnerGroup; status: 'ok'; report: PeerReport; conditions: RunConditions }
  | { name: string; group: RunnerGroup; status: 'failed'; error: string; conditions: RunConditions }
  | { name: string; group: RunnerGroup; status: 'skipped'; reason: string };

export type RunnerGroup = 'layerwise' | 'peer';

/** When an entry ran and what else the machine was doing meanwhile. */
export interface RunConditions {
  startedAt: string;
  wallSeconds: number;
  loadAverageBefore: number;
  /** Cores busy with other work just before the entry started (after waiting a while for idle). */
  busyCoresAtStart: number | null;
  /** Cores kept busy by other processes, averaged over the run (machine busy time minus the peer's own). */
  otherCoresBusy: number | null;
}

/** Bumped whenever the shape of bench/results.json changes, so `--only` never merges mismatched files. */
export const RESULTS_FORMAT = 2;

export interface BenchResults {
  format: typeof RESULTS_FORMAT;
  /** When the last invocation finished; with `--only`, other entries keep their earlier figures. */
  date: string;
  quick: boolean;
  plan: Plan;
  machine: MachineInfo;
  entries: EntryResult[];
  /** Warnings of the last invocation (disturbed windows are read from the entries themselves). */
  warnings: string[];
  /** The text model's entries (bench/sequence.ts), absent from results written before it existed. */
  sequence?: SequenceEntry[];
  /** The data pipelines' entries (bench/data.ts), absent from results written before they existed. */
  data?: DataEntry[];
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  simd: string;
  memoryGiB: number;
  node: string;
  os: string;
}
