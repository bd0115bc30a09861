/**
 * Depthwise 2-D convolution, NHWC: each input channel is convolved with its own `multiplier` filters, and
 * output channel c * multiplier + m comes from input channel c and filter[:, :, c, m] (Keras's
 * DepthwiseConv2D and TensorFlow's depthwise_conv2d). The op runs the depthwise kernels, with bias and
 * activation fused as conv2d does; `depthwiseConv2dComposed` computes the same from existing ops (for
 * every kernel position, the window of x that position sees, two gathers over the padded input, times
 * that position's weights) and is the oracle the kernels are tested against.
 */
import type { FusableActivation } from '../backend/kernels.js';
import type { ConvInfo, Padding } from '../util/conv-geometry.js';
import { checkPadding, convGeometry, pair } from '../util/conv-geometry.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty, fdata, floatOperand, k, op, operands } from './define-op.js';
import { add, mul } from './elementwise.js';
import { fusedOutput, unaryGradFromOutput } from './fused.js';
import { sum } from './reduce.js';
import { expandDims, gather, pad, reshape, slice } from './shape.js';

export interface DepthwiseConv2dOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilations?: number | readonly [number, number];
  /** Added per output channel in the kernel's pass over the output. */
  bias?: TensorLike;
  /** Applied in the same pass (default linear). */
  activation?: FusableActivation;
  alpha?: number;
}

/**
 * Depthwise convolution of x [batch, h, w, c] with filter [kH, kW, c, multiplier] -> [batch, outH, outW,
 * c * multiplier], optionally fused with bias and activation, on the depthwise kernels.
 */
export function depthwiseConv2d(x: TensorLike, filter: TensorLike, options: DepthwiseConv2dOptions = {}): Tensor {
  const where = 'depthwiseConv2d';
  const [input, w] = operands(where, { x: floatOperand(where, 'x', x), filter }) as [Tensor, Tensor];
  const c = depthwiseGeometry(where, input, w, options);
  const bias = options.bias === undefined ? undefined : floatOperand(where, 'bias', options.bias);
  if (bias && !shapesEqual(bias.shape, [c.outC])) {
    throw new ShapeError(`${where}: argument 'bias' expected shape [${c.outC}] (one per output channel), received ${fmtShape(bias.shape)}`);
  }
  const activation = options.activation ?? 'linear';
  const alpha = options.alpha ?? (activation === 'leakyRelu' ? 0.3 : 1);
  return op(
    where,
    bias ? [input, w, bias] : [input, w],
    () => {
      const { t } = empty(input.dtype, [c.batch, c.outH, c.outW, c.outC]);
      k(input).depthwiseConv2d({ x: fdata(input), filter: fdata(w), out: fdata(t), bias: bias ? fdata(bias) : null, conv: c, activation, alpha });
      return fusedOutput(activation, t);
    },
    (dy, y) => {
      const dz = unaryGradFromOutput(activation, alpha, y, dy);
      return [
        () => {
          const { t } = empty(input.dtype, input.shape);
          k(input).depthwiseConv2dBackpropInput({ dy: fdata(dz), filter: fdata(w), dx: fdata(t), conv: c });
          return t;
        },
        () => {
          const { t } = empty(input.dtype, w.shape);
          k(input).depthwiseConv2dBackpropFilter({ x: fdata(input), dy: fdata(dz), dFilter: fdata(t), conv: c });
          return t;
        },
        () => sum(dz, [0, 1, 2]),
      ];
    },
  );
}

/** The convolution geometry of a depthwise filter [kH, kW, c, m]: a ConvInfo whose outC is c * m. */
function depthwiseGeometry(where: string, input: Tensor, w: Tensor, options: DepthwiseConv2dOptions): ConvInfo {
  if (w.rank !== 4) {
    throw new ShapeError(`${where}: argument 'filter' expected rank 4 [kernelHeight, kernelWidth, channels, multiplier], received shape ${fmtShape(w.shape)}`);
  }
  const c = convGeometry(where, input.shape, w.shape, pair(where, 'strides', options.strides ?? 1), checkPadding(where, options.padding ?? 'valid'), pair(where, 'dilations', options.dilations ?? 1));
  return { ...c, outC: c.inC * w.shape[3]! };
}

/**
 * depthwiseConv2d without bias or activation, composed of gathers, products and sums, one per kernel tap:
 * the oracle the kernels are tested against.
 */
export function depthwiseConv2dComposed(x: TensorLike, filter: TensorLike, options: Pick<DepthwiseConv2dOptions, 'strides' | 'padding' | 'dilations'> = {}): Tensor {
  const where = 'depthwiseConv2d';
  const [input, w] = operands(where, { x: floatOperand(where, 'x', x), filter }) as [Tensor, Tensor];
  const c = depthwiseGeometry(where, input, w, options);
  const multiplier = w.shape[3]!;
  // The padding after each axis that the last window reaches (never negative: "valid" windows fit).
  const padBottom = Math.max(0, (c.outH - 1) * c.strideH + (c.kH - 1) * c.dilationH + 1 - c.padTop - c.inH);
  const padRight = Math.max(0, (c.outW - 1) * c.strideW + (c.kW - 1) * c.dilationW + 1 - c.padLeft - c.inW);
  const padded = pad(input, [[0, 0], [c.padTop, padBottom], [c.padLeft, padRight], [0, 0]]);
  let total: Tensor | null = null;
  for (let kh = 0; kh < c.kH; kh++) {
    const rows = gather(padded, Array.from({ length: c.outH }, (_, o) => o * c.strideH + kh * c.dilationH), 1);
    for (let kw = 0; kw < c.kW; kw++) {
      const window = gather(rows, Array.from({ length: c.outW }, (_, o) => o * c.strideW + kw * c.dilationW), 2);
      const weights = reshape(slice(w, [kh, kw, 0, 0], [1, 1, c.inC, multiplier]), multiplier === 1 ? [c.inC] : [c.inC, multiplier]);
      const term = mul(multiplier === 1 ? window : expandDims(window, 4), weights);
      total = total === null ? term : add(total, term);
    }
  }
  return reshape(total!, [c.batch, c.outH, c.outW, c.inC * multiplier]);
}
