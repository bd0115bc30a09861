/**
 * Intersection over union for segmentation (Keras's IoU metrics). Every pixel (every element of the
 * labels) is one prediction; the metric accumulates a confusion matrix of class ids over the batches,
 * weighted by sample weights, and scores each target class as TP / (TP + FP + FN). The mean is taken
 * over the target classes that appear in the labels or the predictions, so `MeanIoU` equals
 * `jaccardScore(labels, predicted, { average: 'macro' })` over all pixels.
 */
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError, fmtShape } from '../util/errors.js';
import { Metric } from './metric.js';

export interface IoUOptions {
  /** The number of classes (class ids are 0 to numClasses - 1). */
  numClasses: number;
  /** The classes whose IoU is averaged. */
  targetClassIds: number[];
  name?: string;
  /** Pixels labelled with this class are left out (a "void" class, such as 255). */
  ignoreClass?: number;
  /** Labels are class ids (default true); false: one score per class on the last axis, of which the largest counts. */
  sparseYTrue?: boolean;
  /** Predictions are class ids (default true); false: one score per class on the last axis (a softmax output). */
  sparseYPred?: boolean;
}

export type MeanIoUOptions = Omit<IoUOptions, 'targetClassIds'>;
export type OneHotIoUOptions = Omit<IoUOptions, 'sparseYTrue'>;
export type OneHotMeanIoUOptions = Omit<MeanIoUOptions, 'sparseYTrue'>;

export interface BinaryIoUOptions {
  /** Of classes 0 and 1, those averaged (default both). */
  targetClassIds?: number[];
  /** Predictions at or above it count as class 1 (default 0.5). */
  threshold?: number;
  name?: string;
}

const COMMON = {
  name: is.nonEmptyString.optional(),
  ignoreClass: is.integer.optional(),
  sparseYPred: is.boolean.default(true),
};
const classIds = is.arrayOf(is.nonNegativeInteger, { minLength: 1 });

const IOU_OPTIONS = optionsSpec({
  ...COMMON, numClasses: is.integerIn(2, 1 << 20), targetClassIds: classIds, sparseYTrue: is.boolean.default(true),
} satisfies SpecFor<IoUOptions>);
const MEAN_IOU_OPTIONS = optionsSpec({ ...COMMON, numClasses: is.integerIn(2, 1 << 20), sparseYTrue: is.boolean.default(true) } satisfies SpecFor<MeanIoUOptions>);
const ONE_HOT_IOU_OPTIONS = optionsSpec({ ...COMMON, numClasses: is.integerIn(2, 1 << 20), targetClassIds: classIds, sparseYPred: is.boolean.default(false) } satisfies SpecFor<OneHotIoUOptions>);
const ONE_HOT_MEAN_IOU_OPTIONS = optionsSpec({ ...COMMON, numClasses: is.integerIn(2, 1 << 20), sparseYPred: is.boolean.default(false) } satisfies SpecFor<OneHotMeanIoUOptions>);
const BINARY_IOU_OPTIONS = optionsSpec({
  name: is.nonEmptyString.optional(),
  targetClassIds: is.arrayOf(is.integerIn(0, 1), { minLength: 1 }).default([0, 1]),
  threshold: is.finite.default(0.5),
} satisfies SpecFor<BinaryIoUOptions>);

interface Settings {
  name: string;
  numClasses: number;
  targetClassIds: readonly number[];
  ignoreClass: number | undefined;
  sparseYTrue: boolean;
  sparseYPred: boolean;
  /** For BinaryIoU: predictions are scores, class 1 from this threshold on. */
  threshold: number | null;
}

/** What the IoU metrics share: the confusion matrix and the score; each class states its settings. */
abstract class IoUMetric extends Metric {
  readonly name: string;
  readonly numClasses: number;
  readonly targetClassIds: readonly number[];
  readonly #settings: Settings;
  /** matrix[true * numClasses + predicted]: the summed weights. */
  #matrix: Float64Array;

  protected constructor(settings: Settings) {
    super();
    const bad = settings.targetClassIds.find((c) => c >= settings.numClasses);
    if (bad !== undefined) throw new ValueError(`${settings.name}: option 'targetClassIds' names class ${bad}, but numClasses is ${settings.numClasses}`);
    this.#settings = settings;
    this.name = settings.name;
    this.numClasses = settings.numClasses;
    this.targetClassIds = settings.targetClassIds;
    this.#matrix = new Float64Array(settings.numClasses ** 2);
  }

