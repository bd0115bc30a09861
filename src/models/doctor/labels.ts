/**
 * The model doctor's checks of the labels: their encoding against the loss, class imbalance where
 * accuracy misleads, and a validation split cut from sorted labels.
 */
import type { Loss } from '../../losses/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { storage } from '../../tensor/tensor.js';
import { nameKey } from '../../util/names.js';
import type { DoctorCheck, DoctorContext, DoctorFinding } from './check.js';

/** Largest / smallest class count from which accuracy is a poor summary. */
const IMBALANCE_RATIO = 4;
/** Fewer samples than this can be sorted by chance. */
const SORTED_MIN_SAMPLES = 10;

const ACCURACY_NAMES = new Set(['accuracy', 'acc', 'binaryaccuracy', 'categoricalaccuracy', 'sparsecategoricalaccuracy']);

/** True for [n] and [n, 1]: one value per sample. */
function oneColumn(y: Tensor): boolean {
  return y.rank === 1 || (y.rank === 2 && y.shape[1] === 1);
}

function allIntegers(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isInteger(v[i]!)) return false;
  return true;
}

/** The class of every sample for the classification losses (null for regression or multilabel targets). */
function classesOf(loss: Loss, y: Tensor): Int32Array | null {
  const v = storage(y);
  if (loss.name === 'binary_crossentropy') return oneColumn(y) ? Int32Array.from(v, (p) => (p > 0.5 ? 1 : 0)) : null;
  if (loss.name !== 'categorical_crossentropy' && loss.name !== 'sparse_categorical_crossentropy') return null;
  if (oneColumn(y)) return allIntegers(v) ? Int32Array.from(v) : null;
  const k = y.shape[y.rank - 1]!;
  const n = y.size / k;
  return Int32Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (v[i * k + c]! > v[i * k + best]!) best = c;
    return best;
  });
}

/** [smallest, largest] of the values (a loop: spreading a large array into Math.min overflows the stack). */
function extent(v: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    lo = Math.min(lo, v[i]!);
    hi = Math.max(hi, v[i]!);
  }
  return [lo, hi];
}

function found(check: string, message: string): DoctorFinding[] {
  return [{ check, message }];
}

export const labelEncoding: DoctorCheck = {
  name: 'label-encoding',
  stage: 'fit',
  run({ loss, y, output }) {
    if (!y) return [];
    const v = storage(y);
    const units = output?.units ?? null;
    switch (loss.name) {
      case 'categorical_crossentropy': {
        if (oneColumn(y) && units !== 1 && allIntegers(v)) {
          return found(this.name,
            `the labels are class indices (shape [${y.shape.join(', ')}]), but loss 'categorical_crossentropy' reads one-hot rows (one column per class). ` +
              `Fix: use loss 'sparse_categorical_crossentropy', which takes class indices, or one-hot encode the labels with toCategorical(y${units ? `, ${units}` : ''}).`);
        }
        const k = y.shape[y.rank - 1]!;
        for (let i = 0; i < y.size / k; i++) {
          let sum = 0, outside = false;
          for (let c = 0; c < k; c++) {
            const p = v[i * k + c]!;
            sum += p;
            outside ||= !(p >= 0 && p <= 1);
          }
          if (outside || Math.abs(sum - 1) > 1e-3) {
            const multiLabel = !outside && sum > 1 && allIntegers(v);
            return found(this.name,
              `the labels are not one-hot: row ${i} ${outside ? 'holds values outside [0, 1]' : `sums to ${Number(sum.toPrecision(4))}`}, but loss 'categorical_crossentropy' reads one probability distribution per sample (a single 1 per row). ` +
                (multiLabel
                  ? `Rows with several 1s are multilabel targets. Fix: use loss 'binary_crossentropy' with a sigmoid output.`
                  : `Fix: one-hot encode class indices with toCategorical(y), or use loss 'sparse_categorical_crossentropy' on the indices.`));
          }
        }
        return [];
      }
      case 'sparse_categorical_crossentropy': {
        if (!oneColumn(y) && y.shape[y.rank - 1] === units) {
          return found(this.name,
            `the labels look one-hot (shape [${y.shape.join(', ')}]), but loss 'sparse_categorical_crossentropy' reads class indices. Fix: use loss 'categorical_crossentropy' for one-hot labels, or pass the indices (y.argmax(-1)).`);
        }
        const bad = Array.prototype.findIndex.call(v, (c: number) => !Number.isInteger(c) || c < 0 || (units !== null && c >= units));
        if (bad < 0) return [];
        return found(this.name,
          `label ${v[bad]} at position ${bad} is not a class index in [0, ${units === null ? 'classes' : units - 1}] for loss 'sparse_categorical_crossentropy'${units ? ` and an output of ${units} units` : ''}. Fix: labels must be the integers 0..classes-1, and the last layer needs one unit per class.`);
      }
      case 'binary_crossentropy': {
        const bad = Array.prototype.findIndex.call(v, (p: number) => !(p >= 0 && p <= 1));
        if (bad < 0) return [];
        const multiClass = allIntegers(v) && oneColumn(y);
        return found(this.name,
          `label ${v[bad]} at position ${bad} is outside [0, 1], but loss 'binary_crossentropy' reads the probability that a sample is positive. ` +
            (multiClass
              ? `Integer labels above 1 mean several classes. Fix: a softmax output with one unit per class and loss 'sparse_categorical_crossentropy'.`
              : `Fix: labels must be 0 or 1 (or probabilities).`));
      }
      default:
        return [];
    }
  },
};

