/**
 * The pieces of attention that are not products: a softmax that ignores masked positions and the causal
 * mask. A masked position gets probability 0 and no gradient; a row whose every position is masked
 * comes out uniform, as Keras's masked softmax (which adds -1e9 to masked scores) gives it, instead of
 * dividing 0 by 0.
 */
import { ShapeError, fmtShape } from '../util/errors.js';
import { checkArg, is } from '../util/checks.js';
import { broadcastShapes, normalizeAxis, shapesEqual } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import { tensor, toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatOperand } from './define-op.js';
import { notEqual, where } from './elementwise.js';
import { softmax } from './nn.js';

/**
 * What masked scores become before the softmax: the lowest float32, so exp(masked - max) is exactly 0
 * beside any unmasked score, and a fully masked row (all equal) normalizes to 1 / n.
 */
const MASKED_SCORE = -3.4028234663852886e38;

/**
 * softmax(x) along `axis` (last by default) over the positions where `mask` is true; `mask` (bool, or
 * numbers read as nonzero = keep) broadcasts against x, e.g. [batch, 1, queries, keys] over
 * [batch, heads, queries, keys]. A null mask is a plain softmax.
 */
export function maskedSoftmax(x: TensorLike, mask: TensorLike | null, axis = -1): Tensor {
  const where_ = 'maskedSoftmax';
  const t = floatOperand(where_, 'x', x);
  if (mask === null) return softmax(t, axis);
  normalizeAxis(where_, axis, t.rank);
  let m = toTensor(where_, 'mask', mask);
  if (m.dtype !== 'bool') m = notEqual(m, 0);
  if (m.rank > t.rank || !shapesEqual(broadcastShapes(where_, m.shape, t.shape), t.shape)) {
    throw new ShapeError(`${where_}: argument 'mask' of shape ${fmtShape(m.shape)} does not broadcast to x's shape ${fmtShape(t.shape)}`);
  }
  return softmax(where(m, t, MASKED_SCORE), axis);
}

/**
 * The causal mask of `queries` x `keys` (bool): query i sees keys j <= i, as Keras's
 * `use_causal_mask` (lower triangular when the lengths are equal).
 */
export function causalMask(queries: number, keys: number): Tensor {
  checkArg('causalMask', 'queries', queries, is.nonNegativeInteger);
  checkArg('causalMask', 'keys', keys, is.nonNegativeInteger);
  const data = new Uint8Array(queries * keys);
  for (let i = 0; i < queries; i++) for (let j = 0; j <= i && j < keys; j++) data[i * keys + j] = 1;
  return tensor(data, { shape: [queries, keys], dtype: 'bool' });
}