  /** The summed confusion matrix so far: rows are true classes, columns predicted ones. */
  get confusionMatrix(): number[][] {
    const k = this.numClasses;
    return Array.from({ length: k }, (_, i) => Array.from(this.#matrix.subarray(i * k, (i + 1) * k)));
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void {
    const s = this.#settings;
    const truth = this.#classes(yTrue, s.sparseYTrue, 'labels');
    const predicted = s.threshold !== null ? Uint8Array.from(storage(yPred), (v) => (v >= s.threshold! ? 1 : 0)) : this.#classes(yPred, s.sparseYPred, 'predictions');
    if (truth.length !== predicted.length) {
      throw new ShapeError(
        `${s.name}: labels of shape ${fmtShape(yTrue.shape)} hold ${truth.length} class ids but predictions of shape ${fmtShape(yPred.shape)} hold ${predicted.length}` +
          (s.sparseYPred ? '; for one score per class (a softmax output), set sparseYPred: false' : ''),
      );
    }
    const n = yPred.shape[0] ?? 1;
    const perSample = truth.length / Math.max(n, 1);
    const weights = sampleWeight ? storage(sampleWeight) : null;
    if (weights && weights.length !== n) throw new ShapeError(`${s.name}: argument 'sampleWeight' expected ${n} weights (one per sample), received shape ${fmtShape(sampleWeight!.shape)}`);
    const k = s.numClasses;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i]!, p = predicted[i]!;
      if (t === s.ignoreClass) continue;
      this.#matrix[t * k + p] = this.#matrix[t * k + p]! + (weights ? weights[Math.floor(i / perSample)]! : 1);
    }
  }

  /** Class ids in [0, numClasses): as given (read in place), or the position of the largest score on the last axis. */
  #classes(x: Tensor, sparse: boolean, what: string): ArrayLike<number> {
    const s = this.#settings;
    const values = storage(x);
    if (!sparse) {
      const k = x.shape[x.rank - 1];
      if (x.rank < 2 || k !== s.numClasses) throw new ShapeError(`${s.name}: expected ${what} with ${s.numClasses} class scores on the last axis, received shape ${fmtShape(x.shape)}`);
      const out = new Int32Array(values.length / k);
      for (let i = 0, at = 0; i < out.length; i++, at += k) {
        let best = 0;
        for (let c = 1; c < k; c++) if (values[at + c]! > values[at + best]!) best = c;
        out[i] = best;
      }
      return out;
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === s.ignoreClass) continue;
      if (!(Number.isInteger(v) && v >= 0 && v < s.numClasses)) {
        const hint = what === 'predictions' && !Number.isInteger(v) ? '; for one score per class (a softmax output), set sparseYPred: false' : '';
        throw new ValueError(`${s.name}: expected ${what} that are class ids in [0, ${s.numClasses - 1}], received ${v} at position ${i}${hint}`);
      }
    }
    return values;
  }

  /** The mean IoU of the target classes that appear in the labels or predictions; 0 before any. */
  result(): number {
    const k = this.numClasses;
    let sum = 0, valid = 0;
    for (const c of this.targetClassIds) {
      let row = 0, column = 0;
      for (let j = 0; j < k; j++) {
        row += this.#matrix[c * k + j]!;
        column += this.#matrix[j * k + c]!;
      }
      const tp = this.#matrix[c * k + c]!;
      const union = row + column - tp;
      if (union > 0) {
        sum += tp / union;
        valid++;
      }
    }
    return valid === 0 ? 0 : sum / valid;
  }

  reset(): void {
    this.#matrix.fill(0);
  }
}

const allClasses = (k: number): number[] => Array.from({ length: k }, (_, i) => i);

/** The IoU of chosen classes, averaged. */
export class IoU extends IoUMetric {
  constructor(options: IoUOptions) {
    const o = IOU_OPTIONS.parse('IoU', options);
    super({ ...o, name: o.name ?? 'io_u', threshold: null });
  }
}

/** The IoU averaged over every class. */
export class MeanIoU extends IoUMetric {
  constructor(options: MeanIoUOptions) {
    const o = MEAN_IOU_OPTIONS.parse('MeanIoU', options);
    super({ ...o, name: o.name ?? 'mean_io_u', targetClassIds: allClasses(o.numClasses), threshold: null });
  }
}

/** IoU with one-hot labels (and, by default, one score per class as predictions). */
export class OneHotIoU extends IoUMetric {
  constructor(options: OneHotIoUOptions) {
    const o = ONE_HOT_IOU_OPTIONS.parse('OneHotIoU', options);
    super({ ...o, name: o.name ?? 'one_hot_io_u', sparseYTrue: false, threshold: null });
  }
}

/** MeanIoU with one-hot labels (and, by default, one score per class as predictions). */
export class OneHotMeanIoU extends IoUMetric {
  constructor(options: OneHotMeanIoUOptions) {
    const o = ONE_HOT_MEAN_IOU_OPTIONS.parse('OneHotMeanIoU', options);
    super({ ...o, name: o.name ?? 'one_hot_mean_io_u', sparseYTrue: false, targetClassIds: allClasses(o.numClasses), threshold: null });
  }
}

/** IoU of a binary mask: labels 0 or 1, predictions scored against a threshold. */
export class BinaryIoU extends IoUMetric {
  constructor(options: BinaryIoUOptions = {}) {
    const o = BINARY_IOU_OPTIONS.parse('BinaryIoU', options);
    super({ name: o.name ?? 'binary_io_u', numClasses: 2, targetClassIds: o.targetClassIds, ignoreClass: undefined, sparseYTrue: true, sparseYPred: true, threshold: o.threshold });
  }
}
