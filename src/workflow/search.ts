/**
 * Hyperparameter search (the seed's 2.4.7): every combination of a grid, or random draws from ranges,
 * each trial a fresh model from the factory, scored on a hold-out part or by K-fold, and the trials
 * sorted best first. Every trial sees the same splits and the same per-fold seeds, so differences
 * between trials come from their hyperparameters.
 */
import { Monitor } from '../models/callbacks/monitor.js';
import type { MonitorMode } from '../models/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { LayerwiseError, ValueError, describe } from '../util/errors.js';
import { rng } from '../util/random.js';
import type { FoldResult } from './cross-validate.js';
import { meanAndStd, summarize } from './cross-validate.js';
import type { ExperimentOptions, FoldTask, ModelFactory } from './fold-task.js';
import type { ModuleExport } from './module-export.js';
import type { ParallelOptions } from './run-tasks.js';
import { runTasks, taskSeed } from './run-tasks.js';
import { failureMessage } from './task-tracker.js';
import type { Fold } from './splits.js';
import { RepeatedKFold, holdOutIndices } from './splits.js';
import { formatTable } from './table.js';

/** Hyperparameter values are plain data, so they can be shown in a table and sent to worker threads. */
export type ParamValue = number | string | boolean | null;
export type Params = Readonly<Record<string, ParamValue>>;

/** Grid: the values to try for each hyperparameter. */
export type GridSpace = Readonly<Record<string, readonly ParamValue[]>>;

/** Random search: values to choose from, or a range to draw from (logUniform for learning rates, say). */
export type Distribution =
  | readonly ParamValue[]
  | { readonly uniform: readonly [number, number] }
  | { readonly logUniform: readonly [number, number] }
  | { readonly intRange: readonly [number, number] };
export type RandomSpace = Readonly<Record<string, Distribution>>;

type GridParams<S extends GridSpace> = { [K in keyof S]: S[K][number] };
type RandomParams<S extends RandomSpace> = { [K in keyof S]: S[K] extends readonly (infer V)[] ? V : number };

export interface SearchOptions extends Omit<ExperimentOptions<Params>, 'buildModel'>, ParallelOptions {
  /** How a trial is scored: on a hold-out part ({ testSize }, default { testSize: 0.2 }) or by K-fold ({ folds, repeats }). */
  validation?: { testSize: number } | { folds: number; repeats?: number };
  /** Keep class proportions in the splits (default false). */
  stratify?: boolean;
  /** The score trials are ranked by (default 'loss'). */
  objective?: string;
  /** Whether lower or higher is better; 'auto' (default): higher for accuracy-like names, lower otherwise. */
  mode?: MonitorMode;
  /**
   * Failed trials tolerated (default Infinity). A trial that throws is reported with its error and ranked
   * last, and the search goes on; one failure more than this stops it. A search whose every trial failed throws.
   */
  maxFailures?: number;
}

export interface Trial<P> {
  /** 1 for the best trial. */
  rank: number;
  params: P;
  /** Mean scores over the folds (one fold for hold-out). */
  scores: Record<string, number>;
  std: Record<string, number>;
  folds: FoldResult[];
  /** Why the trial failed (its scores are then NaN and it ranks last); absent for trials that ran. */
  error?: string;
}

export interface SearchResult<P> {
  /** Best first. */
  trials: Trial<P>[];
  best: Trial<P>;
  objective: string;
  direction: 'min' | 'max';
  /** The trials as a text table, best first. */
  table(): string;
}

/** Tries every combination of the grid's values. */
export async function gridSearch<S extends GridSpace>(
  buildModel: ModelFactory<GridParams<S>> | ModuleExport,
  space: S,
  x: TensorLike,
  y: TensorLike,
  options: SearchOptions = {},
): Promise<SearchResult<GridParams<S>>> {
  const where = 'gridSearch';
  checkSpace(where, space);
  const keys = Object.keys(space);
  const grid = keys.reduce<Record<string, ParamValue>[]>((combos, key) => combos.flatMap((c) => space[key]!.map((v) => ({ ...c, [key]: v }))), [{}]);
  return search(where, buildModel, grid as GridParams<S>[], x, y, options);
}

