/** Convolution and pooling, NHWC like Keras: x is [batch, height, width, channels]. */
import { is, optionsSpec } from '../util/checks.js';
import type { FusableActivation } from '../backend/kernels.js';
import type { Padding } from '../util/conv-geometry.js';
import { checkPadding, convGeometry, pair, poolGeometry } from '../util/conv-geometry.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty, fdata, floatOperand, k, op, operands } from './define-op.js';
import { fusedOutput, isReluOutput, markReluMasked, unaryGradFromOutput } from './fused.js';
import { max, mean, sum } from './reduce.js';
import { concat, slice } from './shape.js';

export interface Conv2dOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilations?: number | readonly [number, number];
  /** Added per output channel, fused into the convolution's pass over the output. */
  bias?: TensorLike;
  /** Applied in the same pass (default linear). */
  activation?: FusableActivation;
  alpha?: number;
  /**
   * Groups of input channels convolved separately (Keras's `groups`): the filter is [kH, kW, inC / groups,
   * outC] and each group of outC / groups filters sees one group of inC / groups channels.
   */
  groups?: number;
}

/** 2-D convolution of x [batch, h, w, inC] with filter [kH, kW, inC, outC], optionally fused with bias and activation. */
/** Unknown keys and options that are no object are refused here; each value is checked where it is read. */
const CONV2D_OPTIONS = optionsSpec({ strides: is.unknown, padding: is.unknown, dilations: is.unknown, bias: is.unknown, activation: is.unknown, alpha: is.unknown, groups: is.unknown });
const POOL2D_OPTIONS = optionsSpec({ poolSize: is.unknown, strides: is.unknown, padding: is.unknown });

export function conv2d(x: TensorLike, filter: TensorLike, given: Conv2dOptions = {}): Tensor {
  const where = 'conv2d';
  const options = CONV2D_OPTIONS.parse(where, given) as Conv2dOptions;
  const [input, w] = operands(where, { x: floatOperand(where, 'x', x), filter }) as [Tensor, Tensor];
  if (options.groups !== undefined && options.groups !== 1) return groupedConv2d(input, w, options.groups, options);
  const bias = options.bias === undefined ? undefined : floatOperand(where, 'bias', options.bias);
  const c = convGeometry(
    where,
    input.shape,
    w.shape,
    pair(where, 'strides', options.strides ?? 1),
    checkPadding(where, options.padding ?? 'valid'),
    pair(where, 'dilations', options.dilations ?? 1),
  );
  if (bias && !shapesEqual(bias.shape, [c.outC])) {
    throw new ShapeError(`${where}: argument 'bias' expected shape [${c.outC}] (one per filter), received ${fmtShape(bias.shape)}`);
  }
  const activation = options.activation ?? 'linear';
  const alpha = options.alpha ?? (activation === 'leakyRelu' ? 0.3 : 1);
  const inputs = bias ? [input, w, bias] : [input, w];
  return op(
    where,
    inputs,
    () => {
      const { t } = empty(input.dtype, [c.batch, c.outH, c.outW, c.outC]);
      k(input).conv2d({ x: fdata(input), filter: fdata(w), out: fdata(t), bias: bias ? fdata(bias) : null, conv: c, activation, alpha });
      return fusedOutput(activation, t);
    },
    (dy, y) => {
      const dz = unaryGradFromOutput(activation, alpha, y, dy);
      return [
        () => {
          const { t } = empty(input.dtype, input.shape);
          k(input).conv2dBackpropInput({ dy: fdata(dz), filter: fdata(w), dx: fdata(t), conv: c });
          return t;
        },
        () => {
          const { t } = empty(input.dtype, w.shape);
          k(input).conv2dBackpropFilter({ x: fdata(input), dy: fdata(dz), dFilter: fdata(t), conv: c });
          return t;
        },
        () => sum(dz, [0, 1, 2]),
      ];
    },
  );
}

/**
 * conv2d in groups, composed of one conv2d per group (the oracle for a grouped kernel): bias and activation
 * act per output channel, so each group applies its own share.
 */
