/**
 * The kernel contract: every computation on tensor data goes through one of these functions.
 *
 * Rules every implementation follows:
 * - Kernels read their inputs and write their output arrays, which the caller allocated with the right
 *   length. A kernel writes every element of its output (outputs may come from a pool and hold garbage).
 * - Arrays are dense and row-major. Inputs and outputs never alias unless a kernel says "in place".
 * - The reference backend implements every kernel for every dtype (it is the oracle). Fast backends
 *   implement `Partial<Kernels>` for float32 and are used per kernel; anything else falls back.
 * - Random numbers never come from kernels: they come from the one seeded generator in JavaScript, so the
 *   same seed gives the same numbers on every backend.
 */
import type { ConvInfo, PoolInfo } from '../util/conv-geometry.js';
import type { DType, FloatArray, TypedArray } from '../util/dtype.js';

/** Elementwise functions of one input. `alpha` parameterises leakyRelu (slope) and elu (alpha). */
export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'sqrt' | 'rsqrt' | 'square' | 'exp' | 'log' | 'log1p' | 'reciprocal'
  | 'relu' | 'leakyRelu' | 'elu' | 'selu' | 'gelu' | 'sigmoid' | 'tanh' | 'softplus'
  | 'floor' | 'ceil' | 'round';

/** Unary functions with a derivative; `unaryGrad` computes `dy * f'(x)` from x and y = f(x) in one pass. */
export type DifferentiableUnaryOp = Exclude<UnaryOp, 'sign' | 'floor' | 'ceil' | 'round'>;

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';
export type CompareOp = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual' | 'logicalAnd' | 'logicalOr';
export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';
export type ArgReduceOp = 'argmax' | 'argmin';

/**
 * Broadcasting of two operands to `shape`: strides are 0 along broadcast dimensions. Fast paths are
 * easy to detect: same shapes (both strides row-major), a scalar operand (all strides 0), a row vector.
 */
export interface Broadcast {
  shape: number[];
  size: number;
  aStrides: number[];
  bStrides: number[];
}

/** A reduction viewed as [outer, size, inner] -> [outer, inner] (reduced axes are made contiguous first). */
export interface ReduceInfo {
  outer: number;
  size: number;
  inner: number;
}

/**
 * Batched matrix product out[b] = op(a[b]) @ op(b[b]) with op = transpose when asked. `a` holds
 * [m, k] matrices ([k, m] when transA), `b` holds [k, n] ([n, k] when transB); a batch stride of 0
 * broadcasts one matrix over the batch.
 */
export interface MatmulInfo {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  aBatchStride: number;
  bBatchStride: number;
}

/**
 * Activations that can be fused into matmul and conv2d: each one's derivative is a function of its output
 * y alone, so a fused op need not keep its pre-activation (for these, `unaryGrad` reads only `y`).
 */
export type FusableActivation = 'linear' | 'relu' | 'leakyRelu' | 'elu' | 'selu' | 'sigmoid' | 'tanh' | 'softplus';

/** out = activation(out + bias), bias broadcast over the last axis, applied while the result is still in cache. */
export interface Epilogue {
  bias: FloatArray | null;
  activation: FusableActivation;
  alpha: number;
}

/** [outer, axisSize, inner] gathered at `indices` along the middle axis -> [outer, indices.length, inner]. */
export interface GatherInfo {
  outer: number;
  axisSize: number;
  inner: number;
}

export interface Kernels {
  // Elementwise
  unary(op: UnaryOp, x: TypedArray, out: TypedArray, alpha: number): void;
  unaryGrad(op: DifferentiableUnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray, alpha: number): void;
  binary(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, bc: Broadcast): void;
  compare(op: CompareOp, a: TypedArray, b: TypedArray, out: Uint8Array, bc: Broadcast): void;
  /** out = cond ? a : b, all three broadcast to `bc.shape` (cond uses `condStrides`). */
  where(cond: Uint8Array, a: TypedArray, b: TypedArray, out: TypedArray, bc: Broadcast, condStrides: number[]): void;
  clip(x: TypedArray, out: TypedArray, low: number, high: number): void;
  cast(x: TypedArray, out: TypedArray): void;
  fill(out: TypedArray, value: number): void;

  // Reductions
  reduce(op: ReduceOp, x: TypedArray, out: TypedArray, r: ReduceInfo): void;
  argReduce(op: ArgReduceOp, x: TypedArray, out: Int32Array, r: ReduceInfo): void;

