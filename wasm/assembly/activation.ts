/**
 * The fusable activations (FUSABLE_ACTIVATIONS in src/backend/kernel-table.ts) as vector functions, and
 * their derivatives as functions of the output y alone.
 */
import { Activation } from '../generated/kernels';
import { vexpm1, vsigmoid, vsoftplus, vtanh } from './vmath';

export const LINEAR: i32 = Activation.Linear;
export const RELU: i32 = Activation.Relu;
export const LEAKY_RELU: i32 = Activation.LeakyRelu;
export const ELU: i32 = Activation.Elu;
export const SELU: i32 = Activation.Selu;
export const SIGMOID: i32 = Activation.Sigmoid;
export const TANH: i32 = Activation.Tanh;
export const SOFTPLUS: i32 = Activation.Softplus;

export const SELU_ALPHA: f32 = 1.6732632423543772;
export const SELU_SCALE: f32 = 1.0507009873554805;

/**
 * relu that keeps NaN, as TensorFlow and PyTorch do (`x > 0 ? x : 0` would turn a NaN input into 0 and hide
 * it): zero where x <= 0 (false for NaN), -0 giving +0. The same compare and one logical op.
 */
@inline export function vrelu(x: v128): v128 {
  return v128.andnot(x, f32x4.le(x, f32x4.splat(0)));
}

/** act(x) per lane; `alpha` is leakyRelu's slope and elu's alpha. */
@inline export function activate(x: v128, act: i32, alpha: f32): v128 {
  const zero = f32x4.splat(0);
  switch (act) {
    case RELU:
      return vrelu(x);
    case LEAKY_RELU:
      return v128.bitselect(x, f32x4.mul(x, f32x4.splat(alpha)), f32x4.gt(x, zero));
    case ELU:
      return v128.bitselect(x, f32x4.mul(vexpm1(x), f32x4.splat(alpha)), f32x4.gt(x, zero));
    case SELU: {
      const neg = f32x4.mul(vexpm1(x), f32x4.splat(SELU_SCALE * SELU_ALPHA));
      return v128.bitselect(f32x4.mul(x, f32x4.splat(SELU_SCALE)), neg, f32x4.gt(x, zero));
    }
    case SIGMOID:
      return vsigmoid(x);
    case TANH:
      return vtanh(x);
    case SOFTPLUS:
      return vsoftplus(x);
    default:
      return x;
  }
}

/** f'(x) per lane from y = f(x), for the activations whose derivative depends on y only. */
@inline export function derivativeFromOutput(y: v128, act: i32, alpha: f32): v128 {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  const positive = f32x4.gt(y, zero);
  switch (act) {
    case RELU:
      return v128.and(one, positive);
    case LEAKY_RELU:
      return v128.bitselect(one, f32x4.splat(alpha), positive);
    case ELU:
      return v128.bitselect(one, f32x4.add(y, f32x4.splat(alpha)), positive);
    case SELU:
      return v128.bitselect(f32x4.splat(SELU_SCALE), f32x4.add(y, f32x4.splat(SELU_SCALE * SELU_ALPHA)), positive);
    case SIGMOID:
      return f32x4.mul(y, f32x4.sub(one, y));
    case TANH:
      return f32x4.sub(one, f32x4.mul(y, y));
    case SOFTPLUS:
      return f32x4.neg(vexpm1(f32x4.neg(y)));
    default:
      return one;
  }
}

