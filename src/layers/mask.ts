/**
 * Masks, as Keras 3 keeps them: a layer that produces a mask (Embedding with `maskZero`, Masking) attaches
 * it to its output tensor, and the next layer reads it from its input: recurrent layers skip the masked
 * timesteps, layers that support masking (Dense, Dropout...) pass it on, losses leave masked values out.
 * A mask is a bool tensor over the leading axes of the data it describes: [batch, timesteps] for a
 * sequence [batch, timesteps, features].
 *
 * The table is weak: a mask lives as long as the tensor it belongs to, so nothing is held across batches.
 */
import { notEqual } from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, fmtShape } from '../util/errors.js';

const MASKS = new WeakMap<Tensor, Tensor>();

/** The mask a layer attached to `t` (Keras's `_keras_mask`), or null. */
export function getMask(t: Tensor): Tensor | null {
  return MASKS.get(t) ?? null;
}

/** Attaches `mask` to `t`; null leaves `t` without one. */
export function setMask(t: Tensor, mask: Tensor | null): void {
  if (mask) MASKS.set(t, mask);
  else MASKS.delete(t);
}

/**
 * A mask given by a caller, checked and read as bool: booleans, or numbers where non-zero means "keep".
 * `shape` is what the layer needs (e.g. [batch, timesteps]); the message names the layer and the argument.
 */
export function readMask(label: string, argument: string, mask: TensorLike, shape: readonly number[]): Tensor {
  const m = toTensor(label, argument, mask);
  if (m.rank !== shape.length || m.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${label}: argument '${argument}' expected a mask of shape ${fmtShape(shape)} (batch, timesteps), received shape ${fmtShape(m.shape)}`);
  }
  return m.dtype === 'bool' ? m : notEqual(m, 0);
}