  // Layout
  transpose(x: TypedArray, out: TypedArray, shape: readonly number[], perm: readonly number[]): void;
  slice(x: TypedArray, out: TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[]): void;
  pad(x: TypedArray, out: TypedArray, shape: readonly number[], before: readonly number[], after: readonly number[], value: number): void;
  /** Concatenation as [outer, width_i] blocks: `widths[i]` is input i's size along the axis times the inner size. */
  concat(inputs: readonly TypedArray[], out: TypedArray, outer: number, widths: readonly number[]): void;
  gather(x: TypedArray, indices: Int32Array, out: TypedArray, g: GatherInfo): void;
  /** The adjoint of gather: out (shape [outer, axisSize, inner]) = sum of `updates` rows at `indices`. */
  scatterAdd(updates: FloatArray, indices: Int32Array, out: FloatArray, g: GatherInfo): void;
  oneHot(indices: Int32Array, out: TypedArray, depth: number, onValue: number, offValue: number): void;

  // Linear algebra
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, m: MatmulInfo, epilogue: Epilogue | null): void;

  // Neural-network kernels (NHWC; filters are [kH, kW, inC, outC] as in Keras)
  conv2d(x: FloatArray, filter: FloatArray, out: FloatArray, c: ConvInfo, epilogue: Epilogue | null): void;
  conv2dBackpropInput(dy: FloatArray, filter: FloatArray, dx: FloatArray, c: ConvInfo): void;
  conv2dBackpropFilter(x: FloatArray, dy: FloatArray, dFilter: FloatArray, c: ConvInfo): void;
  maxPool2d(x: FloatArray, out: FloatArray, p: PoolInfo): void;
  /** Routes each output gradient to the first maximum of its window (ties go to the first, as in TensorFlow). */
  maxPool2dGrad(x: FloatArray, dy: FloatArray, dx: FloatArray, p: PoolInfo): void;
  /** Averages over the window's valid (unpadded) pixels, as Keras does for padding "same". */
  avgPool2d(x: FloatArray, out: FloatArray, p: PoolInfo): void;
  avgPool2dGrad(dy: FloatArray, dx: FloatArray, p: PoolInfo): void;
  /** Softmax over the last axis of a [rows, cols] view, stable for large inputs. */
  softmax(x: FloatArray, out: FloatArray, rows: number, cols: number): void;
  logSoftmax(x: FloatArray, out: FloatArray, rows: number, cols: number): void;

  // Optimizer updates, in place on the parameter and its slots (Keras's update rules).
  /** v = momentum*v - lr*g; p += nesterov ? momentum*v - lr*g : v. Without velocity (momentum 0): p -= lr*g. */
  sgdUpdate(param: FloatArray, grad: FloatArray, velocity: FloatArray | null, lr: number, momentum: number, nesterov: boolean): void;
  /**
   * ms = rho*ms + (1-rho)*g^2; denom = ms - (centered ? mg^2 : 0) + eps (mg = rho*mg + (1-rho)*g first);
   * inc = lr*g/sqrt(denom); with momentum: mom = momentum*mom + inc, p -= mom; else p -= inc.
   */
  rmspropUpdate(
    param: FloatArray, grad: FloatArray, ms: FloatArray, mom: FloatArray | null, mg: FloatArray | null,
    lr: number, rho: number, momentum: number, epsilon: number,
  ): void;
  /**
   * m += (g-m)*(1-beta1); v += (g^2-v)*(1-beta2); with vMax: vMax = max(vMax, v) and it replaces v;
   * p -= stepSize * m / (sqrt(v) + eps), where stepSize = lr*sqrt(1-beta2^t)/(1-beta1^t) is computed by the caller.
   */
  adamUpdate(
    param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, vMax: FloatArray | null,
    stepSize: number, beta1: number, beta2: number, epsilon: number,
  ): void;
  /** acc += g^2; p -= lr*g/sqrt(acc + eps). */
  adagradUpdate(param: FloatArray, grad: FloatArray, acc: FloatArray, lr: number, epsilon: number): void;
  /** p *= factor, in place (decoupled weight decay). */
  scaleInPlace(param: FloatArray, factor: number): void;
}

export type KernelName = keyof Kernels;

/** A backend: a name, the kernels it accelerates and, optionally, its own memory for tensor data. */
export interface Backend {
  readonly name: string;
  readonly kernels: Partial<Kernels>;
  /** Allocates storage for a new tensor (defaults to a garbage-collected typed array). */
  alloc?(dtype: DType, length: number): TypedArray;
  /**
   * Takes back an array from `alloc` that the library knows is unreachable, so its memory is reused
   * without waiting for the garbage collector. Must ignore arrays it did not allocate.
   */
  release?(array: TypedArray): void;
  /** One line for logs: SIMD level, threads. */
  describe(): string;
  /** Sets the number of worker threads, where the backend has any. */
  setThreads?(n: number): void;
}
