/**
 * 3-D convolution and its transpose, NDHWC like Keras: x is [batch, depth, height, width, channels], a
 * conv3d filter [kD, kH, kW, inC, outC] and a transposed one [kD, kH, kW, outC, inC]. Both are composed of
 * their 2-D forms: depth planes are folded into the batch, each depth tap of the kernel is one conv2d (or
 * conv2dTranspose) over them, and the taps are summed, so gradients come from the 2-D ops.
 */
import type { Padding } from '../util/conv-geometry.js';
import { checkPadding, outputSize, transposedOutputSize, tuple } from '../util/conv-geometry.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { fill } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { conv2d } from './conv.js';
import { conv2dTranspose } from './conv-transpose.js';
import { floatOperand, operands } from './define-op.js';
import { add } from './elementwise.js';
import { concat, gather, pad, reshape, slice } from './shape.js';

export interface Conv3dOptions {
  strides?: number | readonly [number, number, number];
  padding?: Padding;
  dilations?: number | readonly [number, number, number];
}

export interface Conv3dTransposeOptions extends Conv3dOptions {
  /** Extra planes, rows and columns after the output (each smaller than its stride); see conv2dTranspose. */
  outputPadding?: number | readonly [number, number, number] | null;
}

function checkRanks(where: string, x: Tensor, w: Tensor, filterLayout: string): void {
  if (x.rank !== 5) throw new ShapeError(`${where}: argument 'x' expected rank 5 [batch, depth, height, width, channels], received shape ${fmtShape(x.shape)}`);
  if (w.rank !== 5) throw new ShapeError(`${where}: argument 'filter' expected rank 5 ${filterLayout}, received shape ${fmtShape(w.shape)}`);
}

/** The depth tap `kd` of a 5-D filter as a 4-D conv2d filter. */
function tap(w: Tensor, kd: number): Tensor {
  return reshape(slice(w, [kd, 0, 0, 0, 0], [1, -1, -1, -1, -1]), w.shape.slice(1));
}

/** 3-D convolution of x [batch, d, h, w, inC] with filter [kD, kH, kW, inC, outC]. */
export function conv3d(x: TensorLike, filter: TensorLike, options: Conv3dOptions = {}): Tensor {
  const where = 'conv3d';
  const [input, w] = operands(where, { x: floatOperand(where, 'x', x), filter }) as [Tensor, Tensor];
  checkRanks(where, input, w, '[kernelDepth, kernelHeight, kernelWidth, inChannels, outChannels]');
  const [batch, depth, h, wd, inC] = input.shape as [number, number, number, number, number];
  const [kD, , , wInC, outC] = w.shape as [number, number, number, number, number];
  if (wInC !== inC) throw new ShapeError(`${where}: argument 'filter' expected ${inC} input channels (dimension 3) to match x's last dimension, received shape ${fmtShape(w.shape)}`);
  const strides = tuple(where, 'strides', options.strides ?? 1, 3);
  const dilations = tuple(where, 'dilations', options.dilations ?? 1, 3);
  const padding = checkPadding(where, options.padding ?? 'valid');
  const effKD = (kD - 1) * dilations[0]! + 1;
  if (padding === 'valid' && effKD > depth) {
    throw new ShapeError(`${where}: the kernel's depth ${effKD} (with dilation) does not fit in the input's depth ${depth} with padding "valid"; use a smaller kernel or padding "same"`);
  }
  const { out: outD, padBefore } = outputSize(depth, effKD, strides[0]!, padding);
  const padAfter = Math.max(0, (outD - 1) * strides[0]! + effKD - padBefore - depth);
  const padded = pad(input, [[0, 0], [padBefore, padAfter], [0, 0], [0, 0], [0, 0]]);
  let sum: Tensor | null = null;
  for (let kd = 0; kd < kD; kd++) {
    const planes = gather(padded, Array.from({ length: outD }, (_, o) => o * strides[0]! + kd * dilations[0]!), 1);
    const y = conv2d(reshape(planes, [batch * outD, h, wd, inC]), tap(w, kd), {
      strides: [strides[1]!, strides[2]!], padding, dilations: [dilations[1]!, dilations[2]!],
    });
    sum = sum === null ? y : add(sum, y);
  }
  return reshape(sum!, [batch, outD, sum!.shape[1]!, sum!.shape[2]!, outC]);
}