function groupedConv2d(x: Tensor, w: Tensor, groups: number, options: Conv2dOptions): Tensor {
  const where = 'conv2d';
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${where}: option 'groups' expected a positive integer, received ${describe(groups)}`);
  if (x.rank !== 4 || w.rank !== 4) {
    throw new ShapeError(`${where}: expected x [batch, height, width, channels] and filter [kH, kW, inC / groups, outC], received ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  }
  const inC = x.shape[3]!, outC = w.shape[3]!;
  if (inC % groups !== 0 || outC % groups !== 0 || w.shape[2]! * groups !== inC) {
    throw new ShapeError(
      `${where}: with ${groups} groups, x's ${inC} channels and the filter's ${outC} outputs must divide by ${groups} and the filter must be [kH, kW, ${inC / groups}, outC], received filter ${fmtShape(w.shape)}`,
    );
  }
  const bias = options.bias === undefined ? undefined : floatOperand(where, 'bias', options.bias);
  if (bias && !shapesEqual(bias.shape, [outC])) throw new ShapeError(`${where}: argument 'bias' expected shape [${outC}] (one per filter), received ${fmtShape(bias.shape)}`);
  const cIn = inC / groups, cOut = outC / groups;
  const { groups: _, bias: __, ...rest } = options;
  const parts = Array.from({ length: groups }, (_, g) =>
    conv2d(slice(x, [0, 0, 0, g * cIn], [-1, -1, -1, cIn]), slice(w, [0, 0, 0, g * cOut], [-1, -1, -1, cOut]), {
      ...rest,
      ...(bias ? { bias: slice(bias, [g * cOut], [cOut]) } : {}),
    }),
  );
  return concat(parts, 3);
}

export interface Pool2dOptions {
  /** Window size (default 2). */
  poolSize?: number | readonly [number, number];
  /** Step between windows (defaults to poolSize, as in Keras). */
  strides?: number | readonly [number, number];
  padding?: Padding;
}

function poolPlan(where: string, x: TensorLike, given: Pool2dOptions) {
  const options = POOL2D_OPTIONS.parse(where, given) as Pool2dOptions;
  const input = floatOperand(where, 'x', x);
  const window = pair(where, 'poolSize', options.poolSize ?? 2);
  const p = poolGeometry(where, input.shape, window, pair(where, 'strides', options.strides ?? window), checkPadding(where, options.padding ?? 'valid'));
  return { input, p, outShape: [p.batch, p.outH, p.outW, p.channels] };
}

/** Maximum over each window. */
export function maxPool2d(x: TensorLike, options: Pool2dOptions = {}): Tensor {
  const { input, p, outShape } = poolPlan('maxPool2d', x, options);
  return op(
    'maxPool2d',
    [input],
    () => {
      const { t } = empty(input.dtype, outShape);
      k(input).maxPool2d({ x: fdata(input), out: fdata(t), pool: p });
      return t;
    },
    (dy, y) => [
      () => {
        // Max-pooling a relu output: masking the small pooled gradient where the window's maximum is 0
        // gives exactly the relu-masked input gradient, so the fused op before us can skip its mask.
        const masked = isReluOutput(input);
        const g = masked ? unaryGradFromOutput('relu', 0, y, dy) : dy;
        const { t } = empty(input.dtype, input.shape);
        k(input).maxPool2dGrad({ x: fdata(input), dy: fdata(g), dx: fdata(t), pool: p });
        if (masked) markReluMasked(t, input);
        return t;
      },
    ],
  );
}

/** Mean over each window (padding excluded from the count, as Keras does). */
export function avgPool2d(x: TensorLike, options: Pool2dOptions = {}): Tensor {
  const { input, p, outShape } = poolPlan('avgPool2d', x, options);
  return op(
    'avgPool2d',
    [input],
    () => {
      const { t } = empty(input.dtype, outShape);
      k(input).avgPool2d({ x: fdata(input), out: fdata(t), pool: p });
      return t;
    },
    (dy) => [
      () => {
        const { t } = empty(input.dtype, input.shape);
        k(input).avgPool2dGrad({ dy: fdata(dy), dx: fdata(t), pool: p });
        return t;
      },
    ],
  );
}

function checkRank4(where: string, x: TensorLike): Tensor {
  const t = floatOperand(where, 'x', x);
  if (t.rank !== 4) throw new ShapeError(`${where}: argument 'x' expected rank 4 [batch, height, width, channels], received shape ${fmtShape(t.shape)}`);
  return t;
}

/** Mean over height and width: [batch, h, w, c] -> [batch, c]. */
export function globalAvgPool2d(x: TensorLike): Tensor {
  return mean(checkRank4('globalAvgPool2d', x), [1, 2]);
}

/** Maximum over height and width: [batch, h, w, c] -> [batch, c]. */
export function globalMaxPool2d(x: TensorLike): Tensor {
  return max(checkRank4('globalMaxPool2d', x), [1, 2]);
}
