/**
 * Every kernel, declared once: its operands by name (arrays and parameters, in the order backends receive
 * them) and the lengths its arrays must have. The `Kernels` contract (kernels.ts) is this table mapped to
 * argument types; the native and WebAssembly glue is generated from it during the build
 * (scripts/generate-kernels.mjs). Adding a kernel means: its entry here, its reference implementation
 * (reference/), the compute function of each fast backend that runs it (`void name(const NameArgs&)` in
 * native/kernels/*.h; `export function name(args: NameArgs, start, end, scratch)` in wasm/assembly/*.ts,
 * with its thread split in wasm/schedules.ts), and its cases in test/kernel-cases.ts, from which the
 * parity suite (test/kernels.test.ts) checks it on every backend.
 *
 * Rules every implementation follows:
 * - Arrays are dense and row-major. A kernel writes every element of its outputs (outputs may come from a
 *   pool and hold garbage). Inputs and outputs never alias; `inout` arrays are updated in place.
 * - The reference backend implements every kernel for every dtype (it is the oracle). Fast backends
 *   implement the kernels they accelerate for float32 and are used per kernel; anything else falls back.
 * - Random numbers never come from kernels: they come from the one seeded generator in JavaScript, so the
 *   same seed gives the same numbers on every backend.
 */
import type { ConvInfo, PoolInfo } from '../util/conv-geometry.js';
import { sizeOf } from '../util/shape.js';
import {
  CONSTANT_SOURCE, EXPRESSION_MAX_CONSTANTS, EXPRESSION_MAX_INSTRUCTIONS, EXPRESSION_MAX_OPERANDS, EXPRESSION_OPS, EXPRESSION_REGISTERS,
  OPERAND_SOURCE, validateProgram,
} from './expression.js';
import type { ArgsOf, KernelSpec } from './kernel-spec.js';
import {
  arrays, bool, float, floats, input, int, ints, kernel, only, oneOf, optionalInput, output, positive, struct,
} from './kernel-spec.js';

/** Elementwise functions of one input. `alpha` parameterises leakyRelu (slope) and elu (alpha). */
export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'sqrt', 'rsqrt', 'square', 'exp', 'log', 'log1p', 'reciprocal',
  'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'sigmoid', 'tanh', 'softplus',
  'floor', 'ceil', 'round',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];
const NOT_DIFFERENTIABLE = ['sign', 'floor', 'ceil', 'round'] as const;
/** Unary functions with a derivative; `unaryGrad` computes `dy * f'(x)` from x and y = f(x) in one pass. */
export type DifferentiableUnaryOp = Exclude<UnaryOp, (typeof NOT_DIFFERENTIABLE)[number]>;
export const DIFFERENTIABLE_UNARY_OPS = UNARY_OPS.filter((op): op is DifferentiableUnaryOp => !(NOT_DIFFERENTIABLE as readonly string[]).includes(op));

export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];
export const COMPARE_OPS = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];
export const REDUCE_OPS = ['sum', 'max', 'min', 'prod'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];
export const ARG_REDUCE_OPS = ['argmax', 'argmin'] as const;
export type ArgReduceOp = (typeof ARG_REDUCE_OPS)[number];

/**
 * Activations that can be fused into matmul and conv2d: each one's derivative is a function of its output
 * y alone, so a fused op need not keep its pre-activation (for these, `unaryGrad` reads only `y`).
 */
export const FUSABLE_ACTIVATIONS = ['linear', 'relu', 'leakyRelu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus'] as const;
export type FusableActivation = (typeof FUSABLE_ACTIVATIONS)[number];

/**
 * How upsampling and image warps read between pixels (nearest, or bilinear with half-pixel centers as Keras),
 * and what a warp reads outside the image (Keras's and TensorFlow's names).
 */
export const INTERPOLATIONS = ['nearest', 'bilinear'] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];
export const FILL_MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
export type FillMode = (typeof FILL_MODES)[number];

const unaryOp = oneOf('UnaryOp', UNARY_OPS);
const activation = oneOf('Activation', FUSABLE_ACTIVATIONS);

/** Shapes and strides: at most this many dimensions reach a fast backend (more run on the reference). */
export const MAX_RANK = 8;
const dims = ints(MAX_RANK);

/**
 * Broadcasting of operands to `shape`: strides are 0 along broadcast dimensions. Fast paths are easy to
 * detect: same shapes (both strides row-major), a scalar operand (all strides 0), a row vector.
 */
