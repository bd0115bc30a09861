/**
 * Regression metrics, as plain functions of arrays (computed in float64, agreeing with scikit-learn) and
 * as training metrics (`metrics: ['mae', 'rmse', 'r2_score']`) that accumulate the same sums in float64
 * batch by batch, so the value after an epoch equals the plain function on all of its samples.
 *
 * The per-sample value is Keras's: the mean over the outputs of a sample (the last axes) of an
 * elementwise error, or the cosine between a sample's two vectors; a score is the mean of per-sample
 * values, weighted by `sampleWeight` when given. Percentage errors are in percent, as Keras reports them
 * (scikit-learn's mean_absolute_percentage_error is the same number divided by 100), and values below
 * 1e-7 count as 1e-7 where a formula divides by them or takes their logarithm (Keras's epsilon).
 */
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { Check, fail, is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError, fmtShape } from '../util/errors.js';
import { readValues } from './arrays.js';
import { Metric } from './metric.js';

const EPSILON = 1e-7;

/** A per-sample value from the sample's targets and predictions (`k` values each, at `offset`). */
type SampleValue = (t: Float64Array, p: Float64Array, offset: number, k: number) => number;

function meanOf(error: (t: number, p: number) => number): SampleValue {
  return (t, p, offset, k) => {
    let s = 0;
    for (let j = offset; j < offset + k; j++) s += error(t[j]!, p[j]!);
    return s / k;
  };
}

/** log(cosh(x)) without overflow: |x| + log1p(exp(-2|x|)) - log 2. */
function logCosh(x: number): number {
  const a = Math.abs(x);
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
}

const SAMPLE_VALUES = {
  absolute: meanOf((t, p) => Math.abs(t - p)),
  squared: meanOf((t, p) => (t - p) ** 2),
  percentage: meanOf((t, p) => (100 * Math.abs(t - p)) / Math.max(Math.abs(t), EPSILON)),
  squaredLog: meanOf((t, p) => (Math.log1p(Math.max(p, EPSILON)) - Math.log1p(Math.max(t, EPSILON))) ** 2),
  logCosh: meanOf((t, p) => logCosh(p - t)),
  cosine: (t, p, offset, k) => {
    let tp = 0, tt = 0, pp = 0;
    for (let j = offset; j < offset + k; j++) {
      tp += t[j]! * p[j]!;
      tt += t[j]! ** 2;
      pp += p[j]! ** 2;
    }
    // Norms floored at 1e-7 as Keras's l2 normalisation does: a zero vector has cosine 0 with anything.
    return tp / (Math.max(Math.sqrt(tt), EPSILON) * Math.max(Math.sqrt(pp), EPSILON));
  },
} satisfies Record<string, SampleValue>;

type SampleKind = keyof typeof SAMPLE_VALUES;

/** Targets and predictions of n samples with k values each, and one weight per sample. */
interface Samples {
  t: Float64Array;
  p: Float64Array;
  n: number;
  k: number;
  w: Float64Array | null;
}

/** Labels of shape [n] go with predictions of shape [n, 1], as in Keras; otherwise the shapes must be equal. */
function sameShape(where: string, tShape: readonly number[], pShape: readonly number[]): void {
  const columnOfOne = tShape.length === pShape.length - 1 && pShape[pShape.length - 1] === 1 && tShape.every((d, i) => d === pShape[i]);
  const equal = tShape.length === pShape.length && tShape.every((d, i) => d === pShape[i]);
  if (!equal && !columnOfOne) throw new ShapeError(`${where}: labels of shape ${fmtShape(tShape)} do not match predictions of shape ${fmtShape(pShape)}`);
  if (pShape.length === 0) throw new ShapeError(`${where}: expected one value per sample, received scalars`);
}

function weightsOf(where: string, weights: ArrayLike<number>, n: number): Float64Array {
  if (weights.length !== n) throw new ShapeError(`${where}: argument 'sampleWeight' expected ${n} weights (one per sample), received ${weights.length}`);
  const w = Float64Array.from(weights);
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(w[i]!) && w[i]! >= 0)) throw new ValueError(`${where}: argument 'sampleWeight' expected non-negative finite weights, received ${w[i]} at position ${i}`);
  }
  return w;
}