export const classImbalance: DoctorCheck = {
  name: 'class-imbalance',
  stage: 'fit',
  run({ loss, y, metrics, output }) {
    if (!y || !metrics?.some((m) => ACCURACY_NAMES.has(nameKey(m)))) return [];
    const classes = classesOf(loss, y);
    if (!classes) return [];
    const k = Math.max(output?.units === 1 ? 2 : output?.units ?? 0, extent(classes)[1] + 1);
    const counts = new Array<number>(k).fill(0);
    for (const c of classes) counts[c]!++;
    const [fewest, most] = extent(counts);
    const major = counts.indexOf(most), minor = counts.indexOf(fewest);
    if (counts[minor]! * IMBALANCE_RATIO > counts[major]!) return [];
    const n = classes.length;
    const share = (c: number) => `${((100 * counts[c]!) / n).toFixed(1)}%`;
    const missing = counts.map((c, i) => (c === 0 ? i : -1)).filter((i) => i >= 0);
    const balanced = counts.map((c, i) => (c > 0 ? `${i}: ${Number((n / (k * c)).toPrecision(3))}` : null)).filter((s) => s !== null);
    return found(this.name,
      `the classes are imbalanced: class ${major} holds ${share(major)} of the ${n} training samples and class ${minor} ${share(minor)}` +
        `${missing.length > 0 ? ` (class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')} never appear${missing.length > 1 ? '' : 's'}, so the model cannot learn ${missing.length > 1 ? 'them' : 'it'})` : ''}. ` +
        `A model that always predicts class ${major} scores ${(counts[major]! / n).toFixed(3)} accuracy, so accuracy hides how the rare classes fare. ` +
        `Fix: judge the model by precision, recall, F1 (metrics: ['precision', 'recall', 'f1_score']) or AUC, and consider fit's classWeight (balanced: { ${balanced.join(', ')} }).`);
  },
};

export const validationSplitOrder: DoctorCheck = {
  name: 'validation-split-order',
  stage: 'fit',
  run({ loss, y, validation }: DoctorContext) {
    if (!y || !validation?.split) return [];
    const trainClasses = classesOf(loss, y), valClasses = classesOf(loss, validation.y);
    const keys = (t: Tensor, classes: Int32Array | null): ArrayLike<number> | null => classes ?? (oneColumn(t) ? storage(t) : null);
    const train = keys(y, trainClasses), val = keys(validation.y, valClasses);
    if (!train || !val) return [];
    const all = [...Array.from(train), ...Array.from(val)];
    const rising = all.every((v, i) => i === 0 || v >= all[i - 1]!), falling = all.every((v, i) => i === 0 || v <= all[i - 1]!);
    const [lo, hi] = extent(all);
    const sorted = all.length >= SORTED_MIN_SAMPLES && lo < hi && (rising || falling);
    const seen = new Set(Array.from(train));
    const valSet = [...new Set(Array.from(val))].sort((a, b) => a - b);
    const unseen = valClasses ? valSet.filter((c) => !seen.has(c)) : [];
    if (!sorted && unseen.length === 0) return [];
    const range = (v: ArrayLike<number>) => extent(v).join(' to ');
    const holds = valClasses ? `class${valSet.length > 1 ? 'es' : ''} ${valSet.join(', ')}` : `targets from ${range(val)} (training: ${range(train)})`;
    return found(this.name,
      `validationSplit validates on the last ${val.length} samples, taken before any shuffling, and ${sorted ? 'the labels are sorted' : 'those samples differ from the rest'}: ` +
        `the validation part holds only ${holds}${unseen.length > 0 ? `, and class${unseen.length > 1 ? 'es' : ''} ${unseen.join(', ')} never appear${unseen.length > 1 ? '' : 's'} in training` : ''}. ` +
        `Validation scores then measure a different problem than the one trained on. Fix: shuffle x and y together before fit (trainTestSplit(x, y, { stratify: true }) does it), or pass validationData.`);
  },
};
