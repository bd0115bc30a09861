/**
 * Masks given by callers: a mask is a bool tensor over the leading axes of the data it describes,
 * [batch, timesteps] for a sequence [batch, timesteps, features]; models carry the masks layers make
 * (computeMask) to the layers after them.
 */
import { notEqual } from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, fmtShape } from '../util/errors.js';

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
