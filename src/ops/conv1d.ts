/**
 * 1-D convolution and pooling over [batch, steps, channels] (Keras's channels_last), run as their 2-D
 * versions on a height of 1: the reshapes share storage, so the fast conv2d and pooling kernels do the
 * work and their gradients come with them. Causal padding pads the start of the sequence only, so step t
 * sees steps <= t (WaveNet, Keras's `padding: 'causal'`); groups split the channels into independent
 * convolutions, as Keras's and PyTorch's `groups` do.
 */
import { FUSABLE_ACTIVATIONS } from '../backend/kernel-table.js';
import type { FusableActivation } from '../backend/kernels.js';
import type { SpecFor } from '../util/checks.js';
import { Check, checkArg, is, optionsSpec } from '../util/checks.js';
import { ShapeError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { avgPool2d, conv2d, maxPool2d } from './conv.js';
import { floatOperand, operands } from './define-op.js';
import { concat, pad, reshape, slice } from './shape.js';

export type Padding1D = 'valid' | 'same' | 'causal';

export interface Conv1dOptions {
  /** Step between output positions (default 1). */
  strides?: number;
  /** 'valid' (default), 'same' (as many outputs as steps / strides) or 'causal' (padding at the start only). */
  padding?: Padding1D;
  /** Spacing between the kernel's taps (default 1). */
  dilation?: number;
  /** Independent convolutions over equal slices of the channels (default 1). */
  groups?: number;
  /** Added per output channel, fused into the convolution. */
  bias?: TensorLike;
  /** Applied in the same pass (default linear). */
  activation?: FusableActivation;
  alpha?: number;
}

/** Converted and checked by the op itself. */
const tensorLike = new Check<TensorLike>('a tensor or an array of numbers', (v) => v as TensorLike);

const CONV1D_OPTIONS = optionsSpec({
  strides: is.positiveInteger.default(1),
  padding: is.oneOf<Padding1D>(['valid', 'same', 'causal']).default('valid'),
  dilation: is.positiveInteger.default(1),
  groups: is.positiveInteger.default(1),
  bias: tensorLike.optional(),
  activation: is.oneOf<FusableActivation>(FUSABLE_ACTIVATIONS).default('linear'),
  alpha: is.finite.optional(),
} satisfies SpecFor<Conv1dOptions>);

/** The number of output steps of a window of `effective` steps (dilation included) over `steps`. */
export function outputSteps(steps: number, effective: number, strides: number, padding: Padding1D): number {
  if (padding === 'same') return Math.ceil(steps / strides);
  const padded = padding === 'causal' ? steps + effective - 1 : steps;
  return Math.max(Math.floor((padded - effective) / strides) + 1, 0);
}

function rank3(where: string, arg: string, t: Tensor, what: string): void {
  if (t.rank !== 3) throw new ShapeError(`${where}: argument '${arg}' expected rank 3 ${what}, received shape ${fmtShape(t.shape)}`);
}

/**
 * 1-D convolution of x [batch, steps, inChannels] with filter [kernelSize, inChannels / groups, filters]
 * (Keras's layout), optionally fused with a bias and an activation.
 */
export function conv1d(x: TensorLike, filter: TensorLike, options: Conv1dOptions = {}): Tensor {
  const where = 'conv1d';
  const o = CONV1D_OPTIONS.parse(where, options);
  const [input, w] = operands(where, { x: floatOperand(where, 'x', x), filter }) as [Tensor, Tensor];
  rank3(where, 'x', input, '[batch, steps, channels]');
  rank3(where, 'filter', w, '[kernelSize, inChannels / groups, filters]');
  const [batch, steps, channels] = input.shape as [number, number, number];
  const [kernelSize, groupChannels, filters] = w.shape as [number, number, number];
  if (channels % o.groups !== 0 || filters % o.groups !== 0) {
    throw new ShapeError(`${where}: option 'groups' (${o.groups}) must divide the input channels (${channels}) and the filters (${filters})`);
  }
  if (groupChannels * o.groups !== channels) {
    throw new ShapeError(
      `${where}: argument 'filter' expected ${channels / o.groups} input channels per group (dimension 1; x has ${channels} channels in ${o.groups} groups), received shape ${fmtShape(w.shape)}`,
    );
  }
  const bias = o.bias === undefined ? undefined : floatOperand(where, 'bias', o.bias);
  if (bias && !shapesEqual(bias.shape, [filters])) {
    throw new ShapeError(`${where}: argument 'bias' expected shape [${filters}] (one per filter), received ${fmtShape(bias.shape)}`);
  }
  const effective = (kernelSize - 1) * o.dilation + 1;
  const padded = o.padding === 'causal' ? pad(input, [[0, 0], [effective - 1, 0], [0, 0]]) : input;
  const padding: 'same' | 'valid' = o.padding === 'same' ? 'same' : 'valid';
  if (padding === 'valid' && padded.shape[1]! < effective) {
    throw new ShapeError(
      `${where}: the kernel spans ${effective} steps (with dilation) but x has ${steps} with padding "${o.padding}"; use a shorter kernel or padding "same" or "causal"`,
    );
  }
  const fused = { strides: [1, o.strides] as const, padding, dilations: [1, o.dilation] as const, activation: o.activation, ...(o.alpha === undefined ? {} : { alpha: o.alpha }) };
  const image = reshape(padded, [batch, 1, padded.shape[1]!, channels]);
  const one = (xg: Tensor, wg: Tensor, bg: Tensor | undefined): Tensor =>
    conv2d(xg, reshape(wg, [1, kernelSize, groupChannels, wg.shape[2]!]), { ...fused, ...(bg ? { bias: bg } : {}) });
  let out: Tensor;
  if (o.groups === 1) {
    out = one(image, w, bias);
  } else {
    const per = filters / o.groups;
    const parts: Tensor[] = [];
    for (let g = 0; g < o.groups; g++) {
      const xg = slice(image, [0, 0, 0, g * groupChannels], [-1, -1, -1, groupChannels]);
      const wg = slice(w, [0, 0, g * per], [-1, -1, per]);
      parts.push(one(xg, wg, bias ? slice(bias, [g * per], [per]) : undefined));
    }
    out = concat(parts, 3);
  }
  return reshape(out, [batch, out.shape[2]!, filters]);
}

export interface Pool1dOptions {
  /** Window size (default 2). */
  poolSize?: number;
  /** Step between windows (defaults to poolSize, as in Keras). */
  strides?: number;
  padding?: 'valid' | 'same';
}

const POOL1D_OPTIONS = optionsSpec({
  poolSize: is.positiveInteger.default(2),
  strides: is.positiveInteger.optional(),
  padding: is.oneOf(['valid', 'same'] as const).default('valid'),
} satisfies SpecFor<Pool1dOptions>);

function pool1d(where: string, pool2d: typeof maxPool2d, x: TensorLike, options: Pool1dOptions): Tensor {
  const o = POOL1D_OPTIONS.parse(where, options);
  const input = floatOperand(where, 'x', x);
  rank3(where, 'x', input, '[batch, steps, channels]');
  const [batch, steps, channels] = input.shape as [number, number, number];
  if (o.padding === 'valid' && o.poolSize > steps) {
    throw new ShapeError(`${where}: the pool window of ${o.poolSize} steps does not fit in the ${steps} steps of x with padding "valid"`);
  }
  const y = pool2d(reshape(input, [batch, 1, steps, channels]), { poolSize: [1, o.poolSize], strides: [1, o.strides ?? o.poolSize], padding: o.padding });
  return reshape(y, [batch, y.shape[2]!, channels]);
}

/** The maximum of each window of steps of x [batch, steps, channels]. */
export function maxPool1d(x: TensorLike, options: Pool1dOptions = {}): Tensor {
  return pool1d('maxPool1d', maxPool2d, x, options);
}

/** The mean of each window of steps (padding excluded from the count, as Keras does). */
export function avgPool1d(x: TensorLike, options: Pool1dOptions = {}): Tensor {
  return pool1d('avgPool1d', avgPool2d, x, options);
}

/** Repeats each step `size` times: [batch, steps, channels] -> [batch, steps * size, channels]. */
export function upSampling1d(x: TensorLike, size: number): Tensor {
  const where = 'upSampling1d';
  const input = floatOperand(where, 'x', x);
  checkArg(where, 'size', size, is.positiveInteger);
  rank3(where, 'x', input, '[batch, steps, channels]');
  const [batch, steps, channels] = input.shape as [number, number, number];
  if (size === 1) return input;
  // The copies of each step side by side on a new axis, which then merges with the steps axis.
  const copies = Array.from({ length: size }, () => reshape(input, [batch, steps, 1, channels]));
  return reshape(concat(copies, 2), [batch, steps * size, channels]);
}