function readSamples(where: string, yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | undefined): Samples {
  const t = readValues(where, 'yTrue', yTrue), p = readValues(where, 'yPred', yPred);
  sameShape(where, t.shape, p.shape);
  const n = p.shape[0]!;
  if (n === 0) throw new ValueError(`${where}: received no samples`);
  const w = sampleWeight === undefined ? null : weightsOf(where, readValues(where, 'sampleWeight', sampleWeight).values, n);
  return { t: t.values, p: p.values, n, k: p.values.length / n, w };
}

function batchSamples(where: string, yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null | undefined): Samples {
  sameShape(where, yTrue.shape, yPred.shape);
  const n = yPred.shape[0]!;
  const p = Float64Array.from(storage(yPred));
  const w = sampleWeight ? weightsOf(where, storage(sampleWeight), n) : null;
  return { t: Float64Array.from(storage(yTrue)), p, n, k: n === 0 ? 0 : p.length / n, w };
}

/** Σ w_i v_i and Σ w_i over the samples: a weighted mean that batches add up exactly. */
function weightedSums(kind: SampleKind, s: Samples): [number, number] {
  const value = SAMPLE_VALUES[kind];
  let total = 0, weight = 0;
  for (let i = 0; i < s.n; i++) {
    const w = s.w ? s.w[i]! : 1;
    if (w === 0) continue;
    total += w * value(s.t, s.p, i * s.k, s.k);
    weight += w;
  }
  return [total, weight];
}

export interface RegressionScoreOptions {
  /** One non-negative weight per sample (default: all 1). */
  sampleWeight?: TensorLike;
}

/** Sample weights as any array-like a tensor reads (their values are checked once the samples are known). */
const WEIGHTS = new Check<TensorLike>('one weight per sample (an array, typed array or tensor)', (v) => (typeof v === 'object' && v !== null ? (v as TensorLike) : fail()));

const SCORE_OPTIONS = optionsSpec({ sampleWeight: WEIGHTS.optional() } satisfies SpecFor<RegressionScoreOptions>);

function score(where: string, kind: SampleKind, yTrue: TensorLike, yPred: TensorLike, options: RegressionScoreOptions): number {
  const { sampleWeight } = SCORE_OPTIONS.parse(where, options);
  const [total, weight] = weightedSums(kind, readSamples(where, yTrue, yPred, sampleWeight));
  if (weight === 0) throw new ValueError(`${where}: every sample weight is 0, so the mean is undefined`);
  return total / weight;
}

/** Mean absolute error (scikit-learn's mean_absolute_error). */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike, options: RegressionScoreOptions = {}): number {
  return score('meanAbsoluteError', 'absolute', yTrue, yPred, options);
}

/** Mean squared error (scikit-learn's mean_squared_error). */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike, options: RegressionScoreOptions = {}): number {
  return score('meanSquaredError', 'squared', yTrue, yPred, options);
}

/**
 * The square root of the mean squared error over all outputs (Keras's RootMeanSquaredError; for one
 * output, scikit-learn's mean_squared_error(squared=False)).
 */
export function rootMeanSquaredError(yTrue: TensorLike, yPred: TensorLike, options: RegressionScoreOptions = {}): number {
  return Math.sqrt(score('rootMeanSquaredError', 'squared', yTrue, yPred, options));
}

/** Mean absolute percentage error, in percent: 100 times scikit-learn's mean_absolute_percentage_error. */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike, options: RegressionScoreOptions = {}): number {
  return score('meanAbsolutePercentageError', 'percentage', yTrue, yPred, options);
}

/** Mean squared logarithmic error (scikit-learn's mean_squared_log_error, for values >= 0). */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike, options: RegressionScoreOptions = {}): number {
  return score('meanSquaredLogarithmicError', 'squaredLog', yTrue, yPred, options);
}

/** Mean of log(cosh(yPred - yTrue)) (Keras's LogCoshError). */
export function logCoshError(yTrue: TensorLike, yPred: TensorLike, options: RegressionScoreOptions = {}): number {
  return score('logCoshError', 'logCosh', yTrue, yPred, options);
}

/** Mean over samples of the cosine between a sample's target and prediction vectors (Keras's CosineSimilarity metric). */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, options: RegressionScoreOptions = {}): number {
  return score('cosineSimilarity', 'cosine', yTrue, yPred, options);
}

// ---------------------------------------------------------------------------------------------------
// R²

export type R2Aggregation = 'uniform_average' | 'variance_weighted_average';

