/**
 * Scores of rankings: ROC AUC (exact, ties counted as half), average precision (the area under the
 * precision-recall curve as a step function, as scikit-learn defines it), their curves, mean average
 * precision for multilabel problems and for ranked queries, and top-k accuracy.
 *
 * `yScore` of shape [n] (or [n, 1]) scores one binary problem. Of shape [n, k] it scores k problems, one
 * per column (one-vs-rest), and the result is their unweighted mean; `yTrue` is then a 0/1 matrix of the
 * same shape (one-hot or multi-hot rows) or class indices [n].
 */
import type { TensorLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError, fmtShape } from '../util/errors.js';
import type { Values } from './arrays.js';
import { argmaxRows, readValues, sameLength, toBinary } from './arrays.js';

/** One binary problem: 0/1 labels and scores of the same samples. */
interface Problem {
  labels: Uint8Array;
  scores: Float64Array;
  /** One non-negative weight per sample; null weighs every sample 1. */
  weights: Float64Array | null;
}

export interface RankingOptions {
  /** One non-negative weight per sample. */
  sampleWeight?: TensorLike;
}

// The weights' values are checked where they are read (readWeights).
const RANKING_OPTIONS = optionsSpec({
  sampleWeight: is.satisfying('a tensor or an array of weights', (v): v is TensorLike => v instanceof Tensor || Array.isArray(v) || ArrayBuffer.isView(v)).optional(),
} satisfies SpecFor<RankingOptions>);

/** Area under the ROC curve: the probability that a random positive scores above a random negative. */
export function rocAucScore(yTrue: TensorLike, yScore: TensorLike, options: RankingOptions = {}): number {
  const { sampleWeight } = RANKING_OPTIONS.parse('rocAucScore', options);
  return meanOver('rocAucScore', problems('rocAucScore', yTrue, yScore, sampleWeight), 'class', binaryRocAuc);
}

/** Σ (R_i − R_{i−1}) P_i over the distinct score thresholds, from the highest down. */
export function averagePrecisionScore(yTrue: TensorLike, yScore: TensorLike, options: RankingOptions = {}): number {
  const { sampleWeight } = RANKING_OPTIONS.parse('averagePrecisionScore', options);
  return meanOver('averagePrecisionScore', problems('averagePrecisionScore', yTrue, yScore, sampleWeight), 'class', binaryAveragePrecision);
}

export interface MeanAveragePrecisionOptions {
  /**
   * 'labels' (default): each column is a label of a multilabel problem, scored over the samples.
   * 'queries': each row is a query ranking its columns (items); 1 marks a relevant item.
   */
  over?: 'labels' | 'queries';
}

const MAP_OPTIONS = optionsSpec({ over: is.oneOf(['labels', 'queries'] as const).default('labels') } satisfies SpecFor<MeanAveragePrecisionOptions>);

/** The mean of the average precision of every label (multilabel) or of every query (ranking). */
export function meanAveragePrecision(yTrue: TensorLike, yScore: TensorLike, options: MeanAveragePrecisionOptions = {}): number {
  const where = 'meanAveragePrecision';
  const { over } = MAP_OPTIONS.parse(where, options);
  const t = readValues(where, 'yTrue', yTrue), s = readValues(where, 'yScore', yScore);
  if (t.shape.length !== 2 || s.shape.length !== 2 || t.shape[0] !== s.shape[0] || t.shape[1] !== s.shape[1]) {
    throw new ShapeError(`${where}: arguments 'yTrue' and 'yScore' expected matrices of the same shape [samples, labels], received ${fmtShape(t.shape)} and ${fmtShape(s.shape)}`);
  }
  const columns = matrixProblems(where, t, s);
  return over === 'labels' ? meanOver(where, columns, 'label', binaryAveragePrecision) : meanOver(where, transpose(columns), 'query', binaryAveragePrecision);
}

export interface Curve {
  /** The distinct scores, from the highest down: a sample is predicted positive when its score >= threshold. */
  thresholds: number[];
}

/** False and true positive rates at every distinct threshold, starting from (0, 0) at threshold Infinity. */
export function rocCurve(yTrue: TensorLike, yScore: TensorLike): Curve & { fpr: number[]; tpr: number[] } {
  const [problem] = singleProblem('rocCurve', yTrue, yScore);
  const { thresholds, tp, fp, positives, negatives } = thresholdCounts(problem);
  if (positives === 0 || negatives === 0) throw oneClass('rocCurve', 'the ROC curve', problem);
  return {
    thresholds: [Infinity, ...thresholds],
    fpr: [0, ...fp.map((f) => f / negatives)],
    tpr: [0, ...tp.map((t) => t / positives)],
  };
}

