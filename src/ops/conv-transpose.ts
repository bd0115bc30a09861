/**
 * Transposed 2-D convolution (the adjoint of conv2d in its input), NHWC like Keras: x is [batch, h, w,
 * inChannels] and the filter [kH, kW, outChannels, inChannels], Keras's Conv2DTranspose layout. Its forward
 * pass is conv2d's input-gradient kernel, and its gradients are conv2d itself and conv2d's filter gradient
 * with the roles of input and output swapped.
 */
import type { ConvInfo, Padding } from '../util/conv-geometry.js';
import { checkPadding, convGeometry, pair, transposedOutputSize } from '../util/conv-geometry.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty, fdata, floatOperand, k, op, operands } from './define-op.js';

export interface Conv2dTransposeOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilations?: number | readonly [number, number];
  /**
   * Extra rows and columns at the bottom and right of the output (each smaller than its stride), to reach
   * sizes a strided convolution maps to the same input size. Without it the output is Keras's default size.
   */
  outputPadding?: number | readonly [number, number] | null;
}

/** Sizes, in both directions, of the convolution whose input gradient this transposed convolution is. */
export function conv2dTransposeGeometry(where: string, xShape: readonly number[], wShape: readonly number[], options: Conv2dTransposeOptions): ConvInfo {
  if (xShape.length !== 4) throw new ShapeError(`${where}: argument 'x' expected rank 4 [batch, height, width, channels], received shape ${fmtShape(xShape)}`);
  if (wShape.length !== 4) {
    throw new ShapeError(`${where}: argument 'filter' expected rank 4 [kernelHeight, kernelWidth, outChannels, inChannels], received shape ${fmtShape(wShape)}`);
  }
  const [batch, h, w, c] = xShape as [number, number, number, number];
  const [kH, kW, outC, inC] = wShape as [number, number, number, number];
  if (inC !== c) {
    throw new ShapeError(`${where}: argument 'filter' expected ${c} input channels (dimension 3) to match x's last dimension, received shape ${fmtShape(wShape)}`);
  }
  const strides = pair(where, 'strides', options.strides ?? 1);
  const dilations = pair(where, 'dilations', options.dilations ?? 1);
  const padding = checkPadding(where, options.padding ?? 'valid');
  const outputPadding = options.outputPadding === undefined || options.outputPadding === null ? null : nonNegativePair(where, options.outputPadding);
  outputPadding?.forEach((p, i) => {
    if (p >= strides[i]!) throw new ValueError(`${where}: argument 'outputPadding' expected values smaller than the strides ${fmtShape(strides)}, received ${fmtShape(outputPadding)}`);
  });
  const outH = transposedOutputSize(h, kH, strides[0], padding, dilations[0], outputPadding?.[0] ?? null);
  const outW = transposedOutputSize(w, kW, strides[1], padding, dilations[1], outputPadding?.[1] ?? null);
  const g = convGeometry(where, [batch, outH, outW, outC], [kH, kW, outC, inC], strides, padding, dilations);
  if (g.outH !== h || g.outW !== w) {
    throw new ShapeError(`${where}: an output of ${outH}x${outW} does not convolve back to the ${h}x${w} input; check 'outputPadding'`);
  }
  return g;
}

function nonNegativePair(where: string, value: number | readonly number[]): [number, number] {
  const p = typeof value === 'number' ? [value, value] : [...value];
  if (p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new ValueError(`${where}: argument 'outputPadding' expected a non-negative integer or a pair of them, received ${describe(value)}`);
  }
  return [p[0]!, p[1]!];
}

/** Transposed convolution of x [batch, h, w, inC] with filter [kH, kW, outC, inC]. */
export function conv2dTranspose(x: TensorLike, filter: TensorLike, options: Conv2dTransposeOptions = {}): Tensor {
  const where = 'conv2dTranspose';
  const [input, w] = operands(where, { x: floatOperand(where, 'x', x), filter }) as [Tensor, Tensor];
  const c = conv2dTransposeGeometry(where, input.shape, w.shape, options);
  return op(
    where,
    [input, w],
    () => {
      const { t } = empty(input.dtype, [c.batch, c.inH, c.inW, c.inC]);
      k(input).conv2dBackpropInput({ dy: fdata(input), filter: fdata(w), dx: fdata(t), conv: c });
      return t;
    },
    (dy) => [
      () => {
        const { t } = empty(input.dtype, input.shape);
        k(input).conv2d({ x: fdata(dy), filter: fdata(w), out: fdata(t), bias: null, conv: c, activation: 'linear', alpha: 0 });
        return t;
      },
      () => {
        const { t } = empty(input.dtype, w.shape);
        k(input).conv2dBackpropFilter({ x: fdata(dy), dy: fdata(input), dFilter: fdata(t), conv: c });
        return t;
      },
    ],
  );
}