export interface R2ScoreOptions extends RegressionScoreOptions {
  /**
   * How the scores of several outputs combine: their plain mean (default) or weighted by each output's
   * variance (scikit-learn's multioutput 'uniform_average' and 'variance_weighted').
   */
  classAggregation?: R2Aggregation;
  /** The number of regressors p, for the adjusted R² 1 - (1 - R²)(n - 1) / (n - p - 1) (default 0: plain R²). */
  numRegressors?: number;
}

const R2_CHECKS = {
  classAggregation: is.oneOf(['uniform_average', 'variance_weighted_average'] as const).default('uniform_average'),
  numRegressors: is.nonNegativeInteger.default(0),
};
const R2_OPTIONS = optionsSpec({ ...R2_CHECKS, sampleWeight: WEIGHTS.optional() } satisfies SpecFor<R2ScoreOptions>);

/**
 * Per output: the weight, the weighted mean and squared deviations of the targets (merged batch by batch
 * with Chan's formula, which stays exact where summing squares would cancel), and the residual sum of squares.
 */
class R2Sums {
  weight: Float64Array;
  mean: Float64Array;
  deviations: Float64Array;
  residuals: Float64Array;
  /** Samples with a non-zero weight (the n of the adjusted R²). */
  samples = 0;

  constructor(readonly k: number) {
    this.weight = new Float64Array(k);
    this.mean = new Float64Array(k);
    this.deviations = new Float64Array(k);
    this.residuals = new Float64Array(k);
  }

  add(s: Samples): void {
    const { t, p, n, k, w } = s;
    for (let i = 0; i < n; i++) if (!w || w[i]! > 0) this.samples++;
    for (let j = 0; j < k; j++) {
      let bw = 0, bsum = 0;
      for (let i = 0; i < n; i++) {
        const wi = w ? w[i]! : 1;
        bw += wi;
        bsum += wi * t[i * k + j]!;
      }
      if (bw === 0) continue;
      const bmean = bsum / bw;
      let bdev = 0, bres = 0;
      for (let i = 0; i < n; i++) {
        const wi = w ? w[i]! : 1;
        bdev += wi * (t[i * k + j]! - bmean) ** 2;
        bres += wi * (t[i * k + j]! - p[i * k + j]!) ** 2;
      }
      const before = this.weight[j]!, total = before + bw;
      const delta = bmean - this.mean[j]!;
      this.mean[j] = this.mean[j]! + (delta * bw) / total;
      this.deviations[j] = this.deviations[j]! + bdev + (delta * delta * before * bw) / total;
      this.residuals[j] = this.residuals[j]! + bres;
      this.weight[j] = total;
    }
  }

  /** scikit-learn's r2_score: a constant target scores 1 when predicted exactly, else 0. */
  score(aggregation: R2Aggregation, numRegressors: number, where: string | null): number {
    const raw = Array.from({ length: this.k }, (_, j) => {
      const den = this.deviations[j]!, num = this.residuals[j]!;
      return den > 0 ? 1 - num / den : num === 0 ? 1 : 0;
    });
    let r2: number;
    if (aggregation === 'uniform_average') {
      r2 = raw.reduce((a, b) => a + b, 0) / this.k;
    } else {
      const total = this.deviations.reduce((a, b) => a + b, 0);
      r2 = total > 0 ? raw.reduce((a, r, j) => a + r * this.deviations[j]!, 0) / total : this.residuals.every((r) => r === 0) ? 1 : 0;
    }
    if (numRegressors === 0) return r2;
    const n = this.samples;
    if (numRegressors >= n - 1) {
      // Keras falls back to the plain R² here; a plain function says the adjusted score is undefined.
      if (where !== null) throw new ValueError(`${where}: the adjusted R² needs more samples than regressors + 1, received ${n} samples and numRegressors ${numRegressors}`);
      return r2;
    }
    return 1 - ((1 - r2) * (n - 1)) / (n - numRegressors - 1);
  }
}

/** The coefficient of determination R² (scikit-learn's r2_score), optionally adjusted for p regressors. */
export function r2Score(yTrue: TensorLike, yPred: TensorLike, options: R2ScoreOptions = {}): number {
  const where = 'r2Score';
  const { sampleWeight, classAggregation, numRegressors } = R2_OPTIONS.parse(where, options);
  const s = readSamples(where, yTrue, yPred, sampleWeight);
  if (s.n < 2) throw new ValueError(`${where}: R² is undefined for fewer than 2 samples, received ${s.n}`);
  const sums = new R2Sums(s.k);
  sums.add(s);
  return sums.score(classAggregation, numRegressors, where);
}