/** Draws `trials` combinations at random (from the global seeded generator). */
export async function randomSearch<S extends RandomSpace>(
  buildModel: ModelFactory<RandomParams<S>> | ModuleExport,
  space: S,
  x: TensorLike,
  y: TensorLike,
  options: SearchOptions & { trials: number },
): Promise<SearchResult<RandomParams<S>>> {
  const where = 'randomSearch';
  checkSpace(where, space);
  if (!Number.isInteger(options.trials) || options.trials < 1) throw new ValueError(`${where}: option 'trials' expected a positive integer, received ${describe(options.trials)}`);
  const draws = Array.from({ length: options.trials }, () =>
    Object.fromEntries(Object.entries(space).map(([key, d]) => [key, draw(where, key, d)])),
  );
  return search(where, buildModel, draws as RandomParams<S>[], x, y, options);
}

async function search<P extends object>(where: string, buildModel: ModelFactory<P> | ModuleExport, trials: P[], x: TensorLike, y: TensorLike, options: SearchOptions): Promise<SearchResult<P>> {
  const xs = toTensor(where, 'x', x), ys = toTensor(where, 'y', y);
  const n = xs.shape[0] ?? 0;
  if (ys.shape[0] !== n) throw new ValueError(`${where}: arguments 'x' and 'y' expected the same number of samples, received ${n} and ${ys.shape[0] ?? 'a scalar'}`);
  const maxFailures = options.maxFailures ?? Infinity;
  if (!(maxFailures === Infinity || (Number.isInteger(maxFailures) && maxFailures >= 0))) {
    throw new ValueError(`${where}: option 'maxFailures' expected a non-negative integer or Infinity, received ${describe(options.maxFailures)}`);
  }
  const objective = options.objective ?? 'loss';
  const { direction, key } = new Monitor(where, objective, options.mode ?? 'auto', 0);
  const folds = splitsFor(where, n, options, ys);
  const base = rng().nextUint32();
  const tasks: FoldTask<P>[] = trials.flatMap((params) => folds.map((f, i) => ({ params, train: f.train, test: f.test, seed: taskSeed(base, i) })));
  const experiment = { ...options, buildModel } as ExperimentOptions<P> & ParallelOptions;
  const k = folds.length;
  const describeTrial = (t: number) => `trial ${t + 1} of ${trials.length} (${Object.entries(trials[t]!).map(([name, v]) => `${name}=${String(v)}`).join(', ')})`;
  const plan = {
    where,
    describe: (i: number) => (k > 1 ? `${describeTrial(Math.floor(i / k))}, fold ${(i % k) + 1}` : describeTrial(i)),
    trialOf: (i: number) => Math.floor(i / k),
    maxFailures,
    objective: { key, direction },
  };
  const outcomes = await runTasks(where, experiment, xs, ys, tasks, plan);
  const failures = trials.map((_, t) => outcomes.slice(t * k, (t + 1) * k).find((r) => !r.ok));
  const firstGood = failures.findIndex((f) => f === undefined);
  if (firstGood < 0) {
    const errors = failures.map((f) => (f && !f.ok ? failureMessage(f.error) : ''));
    throw new LayerwiseError(`${where}: every trial failed:\n  ${errors.join('\n  ')}`);
  }
  const okOutcomes = (t: number) => outcomes.slice(t * k, (t + 1) * k).map((r) => (r.ok ? r.outcome : null!));
  const reported = Object.keys(summarize(folds, okOutcomes(firstGood)).mean);
  const results = trials.map((params, t): Trial<P> => {
    const failure = failures[t];
    if (failure && !failure.ok) {
      const nan = Object.fromEntries(reported.map((name) => [name, NaN]));
      return { rank: 0, params, scores: nan, std: { ...nan }, folds: [], error: failure.error.message };
    }
    const cv = summarize(folds, okOutcomes(t));
    return { rank: 0, params, scores: cv.mean, std: cv.std, folds: cv.folds };
  });
  if (!reported.includes(key)) {
    throw new ValueError(`${where}: option 'objective' names '${key}', which the trials do not report (they report ${reported.join(', ')})`);
  }
  const value = (t: Trial<P>) => t.scores[key]!;
  const sorted = results
    .map((t, i) => ({ t, i }))
    .sort((a, b) => {
      const [va, vb] = [value(a.t), value(b.t)];
      if (Number.isNaN(va) !== Number.isNaN(vb)) return Number.isNaN(va) ? 1 : -1;
      return (direction === 'min' ? va - vb : vb - va) || a.i - b.i;
    })
    .map(({ t }, i) => ({ ...t, rank: i + 1 }));
  const names = Object.keys(trials[0] ?? {});
  const spread = folds.length > 1;
  return {
    trials: sorted,
    best: sorted[0]!,
    objective: key,
    direction,
    table: () =>
      formatTable(
        ['rank', ...names, ...reported.map((s) => (s === key ? `${s} (${direction})` : s))],
        sorted.map((t) => [
          t.rank,
          ...names.map((k) => String((t.params as Record<string, unknown>)[k])),
          ...(t.error !== undefined
            ? [`failed: ${t.error}`]
            : reported.map((s) => (spread ? `${t.scores[s]!.toFixed(4)} ± ${t.std[s]!.toFixed(4)}` : t.scores[s]!))),
        ]),
      ),
  };
}

