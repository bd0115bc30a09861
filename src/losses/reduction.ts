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

/**
 * Per-sample losses with a mask (bool, one value per loss value: the timesteps of a sequence output):
 * masked values count for nothing, and the mean is over the values kept, as Keras 3 averages a masked loss.
 */
export function reduceMaskedLoss(perSample: Tensor, mask: Tensor, sampleWeight?: Tensor | null): Tensor {
  if (mask.rank !== perSample.rank || mask.shape.some((d, i) => d !== perSample.shape[i])) {
    throw new ShapeError(
      `loss: the predictions carry a mask of shape ${fmtShape(mask.shape)}, but the loss has values of shape ${fmtShape(perSample.shape)}; ` +
        `a mask needs one value per loss value (per timestep): end the model with a layer that keeps the timesteps, or one that drops the mask`,
    );
  }
  const keep = ops.cast(mask, perSample.dtype);
  const weighted = reduceLoss(ops.mul(perSample, keep), sampleWeight);
  // reduceLoss divided by every value; divide by the kept ones instead (none kept: the loss is 0).
  return ops.mul(weighted, ops.div(Math.max(perSample.size, 1), ops.maximum(ops.sum(keep), 1)));
}

/** The scalar training loss of `loss` on a batch; `mask` is the predictions' mask, if they have one. */
export function computeLoss(loss: Loss, yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null, mask?: Tensor | null): Tensor {
  const perSample = loss.perSample(yTrue, yPred);
  return mask ? reduceMaskedLoss(perSample, mask, sampleWeight) : reduceLoss(perSample, sampleWeight);
}