export interface Broadcast {
  readonly shape: readonly number[];
  readonly size: number;
  readonly aStrides: readonly number[];
  readonly bStrides: readonly number[];
}
const broadcast = struct<Broadcast>()('Broadcast', { shape: dims, size: int, aStrides: dims, bStrides: dims });

/** A reduction viewed as [outer, size, inner] -> [outer, inner] (reduced axes are made contiguous first). */
export interface ReduceInfo {
  readonly outer: number;
  readonly size: number;
  readonly inner: number;
}
const reduction = struct<ReduceInfo>()('ReduceInfo', { outer: int, size: int, inner: int });

/**
 * Batched matrix product out[b] = op(a[b]) @ op(b[b]) with op = transpose when asked. `a` holds [m, k]
 * matrices ([k, m] when transA), `b` holds [k, n] ([n, k] when transB); a batch stride of 0 broadcasts one
 * matrix over the batch.
 */
export interface MatmulInfo {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly aBatchStride: number;
  readonly bBatchStride: number;
}
const product = struct<MatmulInfo>()('MatmulInfo', {
  batch: int, m: int, n: int, k: int, transA: bool, transB: bool, aBatchStride: int, bBatchStride: int,
});

/** [outer, axisSize, inner] gathered at `indices` along the middle axis -> [outer, indices.length, inner]. */
export interface GatherInfo {
  readonly outer: number;
  readonly axisSize: number;
  readonly inner: number;
}
const gather = struct<GatherInfo>()('GatherInfo', { outer: int, axisSize: int, inner: int });

/** Upsampling of [batch, inH, inW, channels] by whole factors along height and width. */
export interface UpSamplingInfo {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly factorH: number;
  readonly factorW: number;
}
const upSampling = struct<UpSamplingInfo>()('UpSamplingInfo', { batch: int, inH: int, inW: int, channels: int, factorH: positive, factorW: positive });

const interpolation = oneOf('Interpolation', INTERPOLATIONS);

const conv = struct<ConvInfo>()('ConvInfo', {
  batch: int, inH: int, inW: int, inC: int, outH: int, outW: int, outC: int, kH: int, kW: int,
  strideH: positive, strideW: positive, dilationH: positive, dilationW: positive, padTop: int, padLeft: int,
});
const pool = struct<PoolInfo>()('PoolInfo', {
  batch: int, inH: int, inW: int, channels: int, outH: int, outW: int, kH: int, kW: int,
  strideH: positive, strideW: positive, padTop: int, padLeft: int,
});

/**
 * A batch of NHWC images warped by one projective transform per image: output pixel (x, y) reads the input
 * at ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k) with k = c0 x + c1 y + 1, where `transforms` holds
 * [a0, a1, a2, b0, b1, b2, c0, c1] per image (TensorFlow's ImageProjectiveTransformV3, which Keras's image
 * layers use). Resizing, cropping, flips, rotations, zooms and translations are all such transforms.
 */
export interface ImageTransformInfo {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly outH: number;
  readonly outW: number;
}
const imageWarp = struct<ImageTransformInfo>()('ImageTransformInfo', { batch: int, inH: int, inW: int, channels: int, outH: int, outW: int });

/** The smallest length an array read through `strides` over `shape` must have. */
function reach(shape: readonly number[], strides: readonly number[]): { min: number } {
  let last = 0;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 0) return { min: 0 };
    last += (shape[d]! - 1) * strides[d]!;
  }
  return { min: last + 1 };
}

const image = (c: ConvInfo): number => c.batch * c.inH * c.inW * c.inC;
const convOut = (c: ConvInfo): number => c.batch * c.outH * c.outW * c.outC;
const filter = (c: ConvInfo): number => c.kH * c.kW * c.inC * c.outC;
/** A depthwise filter [kH, kW, inC, outC / inC]. */
const depthwiseFilter = (c: ConvInfo): number => c.kH * c.kW * c.outC;
const upIn = (u: UpSamplingInfo): number => u.batch * u.inH * u.inW * u.channels;
const upOut = (u: UpSamplingInfo): number => upIn(u) * u.factorH * u.factorW;
const poolIn = (p: PoolInfo): number => p.batch * p.inH * p.inW * p.channels;
const poolOut = (p: PoolInfo): number => p.batch * p.outH * p.outW * p.channels;
const batched = (batch: number, stride: number, size: number): { min: number } => ({ min: batch === 0 ? 0 : (batch - 1) * stride + size });

