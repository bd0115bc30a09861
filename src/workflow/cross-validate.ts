/**
 * K-fold and iterated K-fold cross-validation of a model factory (the seed's 2.1.2 and 2.1.3): a fresh
 * model per fold, preprocessing fitted on the fold's training part only, and the per-fold scores with
 * their mean and standard deviation.
 */
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { rng } from '../util/random.js';
import type { ExperimentOptions, FoldOutcome } from './fold-task.js';
import type { ParallelOptions } from './run-tasks.js';
import { runTasks, taskSeed } from './run-tasks.js';
import type { Fold } from './splits.js';
import { RepeatedKFold } from './splits.js';
import { formatTable } from './table.js';

export interface CrossValidateOptions<P> extends Omit<ExperimentOptions<P>, 'buildModel'>, ParallelOptions {
  /** Default 5. */
  folds?: number;
  /** Iterated K-fold: repeat with a new shuffle each time (default 1). */
  repeats?: number;
  /** Keep the class proportions of y in every fold (default false). */
  stratify?: boolean;
  /** Passed to buildModel (search passes a trial's hyperparameters). */
  params?: P;
}

export interface FoldResult extends FoldOutcome {
  repeat: number;
  fold: number;
  trainSize: number;
  testSize: number;
}

export interface CrossValidation {
  folds: FoldResult[];
  /** The mean of each score over all folds (of all repeats). */
  mean: Record<string, number>;
  /** The standard deviation of each score over all folds (population, as NumPy's std). */
  std: Record<string, number>;
  /** The folds and the mean ± std as a text table. */
  table(): string;
}

export async function crossValidate<P = undefined>(
  buildModel: ExperimentOptions<P>['buildModel'],
  x: TensorLike,
  y: TensorLike,
  options: CrossValidateOptions<P> = {},
): Promise<CrossValidation> {
  const where = 'crossValidate';
  const xs = toTensor(where, 'x', x), ys = toTensor(where, 'y', y);
  const folds = new RepeatedKFold({ folds: options.folds ?? 5, repeats: options.repeats ?? 1, stratify: options.stratify ?? false })
    .split(options.stratify ? ys : sampleCountOf(where, xs, ys));
  const outcomes = await evaluateFolds(where, { ...options, buildModel }, xs, ys, folds, options.params as P);
  return summarize(folds, outcomes);
}

/** Runs one task per fold, each seeded from one draw of the global generator; any failed fold fails the run. */
export async function evaluateFolds<P>(where: string, experiment: ExperimentOptions<P> & ParallelOptions, x: Tensor, y: Tensor, folds: readonly Fold[], params: P): Promise<FoldOutcome[]> {
  const base = rng().nextUint32();
  const tasks = folds.map((f, i) => ({ params, train: f.train, test: f.test, seed: taskSeed(base, i) }));
  const repeated = folds.some((f) => f.repeat > 0);
  const plan = {
    where,
    describe: (i: number) => `fold ${repeated ? `${folds[i]!.repeat + 1}.${folds[i]!.fold + 1}` : folds[i]!.fold + 1} of ${folds.length}`,
    // Every fold counts: one failure stops the run.
    trialOf: () => 0,
    maxFailures: 0,
  };
  const results = await runTasks(where, experiment, x, y, tasks, plan);
  return results.map((r) => (r.ok ? r.outcome : unreachable()));
}

function unreachable(): never {
  throw new Error('a failed fold was not reported');
}

export function summarize(folds: readonly Fold[], outcomes: readonly FoldOutcome[]): CrossValidation {
  const results: FoldResult[] = folds.map((f, i) => ({ repeat: f.repeat, fold: f.fold, trainSize: f.train.length, testSize: f.test.length, ...outcomes[i]! }));
  const { mean, std } = meanAndStd(results.map((r) => r.scores));
  const repeated = results.some((r) => r.repeat > 0);
  const label = (r: FoldResult) => (repeated ? `${r.repeat + 1}.${r.fold + 1}` : String(r.fold + 1));
  return {
    folds: results,
    mean,
    std,
    table: () =>
      formatTable(
        ['fold', 'train', 'test', ...Object.keys(mean)],
        [
          ...results.map((r) => [label(r), r.trainSize, r.testSize, ...Object.keys(mean).map((k) => r.scores[k]!)]),
          ['mean ± std', '', '', ...Object.keys(mean).map((k) => `${fmt(mean[k]!)} ± ${fmt(std[k]!)}`)],
        ],
      ),
  };
}

export function meanAndStd(list: readonly Record<string, number>[]): { mean: Record<string, number>; std: Record<string, number> } {
  const mean: Record<string, number> = {}, std: Record<string, number> = {};
  for (const key of Object.keys(list[0] ?? {})) {
    const values = list.map((s) => s[key]!);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[key] = m;
    std[key] = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
  }
  return { mean, std };
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

function sampleCountOf(where: string, x: Tensor, y: Tensor): number {
  const n = x.shape[0] ?? 0;
  if (y.shape[0] !== n) throw new ValueError(`${where}: arguments 'x' and 'y' expected the same number of samples, received ${n} and ${y.shape[0] ?? 'a scalar'}`);
  return n;
}
