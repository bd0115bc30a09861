/**
 * What fit says when a batch's loss is not finite. Only after it failed does it look at the batch: a NaN
 * or an infinity in the inputs or labels is the data's fault (the message names the input, the feature
 * and the sample); when the batch is finite, the model produced it (a learning rate too high, an unstable
 * layer), and the message says how to find the op.
 */
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import { NumericsError } from '../util/errors.js';
import type { Batch } from './data-adapter.js';

/** Where a tensor first holds a value that is not finite: the sample (first axis) and the feature (last axis). */
function firstNonFinite(t: Tensor): { sample: number; feature: number; value: number } | null {
  if (t.dtype === 'int32' || t.dtype === 'bool') return null;
  const v = storage(t);
  const row = t.rank > 0 && t.shape[0]! > 0 ? v.length / t.shape[0]! : 1;
  const features = t.rank > 1 ? t.shape[t.rank - 1]! : 1;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) return { sample: Math.floor(i / row), feature: i % features, value: v[i]! };
  }
  return null;
}

function describeValue(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export interface NonFiniteContext {
  loss: number;
  epoch: number;
  epochs: number;
  /** The batch within the epoch (0-based) and the batches per epoch, when known. */
  step: number;
  steps: number | null;
  batch: Batch;
  inputNames: readonly string[];
  outputNames: readonly string[];
  learningRate: number;
}

/** The error fit throws, naming the epoch and batch, and what in the batch holds the bad value. */
export function lossNotFinite(c: NonFiniteContext): NumericsError {
  const head = `fit: the loss became ${describeValue(c.loss)} at epoch ${c.epoch + 1}/${c.epochs}, batch ${c.step + 1}${c.steps === null ? '' : `/${c.steps}`}; training stopped before this batch's gradients were applied.`;
  const named = (names: readonly string[], i: number, what: string): string => (names.length === 1 ? `the ${what}` : `${what} '${names[i]}'`);
  for (const [tensors, names, what] of [[c.batch.x, c.inputNames, 'input'], [c.batch.y, c.outputNames, 'labels of output']] as const) {
    for (let i = 0; i < tensors.length; i++) {
      const bad = firstNonFinite(tensors[i]!);
      if (!bad) continue;
      const t = tensors[i]!;
      const which = what === 'input' ? `${named(names, i, 'input')} holds` : names.length === 1 ? 'the labels hold' : `the labels of output '${names[i]}' hold`;
      // A feature for inputs; for labels only where there are several columns.
      const column = t.rank > 1 && (what === 'input' || t.shape[t.rank - 1]! > 1) ? ` in ${what === 'input' ? 'feature' : 'column'} ${bad.feature}` : '';
      return new NumericsError(
        `${head} The batch's data is the cause: ${which} ${describeValue(bad.value)}${column} (sample ${bad.sample} of the batch), and one such value makes the loss ${describeValue(c.loss)}. ` +
          `Fix: fill missing values (new Imputer({ strategy: 'median', addIndicator: true }) fitted on the training data) or drop those samples; model.doctor(x, y) lists the features with missing values.`,
      );
    }
  }
  return new NumericsError(
    `${head} The batch's inputs and labels are finite, so the model produced it. ` +
      `Common causes: a learning rate too high (it is ${c.learningRate}; try 10 times lower), inputs far from [0, 1] (scale them), or a loss fed values outside its range (log of 0). ` +
      `configure({ checkNumerics: true }) names the first op that produces NaN; add the TerminateOnNaN callback to stop quietly instead of with this error.`,
  );
}
