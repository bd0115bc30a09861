/**
 * The one place where per-sample losses become the scalar that is minimised: weighted by sample weights
 * and averaged over the batch (Keras's "sum over batch size": sum(loss * weight) / batch size).
 */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import type { Loss } from './loss.js';

export function reduceLoss(perSample: Tensor, sampleWeight?: Tensor | null): Tensor {
  if (!sampleWeight) return ops.mean(perSample);
  if (sampleWeight.rank !== 1 || sampleWeight.shape[0] !== perSample.shape[0]) {
    throw new ShapeError(
      `loss: argument 'sampleWeight' expected shape [${perSample.shape[0]}] (one weight per sample), received ${fmtShape(sampleWeight.shape)}`,
    );
  }
  // Per-sample values may keep axes (sequences); one weight covers all of a sample's values.
  const w = ops.reshape(ops.cast(sampleWeight, perSample.dtype), [perSample.shape[0]!, ...perSample.shape.slice(1).map(() => 1)]);
  return ops.div(ops.sum(ops.mul(perSample, w)), Math.max(perSample.size, 1));
}

/** The scalar training loss of `loss` on a batch. */
export function computeLoss(loss: Loss, yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): Tensor {
  return reduceLoss(loss.perSample(yTrue, yPred), sampleWeight);
}
