/**
 * Classification scores as plain functions of labels and predicted classes: accuracy, the confusion
 * matrix, and precision, recall and F1 for one class ('binary') or averaged over classes ('macro',
 * 'micro', 'weighted'), with the standard definitions (those of scikit-learn). A score whose
 * denominator is zero is undefined: it throws, naming the class, unless `zeroDivision` gives its value.
 */
import type { TensorLike } from '../tensor/creation.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import { readClasses, sameLength } from './arrays.js';

export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

export interface ClassScoreOptions {
  /** 'binary' (default) scores `positiveLabel` alone; the others average over the classes present. */
  average?: Average;
  /** The class that 'binary' scores (default 1). */
  positiveLabel?: number;
  /** The value of an undefined score (a zero denominator); by default it throws. */
  zeroDivision?: number | 'error';
  /**
   * The classes that 'macro', 'micro' and 'weighted' average over (default: every class present in the
   * labels or the predictions), as scikit-learn's `labels`.
   */
  labels?: number[];
}

export type ClassScore = 'precision' | 'recall' | 'f1' | 'jaccard';

const CLASS_SCORE_OPTIONS = optionsSpec({
  average: is.oneOf<Average>(['binary', 'macro', 'micro', 'weighted']).default('binary'),
  positiveLabel: is.nonNegativeInteger.default(1),
  zeroDivision: is.numberIn(0, 1).or(is.oneOf(['error'] as const)).default('error'),
  labels: is.arrayOf(is.nonNegativeInteger, { minLength: 1 }).optional(),
} satisfies SpecFor<ClassScoreOptions>);

export interface ConfusionMatrixOptions {
  /** The number of classes: the matrix's size (default: the largest class seen + 1). */
  numClasses?: number;
}

const CONFUSION_OPTIONS = optionsSpec({ numClasses: is.positiveInteger.optional() } satisfies SpecFor<ConfusionMatrixOptions>);

/** Fraction of samples whose predicted class equals the label. */
export function accuracyScore(yTrue: TensorLike, yPred: TensorLike): number {
  const t = readClasses('accuracyScore', 'yTrue', yTrue), p = readClasses('accuracyScore', 'yPred', yPred);
  sameLength('accuracyScore', t, p);
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return hits / t.length;
}

/**
 * Counts of (true class, predicted class): row i, column j holds the samples of class i predicted as j.
 * Its size is `numClasses`, or the largest class seen + 1.
 */
export function confusionMatrix(yTrue: TensorLike, yPred: TensorLike, options: ConfusionMatrixOptions = {}): number[][] {
  const where = 'confusionMatrix';
  const { numClasses } = CONFUSION_OPTIONS.parse(where, options);
  const t = readClasses(where, 'yTrue', yTrue), p = readClasses(where, 'yPred', yPred);
  sameLength(where, t, p);
  const k = classCount(where, numClasses, t, p);
  const m = emptyConfusion(k);
  for (let i = 0; i < t.length; i++) m[t[i]!]![p[i]!]!++;
  return m;
}

export function precisionScore(yTrue: TensorLike, yPred: TensorLike, options: ClassScoreOptions = {}): number {
  return classScore('precisionScore', 'precision', yTrue, yPred, options);
}

export function recallScore(yTrue: TensorLike, yPred: TensorLike, options: ClassScoreOptions = {}): number {
  return classScore('recallScore', 'recall', yTrue, yPred, options);
}

/** The harmonic mean of precision and recall: 2TP / (2TP + FP + FN) per class. */
export function f1Score(yTrue: TensorLike, yPred: TensorLike, options: ClassScoreOptions = {}): number {
  return classScore('f1Score', 'f1', yTrue, yPred, options);
}

/**
 * The Jaccard index, or intersection over union: TP / (TP + FP + FN) per class (scikit-learn's
 * jaccard_score). Its 'macro' average over the classes present is Keras's MeanIoU.
 */
export function jaccardScore(yTrue: TensorLike, yPred: TensorLike, options: ClassScoreOptions = {}): number {
  return classScore('jaccardScore', 'jaccard', yTrue, yPred, options);
}

function classScore(where: string, score: ClassScore, yTrue: TensorLike, yPred: TensorLike, options: ClassScoreOptions): number {
  const { average, positiveLabel, labels } = CLASS_SCORE_OPTIONS.parse(where, options);
  const t = readClasses(where, 'yTrue', yTrue), p = readClasses(where, 'yPred', yPred);
  sameLength(where, t, p);
  const atLeast = Math.max(average === 'binary' ? positiveLabel + 1 : 0, ...(labels ?? []).map((c) => c + 1));
  const m = emptyConfusion(classCount(where, undefined, t, p, atLeast));
  for (let i = 0; i < t.length; i++) m[t[i]!]![p[i]!]!++;
  return scoreFromConfusion(where, score, m, options);
}

