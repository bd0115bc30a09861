/**
 * 3-D pooling, NDHWC like Keras, composed of the 2-D pools: each depth tap of the window pools its planes
 * in 2-D (depth folded into the batch), and the taps are combined — by maximum, or summed and divided by
 * how many of them lie inside the input (padding is never counted, as in TensorFlow's avg_pool3d).
 */
import type { Padding } from '../util/conv-geometry.js';
import { checkPadding, outputSize, tuple } from '../util/conv-geometry.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { avgPool2d, maxPool2d } from './conv.js';
import { floatOperand } from './define-op.js';
import { add, div, maximum } from './elementwise.js';
import { max, mean } from './reduce.js';
import { gather, pad, reshape } from './shape.js';

export interface Pool3dOptions {
  /** Window size (default 2). */
  poolSize?: number | readonly [number, number, number];
  /** Step between windows (defaults to poolSize, as in Keras). */
  strides?: number | readonly [number, number, number];
  padding?: Padding;
}

/** The lowest finite float32: padding for maxima that stays finite (so checkNumerics does not flag it). */
const LOWEST_FLOAT32 = -3.4028234663852886e38;

function rank5(where: string, x: TensorLike): Tensor {
  const t = floatOperand(where, 'x', x);
  if (t.rank !== 5) throw new ShapeError(`${where}: argument 'x' expected rank 5 [batch, depth, height, width, channels], received shape ${fmtShape(t.shape)}`);
  return t;
}

function pool3d(where: 'maxPool3d' | 'avgPool3d', x: TensorLike, options: Pool3dOptions): Tensor {
  const t = rank5(where, x);
  const window = tuple(where, 'poolSize', options.poolSize ?? 2, 3);
  const strides = tuple(where, 'strides', options.strides ?? window, 3);
  const padding = checkPadding(where, options.padding ?? 'valid');
  const [batch, depth, h, w, c] = t.shape as [number, number, number, number, number];
  const [kD, s] = [window[0]!, strides[0]!];
  if (padding === 'valid' && kD > depth) throw new ShapeError(`${where}: the pool window's depth ${kD} does not fit in the input's depth ${depth} with padding "valid"`);
  const { out: outD, padBefore } = outputSize(depth, kD, s, padding);
  const padAfter = Math.max(0, (outD - 1) * s + kD - padBefore - depth);
  // Padded planes never win a maximum; for the average they add zeros and are left out of the count.
  const padded = pad(t, [[0, 0], [padBefore, padAfter], [0, 0], [0, 0], [0, 0]], where === 'maxPool3d' ? LOWEST_FLOAT32 : 0);
  const options2d = { poolSize: [window[1]!, window[2]!] as [number, number], strides: [strides[1]!, strides[2]!] as [number, number], padding };
  let acc: Tensor | null = null;
  for (let kd = 0; kd < kD; kd++) {
    const planes = reshape(gather(padded, Array.from({ length: outD }, (_, o) => o * s + kd), 1), [batch * outD, h, w, c]);
    const pooled = where === 'maxPool3d' ? maxPool2d(planes, options2d) : avgPool2d(planes, options2d);
    acc = acc === null ? pooled : where === 'maxPool3d' ? maximum(acc, pooled) : add(acc, pooled);
  }
  const y = reshape(acc!, [batch, outD, acc!.shape[1]!, acc!.shape[2]!, c]);
  if (where === 'maxPool3d') return y;
  const counts = Array.from({ length: outD }, (_, o) => {
    const start = o * s - padBefore;
    return Math.min(depth, start + kD) - Math.max(0, start);
  });
  return div(y, tensor(counts, { shape: [1, outD, 1, 1, 1], dtype: t.dtype }));
}

/** Maximum over each 3-D window of x [batch, d, h, w, c]. */
export function maxPool3d(x: TensorLike, options: Pool3dOptions = {}): Tensor {
  return pool3d('maxPool3d', x, options);
}

/** Mean over each 3-D window (padding excluded from the count, as Keras does). */
export function avgPool3d(x: TensorLike, options: Pool3dOptions = {}): Tensor {
  return pool3d('avgPool3d', x, options);
}

/** Mean over depth, height and width: [batch, d, h, w, c] -> [batch, c]. */
export function globalAvgPool3d(x: TensorLike): Tensor {
  return mean(rank5('globalAvgPool3d', x), [1, 2, 3]);
}

/** Maximum over depth, height and width: [batch, d, h, w, c] -> [batch, c]. */
export function globalMaxPool3d(x: TensorLike): Tensor {
  return max(rank5('globalMaxPool3d', x), [1, 2, 3]);
}