/** Precision and recall at every distinct threshold, from the highest down. */
export function precisionRecallCurve(yTrue: TensorLike, yScore: TensorLike): Curve & { precision: number[]; recall: number[] } {
  const [problem] = singleProblem('precisionRecallCurve', yTrue, yScore);
  const { thresholds, tp, fp, positives } = thresholdCounts(problem);
  if (positives === 0) throw new ValueError(`precisionRecallCurve: recall is undefined: the labels hold no positive sample`);
  return { thresholds, precision: tp.map((t, i) => t / (t + fp[i]!)), recall: tp.map((t) => t / positives) };
}

/**
 * Fraction of samples whose true class is among the k highest scores. On ties at the boundary the true
 * class counts as in the top k when fewer than k classes score strictly higher (as TensorFlow's in_top_k).
 */
export function topKAccuracyScore(yTrue: TensorLike, yScore: TensorLike, options: TopKOptions = {}): number {
  const where = 'topKAccuracyScore';
  const { k } = TOP_K_OPTIONS.parse(where, options);
  const s = readValues(where, 'yScore', yScore);
  if (s.shape.length !== 2) throw new ShapeError(`${where}: argument 'yScore' expected class scores [n, classes], received shape ${fmtShape(s.shape)}`);
  const [n, c] = [s.shape[0]!, s.shape[1]!];
  checkTopK(where, k, c);
  const labels = classIndices(where, readValues(where, 'yTrue', yTrue), c);
  sameLength(where, labels, { length: n }, ['yTrue', 'yScore']);
  return inTopK(labels, s.values, c, k).reduce((sum, hit) => sum + hit, 0) / n;
}

export interface TopKOptions {
  /** How many of the highest scores count (default 5, as Keras); at most the number of classes. */
  k?: number;
}

const TOP_K_OPTIONS = optionsSpec({ k: is.positiveInteger.default(5) } satisfies SpecFor<TopKOptions>);

/** k above the number of classes would count every sample as a hit: a score of 1 that says nothing. */
export function checkTopK(where: string, k: number, classes: number): void {
  if (k > classes) {
    throw new ValueError(
      `${where}: option 'k' expected at most the number of classes (${classes}), received ${k}: with more than ${classes} guesses every sample counts as a hit, so the score would be 1 whatever the model`,
    );
  }
}

/** 1 for each sample whose class (labels[i]) is among the k highest of its row of c scores, else 0. */
export function inTopK(labels: Int32Array, scores: ArrayLike<number>, c: number, k: number): Float32Array {
  return Float32Array.from(labels, (label, i) => {
    const target = scores[i * c + label]!;
    let higher = 0;
    for (let j = 0; j < c; j++) if (scores[i * c + j]! > target) higher++;
    return higher < k ? 1 : 0;
  });
}

/**
 * Σ over (positive i, negative j) of w_i w_j · [s_i > s_j], ties counting ½, over the total weight of
 * such pairs: the Mann–Whitney statistic, computed in one pass over the scores in increasing order.
 */
function binaryRocAuc(where: string, p: Problem, name: string): number {
  const order = sortedBy(p.scores, 1);
  let negativesBelow = 0, pairs = 0, positives = 0;
  forEachTie(p, order, (pos, neg) => {
    pairs += pos * (negativesBelow + neg / 2);
    negativesBelow += neg;
    positives += pos;
  });
  if (positives === 0 || negativesBelow === 0) throw oneClass(where, `ROC AUC${name}`, p);
  return pairs / (positives * negativesBelow);
}

function binaryAveragePrecision(where: string, p: Problem, name: string): number {
  const { tp, fp, positives } = thresholdCounts(p);
  if (positives === 0) {
    throw new ValueError(`${where}: average precision${name} is undefined: the labels hold no positive sample (recall has no denominator)`);
  }
  let ap = 0, previousRecall = 0;
  for (let i = 0; i < tp.length; i++) {
    const recall = tp[i]! / positives;
    ap += (recall - previousRecall) * (tp[i]! / (tp[i]! + fp[i]!));
    previousRecall = recall;
  }
  return ap;
}

/** Cumulative (weighted) true and false positives when predicting positive at each distinct score, highest first. */
function thresholdCounts(p: Problem): { thresholds: number[]; tp: number[]; fp: number[]; positives: number; negatives: number } {
  const order = sortedBy(p.scores, -1);
  const thresholds: number[] = [], tp: number[] = [], fp: number[] = [];
  let t = 0, f = 0;
  forEachTie(p, order, (pos, neg, score) => {
    t += pos;
    f += neg;
    thresholds.push(score);
    tp.push(t);
    fp.push(f);
  });
  return { thresholds, tp, fp, positives: t, negatives: f };
}

/** Walks `order` one group of equal scores at a time, with the group's positive and negative weight. */
function forEachTie(p: Problem, order: readonly number[], visit: (positive: number, negative: number, score: number) => void): void {
  for (let start = 0; start < order.length; ) {
    const score = p.scores[order[start]!]!;
    let pos = 0, neg = 0, end = start;
    for (; end < order.length && p.scores[order[end]!] === score; end++) {
      const i = order[end]!;
      const w = p.weights ? p.weights[i]! : 1;
      if (p.labels[i]) pos += w;
      else neg += w;
    }
    visit(pos, neg, score);
    start = end;
  }
}