/**
 * Transposed 3-D convolution of x [batch, d, h, w, inC] with filter [kD, kH, kW, outC, inC]: each depth tap
 * is a conv2dTranspose of every input plane, placed at output depth d * stride + tap * dilation - padding.
 */
export function conv3dTranspose(x: TensorLike, filter: TensorLike, options: Conv3dTransposeOptions = {}): Tensor {
  const where = 'conv3dTranspose';
  const [input, w] = operands(where, { x: floatOperand(where, 'x', x), filter }) as [Tensor, Tensor];
  checkRanks(where, input, w, '[kernelDepth, kernelHeight, kernelWidth, outChannels, inChannels]');
  const [batch, depth, h, wd, inC] = input.shape as [number, number, number, number, number];
  const [kD, , , outC, wInC] = w.shape as [number, number, number, number, number];
  if (wInC !== inC) throw new ShapeError(`${where}: argument 'filter' expected ${inC} input channels (dimension 4) to match x's last dimension, received shape ${fmtShape(w.shape)}`);
  const strides = tuple(where, 'strides', options.strides ?? 1, 3);
  const dilations = tuple(where, 'dilations', options.dilations ?? 1, 3);
  const padding = checkPadding(where, options.padding ?? 'valid');
  const outputPadding = options.outputPadding === undefined || options.outputPadding === null ? null : nonNegativeTriple(where, options.outputPadding);
  outputPadding?.forEach((p, i) => {
    if (p >= strides[i]!) throw new ValueError(`${where}: argument 'outputPadding' expected values smaller than the strides ${fmtShape(strides)}, received ${fmtShape(outputPadding)}`);
  });
  const s = strides[0]!, dil = dilations[0]!;
  const outD = transposedOutputSize(depth, kD, s, padding, dil, outputPadding?.[0] ?? null);
  const effKD = (kD - 1) * dil + 1;
  const { out: back, padBefore } = outputSize(outD, effKD, s, padding);
  if (back !== depth) throw new ShapeError(`${where}: an output depth of ${outD} does not convolve back to the input's depth ${depth}; check 'outputPadding'`);
  const planes = reshape(input, [batch * depth, h, wd, inC]);
  const options2d = {
    strides: [strides[1]!, strides[2]!] as [number, number], padding, dilations: [dilations[1]!, dilations[2]!] as [number, number],
    outputPadding: outputPadding ? ([outputPadding[1]!, outputPadding[2]!] as [number, number]) : null,
  };
  let sum: Tensor | null = null;
  for (let kd = 0; kd < kD; kd++) {
    const y2 = conv2dTranspose(planes, tap(w, kd), options2d);
    const y = reshape(y2, [batch, depth, 1, y2.shape[1]!, y2.shape[2]!, outC]);
    // Plane d goes to d * s: interleave s - 1 zero planes, then shift by the tap's offset and crop to outD.
    const spread = s === 1 ? y : concat([y, fill(withAxis(y.shape, 2, s - 1), 0, { dtype: y.dtype })], 2);
    const stacked = reshape(spread, [batch, depth * s, y2.shape[1]!, y2.shape[2]!, outC]);
    sum = add2(sum, placeAlongDepth(stacked, kd * dil - padBefore, outD));
  }
  return sum!;
}

function add2(a: Tensor | null, b: Tensor): Tensor {
  return a === null ? b : add(a, b);
}

/** `shape` with axis `axis` set to `size`. */
function withAxis(shape: readonly number[], axis: number, size: number): number[] {
  return shape.map((d, i) => (i === axis ? size : d));
}

/** out[o] = x[o - offset] along axis 1 for o in [0, length), zero where x has no plane. */
function placeAlongDepth(x: Tensor, offset: number, length: number): Tensor {
  const first = Math.max(0, -offset);
  const end = Math.min(x.shape[1]!, length - offset);
  if (end <= first) return fill(withAxis(x.shape, 1, length), 0, { dtype: x.dtype });
  const used = slice(x, [0, first, 0, 0, 0], [-1, end - first, -1, -1, -1]);
  const before = first + offset;
  return pad(used, [[0, 0], [before, length - before - (end - first)], [0, 0], [0, 0], [0, 0]]);
}

function nonNegativeTriple(where: string, value: number | readonly number[]): number[] {
  const p = typeof value === 'number' ? [value, value, value] : Array.isArray(value) ? [...value] : [];
  if (p.length !== 3 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new ValueError(`${where}: argument 'outputPadding' expected a non-negative integer or three of them, received ${describe(value)}`);
  }
  return p;
}
