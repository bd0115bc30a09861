/**
 * Depthwise 2-D convolution, NHWC: each input channel is convolved with its own `multiplier` filters, and
 * output channel c * multiplier + m comes from input channel c and filter[:, :, c, m] (Keras's
 * DepthwiseConv2D and TensorFlow's depthwise_conv2d). Composed of existing ops: for every kernel position,
 * the window of x that position sees (two gathers over the padded input) times that position's weights.
 * It is the oracle for a fused kernel and differentiates through gather, pad and mul.
 */
import type { Padding } from '../util/conv-geometry.js';
import { checkPadding, convGeometry, pair } from '../util/conv-geometry.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatOperand, operands } from './define-op.js';
import { add, mul } from './elementwise.js';
import { expandDims, gather, pad, reshape, slice } from './shape.js';

export interface DepthwiseConv2dOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilations?: number | readonly [number, number];
}

/** Depthwise convolution of x [batch, h, w, c] with filter [kH, kW, c, multiplier] -> [batch, outH, outW, c * multiplier]. */
export function depthwiseConv2d(x: TensorLike, filter: TensorLike, options: DepthwiseConv2dOptions = {}): Tensor {
  return depthwiseConv2dComposed(x, filter, options);
}

/** depthwiseConv2d composed of gathers, products and sums, one per kernel tap (the oracle of a fused kernel). */
export function depthwiseConv2dComposed(x: TensorLike, filter: TensorLike, options: DepthwiseConv2dOptions = {}): Tensor {
  const where = 'depthwiseConv2d';
  const [input, w] = operands(where, { x: floatOperand(where, 'x', x), filter }) as [Tensor, Tensor];
  if (w.rank !== 4) {
    throw new ShapeError(`${where}: argument 'filter' expected rank 4 [kernelHeight, kernelWidth, channels, multiplier], received shape ${fmtShape(w.shape)}`);
  }
  const c = convGeometry(where, input.shape, w.shape, pair(where, 'strides', options.strides ?? 1), checkPadding(where, options.padding ?? 'valid'), pair(where, 'dilations', options.dilations ?? 1));
  const multiplier = w.shape[3]!;
  // The padding after each axis that the last window reaches (never negative: "valid" windows fit).
  const padBottom = Math.max(0, (c.outH - 1) * c.strideH + (c.kH - 1) * c.dilationH + 1 - c.padTop - c.inH);
  const padRight = Math.max(0, (c.outW - 1) * c.strideW + (c.kW - 1) * c.dilationW + 1 - c.padLeft - c.inW);
  const padded = pad(input, [[0, 0], [c.padTop, padBottom], [c.padLeft, padRight], [0, 0]]);
  let sum: Tensor | null = null;
  for (let kh = 0; kh < c.kH; kh++) {
    const rows = gather(padded, Array.from({ length: c.outH }, (_, o) => o * c.strideH + kh * c.dilationH), 1);
    for (let kw = 0; kw < c.kW; kw++) {
      const window = gather(rows, Array.from({ length: c.outW }, (_, o) => o * c.strideW + kw * c.dilationW), 2);
      const weights = reshape(slice(w, [kh, kw, 0, 0], [1, 1, c.inC, multiplier]), multiplier === 1 ? [c.inC] : [c.inC, multiplier]);
      const term = mul(multiplier === 1 ? window : expandDims(window, 4), weights);
      sum = sum === null ? term : add(sum, term);
    }
  }
  return reshape(sum!, [c.batch, c.outH, c.outW, c.inC * multiplier]);
}