function sortedBy(scores: Float64Array, direction: 1 | -1): number[] {
  return Array.from(scores.keys()).sort((a, b) => direction * (scores[a]! - scores[b]!));
}

function oneClass(where: string, what: string, p: Problem): ValueError {
  const positives = p.labels.reduce((s, v) => s + v, 0);
  const which = positives === 0 ? 'negative' : 'positive';
  return new ValueError(
    `${where}: ${what} is undefined when the labels hold only one class (all ${p.labels.length} samples are ${which}): it compares positive samples with negative ones`,
  );
}

function meanOver(where: string, list: Problem[], unit: string, score: (where: string, p: Problem, name: string) => number): number {
  if (list.length === 1) return score(where, list[0]!, '');
  return list.reduce((s, p, i) => s + score(where, p, ` of ${unit} ${i}`), 0) / list.length;
}

/** The binary problems of (yTrue, yScore): one for scores [n], one per column for scores [n, k]. */
function problems(where: string, yTrue: TensorLike, yScore: TensorLike, sampleWeight?: TensorLike): Problem[] {
  const s = readValues(where, 'yScore', yScore);
  const t = readValues(where, 'yTrue', yTrue);
  const weights = sampleWeight === undefined ? null : readWeights(where, sampleWeight, s.shape[0]!);
  if (s.shape.length === 1 || (s.shape.length === 2 && s.shape[1] === 1)) {
    const labels = toBinary(where, 'yTrue', t.values);
    sameLength(where, labels, s.values, ['yTrue', 'yScore']);
    return [{ labels, scores: s.values, weights }];
  }
  if (s.shape.length !== 2) throw new ShapeError(`${where}: argument 'yScore' expected scores [n] or [n, classes], received shape ${fmtShape(s.shape)}`);
  const [n, k] = [s.shape[0]!, s.shape[1]!];
  if (t.shape.length === 2 && t.shape[1] === k) {
    sameLength(where, { length: t.shape[0]! }, { length: n }, ['yTrue', 'yScore']);
    return matrixProblems(where, t, s, weights);
  }
  const classes = classIndices(where, t, k);
  sameLength(where, classes, { length: n }, ['yTrue', 'yScore']);
  const indicator = new Float64Array(n * k);
  classes.forEach((c, i) => (indicator[i * k + c] = 1));
  return matrixProblems(where, { values: indicator, shape: [n, k] }, s, weights);
}

function singleProblem(where: string, yTrue: TensorLike, yScore: TensorLike): [Problem] {
  const list = problems(where, yTrue, yScore);
  if (list.length !== 1) throw new ShapeError(`${where}: expected one score per sample (shape [n]), received ${list.length} columns of scores`);
  return [list[0]!];
}

/** One problem per column of matching [n, k] label and score matrices. */
function matrixProblems(where: string, t: Values, s: Values, weights: Float64Array | null = null): Problem[] {
  const labels = toBinary(where, 'yTrue', t.values);
  const [n, k] = [s.shape[0]!, s.shape[1]!];
  return Array.from({ length: k }, (_, j) => ({
    labels: Uint8Array.from({ length: n }, (_, i) => labels[i * k + j]!),
    scores: Float64Array.from({ length: n }, (_, i) => s.values[i * k + j]!),
    weights,
  }));
}

/** Rows of the [n, k] matrices behind column problems: the view of each query. */
function transpose(columns: Problem[]): Problem[] {
  const n = columns[0]?.labels.length ?? 0;
  return Array.from({ length: n }, (_, i) => ({
    labels: Uint8Array.from(columns, (c) => c.labels[i]!),
    scores: Float64Array.from(columns, (c) => c.scores[i]!),
    weights: null,
  }));
}

function readWeights(where: string, sampleWeight: TensorLike, n: number): Float64Array {
  const { values } = readValues(where, 'sampleWeight', sampleWeight);
  if (values.length !== n) throw new ShapeError(`${where}: argument 'sampleWeight' expected ${n} weights (one per sample), received ${values.length}`);
  values.forEach((w, i) => {
    if (!(w >= 0) || !Number.isFinite(w)) throw new ValueError(`${where}: argument 'sampleWeight' expected non-negative weights, received ${w} at position ${i}`);
  });
  return values;
}

/** Class indices from [n] (or [n, 1]) integers or one-hot rows [n, k]. */
function classIndices(where: string, t: Values, k: number): Int32Array {
  const n = t.shape[0]!;
  if (t.shape.length === 2 && t.shape[1] === k && k > 1) return argmaxRows(t.values, n, k);
  if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1))) {
    throw new ShapeError(`${where}: argument 'yTrue' expected class indices [n] or rows [n, ${k}], received shape ${fmtShape(t.shape)}`);
  }
  return Int32Array.from(t.values, (v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= k) throw new ValueError(`${where}: argument 'yTrue' expected class indices in [0, ${k - 1}], received ${v} at position ${i}`);
    return v;
  });
}