// ---------------------------------------------------------------------------------------------------
// Training metrics

export interface RegressionMetricOptions {
  /** The key in logs and history (default: Keras's name of the metric). */
  name?: string;
}

const NAME_ONLY = optionsSpec({ name: is.nonEmptyString.optional() } satisfies SpecFor<RegressionMetricOptions>);

/** The weighted mean of a per-sample value over every sample seen since the last reset, in float64. */
abstract class SampleMeanMetric extends Metric {
  readonly name: string;
  #total = 0;
  #weight = 0;

  constructor(where: string, defaultName: string, private readonly kind: SampleKind, options: RegressionMetricOptions) {
    super();
    this.name = NAME_ONLY.parse(where, options).name ?? defaultName;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const [total, weight] = weightedSums(this.kind, batchSamples(this.name, yTrue, yPred, sampleWeight));
    this.#total += total;
    this.#weight += weight;
  }

  /** The mean so far (0 before any sample, as Keras). */
  protected mean(): number {
    return this.#weight === 0 ? 0 : this.#total / this.#weight;
  }

  result(): number {
    return this.mean();
  }

  reset(): void {
    this.#total = 0;
    this.#weight = 0;
  }
}

export class MeanAbsoluteError extends SampleMeanMetric {
  constructor(options: RegressionMetricOptions = {}) {
    super('MeanAbsoluteError', 'mean_absolute_error', 'absolute', options);
  }
}

export class MeanSquaredError extends SampleMeanMetric {
  constructor(options: RegressionMetricOptions = {}) {
    super('MeanSquaredError', 'mean_squared_error', 'squared', options);
  }
}

export class RootMeanSquaredError extends SampleMeanMetric {
  constructor(options: RegressionMetricOptions = {}) {
    super('RootMeanSquaredError', 'root_mean_squared_error', 'squared', options);
  }
  override result(): number {
    return Math.sqrt(this.mean());
  }
}

export class MeanAbsolutePercentageError extends SampleMeanMetric {
  constructor(options: RegressionMetricOptions = {}) {
    super('MeanAbsolutePercentageError', 'mean_absolute_percentage_error', 'percentage', options);
  }
}

export class MeanSquaredLogarithmicError extends SampleMeanMetric {
  constructor(options: RegressionMetricOptions = {}) {
    super('MeanSquaredLogarithmicError', 'mean_squared_logarithmic_error', 'squaredLog', options);
  }
}

export class LogCoshError extends SampleMeanMetric {
  constructor(options: RegressionMetricOptions = {}) {
    super('LogCoshError', 'logcosh', 'logCosh', options);
  }
}

export class CosineSimilarity extends SampleMeanMetric {
  constructor(options: RegressionMetricOptions = {}) {
    super('CosineSimilarity', 'cosine_similarity', 'cosine', options);
  }
}

export interface R2ScoreMetricOptions extends RegressionMetricOptions {
  classAggregation?: R2Aggregation;
  numRegressors?: number;
}

const R2_METRIC_OPTIONS = optionsSpec({ name: is.nonEmptyString.optional(), ...R2_CHECKS } satisfies SpecFor<R2ScoreMetricOptions>);

/** R² of every sample seen since the last reset (Keras's R2Score), equal to r2Score on all of them. */
export class R2Score extends Metric {
  readonly name: string;
  readonly classAggregation: R2Aggregation;
  readonly numRegressors: number;
  #sums: R2Sums | null = null;

  constructor(options: R2ScoreMetricOptions = {}) {
    super();
    const { name, classAggregation, numRegressors } = R2_METRIC_OPTIONS.parse('R2Score', options);
    this.name = name ?? 'r2_score';
    this.classAggregation = classAggregation;
    this.numRegressors = numRegressors;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const s = batchSamples(this.name, yTrue, yPred, sampleWeight);
    if (this.#sums && this.#sums.k !== s.k) throw new ShapeError(`${this.name}: expected ${this.#sums.k} outputs per sample as in earlier batches, received ${s.k}`);
    this.#sums ??= new R2Sums(s.k);
    this.#sums.add(s);
  }

  result(): number {
    return this.#sums === null ? 0 : this.#sums.score(this.classAggregation, this.numRegressors, null);
  }

  reset(): void {
    this.#sums = null;
  }
}