/** The activations a recurrent kernel's gates may have: sigmoid (Keras's default) or hard sigmoid (TensorFlow.js's). */
export const GATE_ACTIVATIONS = ['sigmoid', 'hardSigmoid'] as const;
export type GateActivation = (typeof GATE_ACTIVATIONS)[number];
const gateActivation = oneOf('GateActivation', GATE_ACTIVATIONS);

/** A batch of sequences a recurrent kernel runs: `steps` steps of `batch` rows, each state `units` wide. */
export interface SequenceInfo {
  readonly batch: number;
  readonly steps: number;
  readonly units: number;
}
const sequence = struct<SequenceInfo>()('SequenceInfo', { batch: int, steps: int, units: int });
/** batch x steps x (width * units), the size of a sequence of width blocks of units. */
const seq = (s: SequenceInfo, width: number): number => s.batch * s.steps * width * s.units;

export const KERNELS = {
  // Elementwise
  unary: kernel(
    { x: input('any'), out: output('any'), op: unaryOp, alpha: float },
    (a) => ({ x: a.out.length }),
  ),
  unaryGrad: kernel(
    { x: input('float'), y: input('float'), dy: input('float'), out: output('float'), op: only(unaryOp, DIFFERENTIABLE_UNARY_OPS), alpha: float },
    (a) => ({ x: a.out.length, y: a.out.length, dy: a.out.length }),
  ),
  binary: kernel(
    { a: input('any'), b: input('any'), out: output('any'), op: oneOf('BinaryOp', BINARY_OPS), broadcast },
    ({ broadcast: bc }) => ({ a: reach(bc.shape, bc.aStrides), b: reach(bc.shape, bc.bStrides), out: bc.size }),
  ),
  compare: kernel(
    { a: input('any'), b: input('any'), out: output('bool'), op: oneOf('CompareOp', COMPARE_OPS), broadcast },
    ({ broadcast: bc }) => ({ a: reach(bc.shape, bc.aStrides), b: reach(bc.shape, bc.bStrides), out: bc.size }),
  ),
  /** out = cond ? a : b, all three broadcast to `broadcast.shape` (cond through `condStrides`). */
  where: kernel(
    { cond: input('bool'), a: input('any'), b: input('any'), out: output('any'), broadcast, condStrides: dims },
    ({ broadcast: bc, condStrides }) => ({
      cond: reach(bc.shape, condStrides), a: reach(bc.shape, bc.aStrides), b: reach(bc.shape, bc.bStrides), out: bc.size,
    }),
  ),
  clip: kernel({ x: input('any'), out: output('any'), low: float, high: float }, (a) => ({ x: a.out.length })),
  cast: kernel({ x: input('any'), out: output('any') }, (a) => ({ x: a.out.length })),
  fill: kernel({ out: output('any'), value: float }, () => ({})),
  /**
   * A fused elementwise expression (expression.ts) over same-length arrays, updated in place where the
   * program stores to them; `constants` are the numbers it uses.
   */
  expression: kernel(
    {
      operands: arrays('float', 'inout', EXPRESSION_MAX_OPERANDS),
      program: ints(4 * EXPRESSION_MAX_INSTRUCTIONS, oneOf('ExpressionOp', EXPRESSION_OPS)),
      constants: floats(EXPRESSION_MAX_CONSTANTS),
    },
    (a) => ({ operands: a.operands[0]?.length ?? 0 }),
    (a) => validateProgram(a.program, a.constants.length, a.operands.length),
  ),

  // Reductions
  reduce: kernel(
    { x: input('any'), out: output('any'), op: oneOf('ReduceOp', REDUCE_OPS), reduction },
    ({ reduction: r }) => ({ x: r.outer * r.size * r.inner, out: r.outer * r.inner }),
  ),
  argReduce: kernel(
    { x: input('any'), out: output('int32'), op: oneOf('ArgReduceOp', ARG_REDUCE_OPS), reduction },
    ({ reduction: r }) => ({ x: r.outer * r.size * r.inner, out: r.outer * r.inner }),
  ),

  // Layout
  transpose: kernel(
    { x: input('any'), out: output('any'), shape: dims, perm: dims },
    (a) => ({ x: sizeOf(a.shape), out: sizeOf(a.shape) }),
  ),
  slice: kernel(
    { x: input('any'), out: output('any'), shape: dims, begin: dims, size: dims },
    (a) => ({ x: sizeOf(a.shape), out: sizeOf(a.size) }),
  ),
  pad: kernel(
    { x: input('any'), out: output('any'), shape: dims, before: dims, after: dims, value: float },
    (a) => ({ x: sizeOf(a.shape), out: sizeOf(a.shape.map((d, i) => d + a.before[i]! + a.after[i]!)) }),
  ),
  /** Concatenation as [outer, width_i] blocks: `widths[i]` is input i's size along the axis times the inner size. */
  concat: kernel(
    { inputs: arrays('any', 'in', 64), out: output('any'), outer: int, widths: ints(64) },
    (a) => ({ out: a.outer * a.widths.reduce((s, w) => s + w, 0) }),
  ),
  gather: kernel(
    { x: input('any'), indices: input('int32'), out: output('any'), gather },
    ({ gather: g, indices }) => ({ x: g.outer * g.axisSize * g.inner, out: g.outer * indices.length * g.inner }),
  ),
  /** The adjoint of gather: out (shape [outer, axisSize, inner]) = sum of `updates` rows at `indices`. */
  scatterAdd: kernel(
    { updates: input('float'), indices: input('int32'), out: output('float'), gather },
    ({ gather: g, indices }) => ({ updates: g.outer * indices.length * g.inner, out: g.outer * g.axisSize * g.inner }),
  ),
  oneHot: kernel(
    { indices: input('int32'), out: output('any'), depth: int, onValue: float, offValue: float },
    (a) => ({ out: a.indices.length * a.depth }),
  ),

  // Linear algebra
  /** out = activation(op(a) @ op(b) + bias), the bias broadcast over the last axis. */
  matmul: kernel(
    { a: input('float'), b: input('float'), out: output('float'), bias: optionalInput('float'), product, activation, alpha: float },
    ({ product: p }) => ({
      a: batched(p.batch, p.aBatchStride, p.m * p.k), b: batched(p.batch, p.bBatchStride, p.k * p.n), out: p.batch * p.m * p.n, bias: p.n,
    }),
  ),

  // Neural-network kernels (NHWC; filters are [kH, kW, inC, outC] as in Keras)
  /** out = activation(conv(x, filter) + bias), the bias per output channel. */
  conv2d: kernel(
    { x: input('float'), filter: input('float'), out: output('float'), bias: optionalInput('float'), conv, activation, alpha: float },
    ({ conv: c }) => ({ x: image(c), filter: filter(c), out: convOut(c), bias: c.outC }),
  ),
  conv2dBackpropInput: kernel(
    { dy: input('float'), filter: input('float'), dx: output('float'), conv },
    ({ conv: c }) => ({ dy: convOut(c), filter: filter(c), dx: image(c) }),
  ),
  conv2dBackpropFilter: kernel(
    { x: input('float'), dy: input('float'), dFilter: output('float'), conv },
    ({ conv: c }) => ({ x: image(c), dy: convOut(c), dFilter: filter(c) }),
  ),
  /**
   * Depthwise convolution (`conv.outC` is a multiple m of `conv.inC`): input channel ci convolved with
   * filter[:, :, ci, j] gives output channel ci * m + j; out = activation(that + bias).
   */
  depthwiseConv2d: kernel(
    { x: input('float'), filter: input('float'), out: output('float'), bias: optionalInput('float'), conv, activation, alpha: float },
    ({ conv: c }) => ({ x: image(c), filter: depthwiseFilter(c), out: convOut(c), bias: c.outC }),
  ),
  depthwiseConv2dBackpropInput: kernel(
    { dy: input('float'), filter: input('float'), dx: output('float'), conv },
    ({ conv: c }) => ({ dy: convOut(c), filter: depthwiseFilter(c), dx: image(c) }),
  ),
  depthwiseConv2dBackpropFilter: kernel(
    { x: input('float'), dy: input('float'), dFilter: output('float'), conv },
    ({ conv: c }) => ({ x: image(c), dy: convOut(c), dFilter: depthwiseFilter(c) }),
  ),
  /** NHWC upsampling by whole factors: each pixel repeated, or interpolated between the nearest source pixels. */
  upSampling2d: kernel(
    { x: input('float'), out: output('float'), upSampling, interpolation },
    ({ upSampling: u }) => ({ x: upIn(u), out: upOut(u) }),
  ),
  /** The adjoint of upSampling2d: each output gradient sent back to the source pixels it came from, by their weights. */
  upSampling2dGrad: kernel(
    { dy: input('float'), dx: output('float'), upSampling, interpolation },
    ({ upSampling: u }) => ({ dy: upOut(u), dx: upIn(u) }),
  ),
  maxPool2d: kernel({ x: input('float'), out: output('float'), pool }, ({ pool: p }) => ({ x: poolIn(p), out: poolOut(p) })),
  /** Routes each output gradient to the first maximum of its window (ties go to the first, as in TensorFlow). */
  maxPool2dGrad: kernel(
    { x: input('float'), dy: input('float'), dx: output('float'), pool },
    ({ pool: p }) => ({ x: poolIn(p), dy: poolOut(p), dx: poolIn(p) }),
  ),
  /** Averages over the window's valid (unpadded) pixels, as Keras does for padding "same". */
  avgPool2d: kernel({ x: input('float'), out: output('float'), pool }, ({ pool: p }) => ({ x: poolIn(p), out: poolOut(p) })),
  avgPool2dGrad: kernel({ dy: input('float'), dx: output('float'), pool }, ({ pool: p }) => ({ dy: poolOut(p), dx: poolIn(p) })),
  /**
   * Image warps (see ImageTransformInfo): coordinates outside the image are mapped back by `fillMode`
   * (reflect: dcba|abcd|dcba, wrap: abcd|abcd, nearest: aaaa|abcd|dddd, constant: `fillValue`), then read
   * with `interpolation` (nearest rounds half away from zero; bilinear reads neighbours outside the image as
   * `fillValue`). Coordinates are computed in double precision, so every backend reads the same pixels.
   */
  imageTransform: kernel(
    {
      x: input('float'), transforms: input('float'), out: output('float'), image: imageWarp,
      interpolation, fillMode: oneOf('FillMode', FILL_MODES), fillValue: float,
    },
    ({ image: g }) => ({ x: g.batch * g.inH * g.inW * g.channels, transforms: g.batch * 8, out: g.batch * g.outH * g.outW * g.channels }),
  ),
  /** The gradient of imageTransform with respect to its images: each output gradient goes back to the pixels it read, by their weights. */
  imageTransformGrad: kernel(
    {
      dy: input('float'), transforms: input('float'), dx: output('float'), image: imageWarp,
      interpolation, fillMode: oneOf('FillMode', FILL_MODES),
    },
    ({ image: g }) => ({ dy: g.batch * g.outH * g.outW * g.channels, transforms: g.batch * 8, dx: g.batch * g.inH * g.inW * g.channels }),
  ),
  /** Softmax over the last axis of a [rows, cols] view, stable for large inputs. */
  softmax: kernel({ x: input('float'), out: output('float'), rows: int, cols: int }, (a) => ({ x: a.rows * a.cols, out: a.rows * a.cols })),
  logSoftmax: kernel({ x: input('float'), out: output('float'), rows: int, cols: int }, (a) => ({ x: a.rows * a.cols, out: a.rows * a.cols })),
  /**
   * Layer normalization over the last axis of a [rows, cols] view: out = (x - mean) * rstd * gamma + beta,
   * with rstd = 1 / sqrt(variance + epsilon); each row's mean and rstd are kept for the gradient.
   */
  layerNorm: kernel(
    { x: input('float'), gamma: input('float'), beta: input('float'), out: output('float'), mean: output('float'), rstd: output('float'), rows: int, cols: int, epsilon: float },
    (a) => ({ x: a.rows * a.cols, gamma: a.cols, beta: a.cols, out: a.rows * a.cols, mean: a.rows, rstd: a.rows }),
  ),
  /** layerNorm's gradients from its saved mean and rstd: dx per row, dGamma and dBeta summed over rows. */
  layerNormGrad: kernel(
    {
      dy: input('float'), x: input('float'), gamma: input('float'), mean: input('float'), rstd: input('float'),
      dx: output('float'), dGamma: output('float'), dBeta: output('float'), rows: int, cols: int,
    },
    (a) => ({ dy: a.rows * a.cols, x: a.rows * a.cols, gamma: a.cols, mean: a.rows, rstd: a.rows, dx: a.rows * a.cols, dGamma: a.cols, dBeta: a.cols }),
  ),

  // Recurrent layers: the loop over time of a whole batch of sequences, in the order the steps run. The
  // input product x W + b comes in computed (`xp`), and the recurrent kernel's gradient is a matrix product
  // of the states with the returned pre-activation gradients, done by the op; a step whose mask is 0 keeps
  // the row's states. Gates go through `recurrentActivation`, the candidate and LSTM cell output through tanh.
  /**
   * LSTM (gates i, f, c, o in blocks of `units`): `h` and `c` hold the states after each step [batch,
   * steps, units], `gates` the activated gates [batch, steps, 4 * units] for the gradient.
   */
  lstmSequence: kernel(
    {
      xp: input('float'), recurrentKernel: input('float'), h0: input('float'), c0: input('float'), mask: optionalInput('bool'),
      h: output('float'), c: output('float'), gates: output('float'), sequence, recurrentActivation: gateActivation,
    },
    ({ sequence: s }) => ({
      xp: seq(s, 4), recurrentKernel: 4 * s.units * s.units, h0: s.batch * s.units, c0: s.batch * s.units, mask: s.batch * s.steps,
      h: seq(s, 1), c: seq(s, 1), gates: seq(s, 4),
    }),
  ),
  /** lstmSequence's gradients (dh, dc: of each step's states): of xp (those of the recurrent product too), of h0 and c0. */
  lstmSequenceGrad: kernel(
    {
      dh: input('float'), dc: input('float'), h: input('float'), c: input('float'), gates: input('float'), h0: input('float'), c0: input('float'),
      recurrentKernel: input('float'), mask: optionalInput('bool'), dXp: output('float'), dh0: output('float'), dc0: output('float'), sequence,
      recurrentActivation: gateActivation,
    },
    ({ sequence: s }) => ({
      dh: seq(s, 1), dc: seq(s, 1), h: seq(s, 1), c: seq(s, 1), gates: seq(s, 4), h0: s.batch * s.units, c0: s.batch * s.units,
      recurrentKernel: 4 * s.units * s.units, mask: s.batch * s.steps, dXp: seq(s, 4), dh0: s.batch * s.units, dc0: s.batch * s.units,
    }),
  ),
  /**
   * GRU (blocks z, r, candidate): `out` holds h after each step [batch, steps, units]; `saved` [batch,
   * steps, 4 * units] keeps z, r, the candidate and what the candidate's recurrent product read (h W_h +
   * b_rh with resetAfter, Keras's default; r * h without, TensorFlow.js's form). `recurrentBias` is
   * resetAfter's b_rh [3 * units].
   */
  gruSequence: kernel(
    {
      xp: input('float'), recurrentKernel: input('float'), recurrentBias: optionalInput('float'), h0: input('float'), mask: optionalInput('bool'),
      out: output('float'), saved: output('float'), sequence, recurrentActivation: gateActivation, resetAfter: bool,
    },
    ({ sequence: s }) => ({
      xp: seq(s, 3), recurrentKernel: 3 * s.units * s.units, recurrentBias: 3 * s.units, h0: s.batch * s.units, mask: s.batch * s.steps,
      out: seq(s, 1), saved: seq(s, 4),
    }),
  ),
  /** gruSequence's gradients: of xp, of what the recurrent products produced (`dRec`, for their kernel's gradient), of h0. */
  gruSequenceGrad: kernel(
    {
      dOut: input('float'), out: input('float'), saved: input('float'), h0: input('float'), recurrentKernel: input('float'), mask: optionalInput('bool'),
      dXp: output('float'), dRec: output('float'), dh0: output('float'), sequence, recurrentActivation: gateActivation, resetAfter: bool,
    },
    ({ sequence: s }) => ({
      dOut: seq(s, 1), out: seq(s, 1), saved: seq(s, 4), h0: s.batch * s.units, recurrentKernel: 3 * s.units * s.units, mask: s.batch * s.steps,
      dXp: seq(s, 3), dRec: seq(s, 3), dh0: s.batch * s.units,
    }),
  ),
} satisfies Record<string, KernelSpec>;

/** Numbers the compute functions use too: the generated C++ and AssemblyScript declare them. */
export const CONSTANTS = { MAX_RANK, EXPRESSION_REGISTERS, CONSTANT_SOURCE, OPERAND_SOURCE } as const;

export type KernelTable = typeof KERNELS;
export type KernelName = keyof KernelTable;
/** The argument object of a kernel. */
export type KernelArgs<K extends KernelName> = ArgsOf<KernelTable[K]['operands']>;
export const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[];