/** Precision, recall or F1 from a confusion matrix of (possibly weighted) counts. */
export function scoreFromConfusion(where: string, score: ClassScore, m: readonly (readonly number[])[], options: ClassScoreOptions = {}): number {
  const { average, zeroDivision, positiveLabel: positive, labels } = CLASS_SCORE_OPTIONS.parse(where, options);
  const k = m.length;
  const outside = labels?.find((c) => c >= k);
  if (outside !== undefined) throw new ValueError(`${where}: option 'labels' names class ${outside}, but the confusion matrix has ${k} classes`);
  const counts = (c: number) => {
    let predicted = 0, actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += m[j]![c]!;
      actual += m[c]![j]!;
    }
    const tp = m[c]![c]!;
    return { tp, fp: predicted - tp, fn: actual - tp, support: actual };
  };
  const ratio = (num: number, den: number, why: string): number => {
    if (den > 0) return num / den;
    if (zeroDivision === 'error') {
      throw new ValueError(`${where}: ${score} is undefined: ${why}. Pass zeroDivision: 0 (or 1) to count it as that value`);
    }
    return zeroDivision;
  };
  const ofClass = (c: number): number => {
    const { tp, fp, fn } = counts(c);
    switch (score) {
      case 'precision':
        return ratio(tp, tp + fp, `no sample was predicted as class ${c}`);
      case 'recall':
        return ratio(tp, tp + fn, `no sample has class ${c}`);
      case 'f1':
        return ratio(2 * tp, 2 * tp + fp + fn, `class ${c} appears neither in the labels nor in the predictions`);
      case 'jaccard':
        return ratio(tp, tp + fp + fn, `class ${c} appears neither in the labels nor in the predictions`);
      default:
        return score satisfies never;
    }
  };
  const present = labels ?? Array.from({ length: k }, (_, c) => c).filter((c) => counts(c).support > 0 || counts(c).tp + counts(c).fp > 0);
  switch (average) {
    case 'binary': {
      const others = present.filter((c) => c !== positive);
      if (others.length > 1) {
        throw new ValueError(
          `${where}: average 'binary' scores one class against one other, but the labels and predictions hold classes ${present.join(', ')}; choose average 'macro', 'micro' or 'weighted'`,
        );
      }
      return positive < k ? ofClass(positive) : ratio(0, 0, `class ${positive} appears neither in the labels nor in the predictions`);
    }
    case 'micro': {
      // The counts summed over the classes, then scored. Over every class, false positives and false
      // negatives are the same misclassified samples, so micro precision, recall and F1 equal the accuracy.
      let tp = 0, fp = 0, fn = 0;
      for (const c of labels ?? Array.from({ length: k }, (_, i) => i)) {
        const n = counts(c);
        tp += n.tp;
        fp += n.fp;
        fn += n.fn;
      }
      const why = 'there are no samples of these classes';
      switch (score) {
        case 'precision':
          return ratio(tp, tp + fp, why);
        case 'recall':
          return ratio(tp, tp + fn, why);
        case 'f1':
          return ratio(2 * tp, 2 * tp + fp + fn, why);
        case 'jaccard':
          return ratio(tp, tp + fp + fn, why);
        default:
          return score satisfies never;
      }
    }
    case 'macro':
      return present.reduce((s, c) => s + ofClass(c), 0) / present.length;
    case 'weighted': {
      let total = 0, weighted = 0;
      for (const c of present) {
        const { support } = counts(c);
        if (support === 0) continue;
        total += support;
        weighted += support * ofClass(c);
      }
      return ratio(weighted, total, 'there are no samples');
    }
    default:
      return average satisfies never;
  }
}

export function emptyConfusion(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

function classCount(where: string, numClasses: number | undefined, t: Int32Array, p: Int32Array, atLeast = 0): number {
  let largest = atLeast - 1;
  for (const a of [t, p]) for (let i = 0; i < a.length; i++) largest = Math.max(largest, a[i]!);
  if (numClasses === undefined) return largest + 1;
  if (largest >= numClasses) throw new ValueError(`${where}: class ${largest} does not fit in numClasses ${numClasses}`);
  return numClasses;
}