function splitsFor(where: string, n: number, options: SearchOptions, y: TensorLike): Fold[] {
  const v = options.validation ?? { testSize: 0.2 };
  if ('folds' in v) return new RepeatedKFold({ folds: v.folds, repeats: v.repeats ?? 1, stratify: options.stratify ?? false }).split(options.stratify ? y : n);
  if ('testSize' in v) {
    const { train, test } = holdOutIndices(n, { testSize: v.testSize }, options.stratify ? y : null);
    return [{ repeat: 0, fold: 0, train, test }];
  }
  throw new ValueError(`${where}: option 'validation' expected { testSize } or { folds, repeats }, received ${describe(v)}`);
}

function checkSpace(where: string, space: object): void {
  if (typeof space !== 'object' || space === null || Object.keys(space).length === 0) {
    throw new ValueError(`${where}: argument 'space' expected an object with at least one hyperparameter, received ${describe(space)}`);
  }
  for (const [key, d] of Object.entries(space)) {
    if (Array.isArray(d) && d.length === 0) throw new ValueError(`${where}: hyperparameter '${key}' has no values to try`);
  }
}

function draw(where: string, key: string, d: Distribution): ParamValue {
  const r = rng();
  if (Array.isArray(d)) return d[r.int(d.length)]!;
  const range = (pair: unknown, ok: (lo: number, hi: number) => boolean, what: string): [number, number] => {
    if (!Array.isArray(pair) || pair.length !== 2 || !ok(pair[0], pair[1])) throw new ValueError(`${where}: hyperparameter '${key}' expected ${what}, received ${describe(pair)}`);
    return [pair[0], pair[1]];
  };
  if ('uniform' in d) {
    const [lo, hi] = range(d.uniform, (a, b) => Number.isFinite(a) && a < b, '{ uniform: [low, high] } with low < high');
    return r.uniform(lo, hi);
  }
  if ('logUniform' in d) {
    const [lo, hi] = range(d.logUniform, (a, b) => a > 0 && a < b, '{ logUniform: [low, high] } with 0 < low < high');
    return Math.exp(r.uniform(Math.log(lo), Math.log(hi)));
  }
  if ('intRange' in d) {
    const [lo, hi] = range(d.intRange, (a, b) => Number.isInteger(a) && Number.isInteger(b) && a <= b, '{ intRange: [low, high] } of integers, low <= high (both included)');
    return lo + r.int(hi - lo + 1);
  }
  throw new ValueError(`${where}: hyperparameter '${key}' expected a list of values, { uniform }, { logUniform } or { intRange }, received ${describe(d)}`);
}
