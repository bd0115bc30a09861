/**
 * Chainable methods (`x.mul(y).sum()`), installed on Tensor by declaration merging. This file is the one
 * sanctioned upward reference (tensor/ is below ops/); each method just calls the free function.
 */
import type { DType } from '../util/dtype.js';
import type { TensorLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import * as ops from './index.js';

type Axes = number | readonly number[];

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    squaredDifference(b: TensorLike): Tensor;
    neg(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    square(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    reciprocal(): Tensor;
    clip(low: number, high: number): Tensor;
    relu(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    elu(alpha?: number): Tensor;
    selu(): Tensor;
    gelu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    softplus(): Tensor;
    equal(b: TensorLike): Tensor;
    notEqual(b: TensorLike): Tensor;
    less(b: TensorLike): Tensor;
    lessEqual(b: TensorLike): Tensor;
    greater(b: TensorLike): Tensor;
    greaterEqual(b: TensorLike): Tensor;
    cast(dtype: DType): Tensor;
    sum(axes?: Axes, options?: ops.ReduceOptions): Tensor;
    mean(axes?: Axes, options?: ops.ReduceOptions): Tensor;
    max(axes?: Axes, options?: ops.ReduceOptions): Tensor;
    min(axes?: Axes, options?: ops.ReduceOptions): Tensor;
    prod(axes?: Axes, options?: ops.ReduceOptions): Tensor;
    logSumExp(axes?: Axes, options?: ops.ReduceOptions): Tensor;
    variance(axes?: Axes, options?: ops.ReduceOptions): Tensor;
    argmax(axis?: number): Tensor;
    argmin(axis?: number): Tensor;
    reshape(shape: readonly number[]): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    expandDims(axis?: number): Tensor;
    squeeze(axes?: Axes): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    slice(begin: readonly number[], size?: readonly number[]): Tensor;
    pad(paddings: readonly (readonly [number, number])[], value?: number): Tensor;
    gather(indices: TensorLike, axis?: number): Tensor;
    matmul(b: TensorLike, options?: ops.MatmulOptions): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
  }
}

const methods: { [K in keyof Tensor]?: (this: Tensor, ...args: never[]) => unknown } = {
  add(b: TensorLike) { return ops.add(this, b); },
  sub(b: TensorLike) { return ops.sub(this, b); },
  mul(b: TensorLike) { return ops.mul(this, b); },
  div(b: TensorLike) { return ops.div(this, b); },
  pow(b: TensorLike) { return ops.pow(this, b); },
  maximum(b: TensorLike) { return ops.maximum(this, b); },
  minimum(b: TensorLike) { return ops.minimum(this, b); },
  squaredDifference(b: TensorLike) { return ops.squaredDifference(this, b); },
  neg() { return ops.neg(this); },
  sqrt() { return ops.sqrt(this); },
  rsqrt() { return ops.rsqrt(this); },
  square() { return ops.square(this); },
  exp() { return ops.exp(this); },
  log() { return ops.log(this); },
  log1p() { return ops.log1p(this); },
  abs() { return ops.abs(this); },
  sign() { return ops.sign(this); },
  floor() { return ops.floor(this); },
  ceil() { return ops.ceil(this); },
  round() { return ops.round(this); },
  reciprocal() { return ops.reciprocal(this); },
  clip(low: number, high: number) { return ops.clip(this, low, high); },
  relu() { return ops.relu(this); },
  leakyRelu(alpha?: number) { return ops.leakyRelu(this, alpha); },
  elu(alpha?: number) { return ops.elu(this, alpha); },
  selu() { return ops.selu(this); },
  gelu() { return ops.gelu(this); },
  sigmoid() { return ops.sigmoid(this); },
  tanh() { return ops.tanh(this); },
  softplus() { return ops.softplus(this); },
  equal(b: TensorLike) { return ops.equal(this, b); },
  notEqual(b: TensorLike) { return ops.notEqual(this, b); },
  less(b: TensorLike) { return ops.less(this, b); },
  lessEqual(b: TensorLike) { return ops.lessEqual(this, b); },
  greater(b: TensorLike) { return ops.greater(this, b); },
  greaterEqual(b: TensorLike) { return ops.greaterEqual(this, b); },
  cast(dtype: DType) { return ops.cast(this, dtype); },
  sum(axes?: Axes, options?: ops.ReduceOptions) { return ops.sum(this, axes, options); },
  mean(axes?: Axes, options?: ops.ReduceOptions) { return ops.mean(this, axes, options); },
  max(axes?: Axes, options?: ops.ReduceOptions) { return ops.max(this, axes, options); },
  min(axes?: Axes, options?: ops.ReduceOptions) { return ops.min(this, axes, options); },
  prod(axes?: Axes, options?: ops.ReduceOptions) { return ops.prod(this, axes, options); },
  logSumExp(axes?: Axes, options?: ops.ReduceOptions) { return ops.logSumExp(this, axes, options); },
  variance(axes?: Axes, options?: ops.ReduceOptions) { return ops.variance(this, axes, options); },
  argmax(axis?: number) { return ops.argmax(this, axis); },
  argmin(axis?: number) { return ops.argmin(this, axis); },
  reshape(shape: readonly number[]) { return ops.reshape(this, shape); },
  transpose(perm?: readonly number[]) { return ops.transpose(this, perm); },
  expandDims(axis?: number) { return ops.expandDims(this, axis); },
  squeeze(axes?: Axes) { return ops.squeeze(this, axes); },
  broadcastTo(shape: readonly number[]) { return ops.broadcastTo(this, shape); },
  slice(begin: readonly number[], size?: readonly number[]) { return ops.slice(this, begin, size); },
  pad(paddings: readonly (readonly [number, number])[], value?: number) { return ops.pad(this, paddings, value); },
  gather(indices: TensorLike, axis?: number) { return ops.gather(this, indices, axis); },
  matmul(b: TensorLike, options?: ops.MatmulOptions) { return ops.matmul(this, b, options); },
  softmax(axis?: number) { return ops.softmax(this, axis); },
  logSoftmax(axis?: number) { return ops.logSoftmax(this, axis); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
