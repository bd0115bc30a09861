/** Shared backward step of the fused ops (linear, conv2d): the gradient through the activation. */
import type { FusableActivation } from '../backend/kernels.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty, fdata, k } from './define-op.js';

/** Outputs of fused ops whose activation is relu (weakly held: they die with the step). */
const reluOutputs = new WeakSet<Tensor>();
/** Gradients already multiplied by relu'(y), keyed by the gradient, holding that y. */
const reluMasked = new WeakMap<Tensor, Tensor>();

/** Registers a fused op's output so that a following max-pool can fold the relu derivative into its gradient. */
export function fusedOutput(activation: FusableActivation, y: Tensor): Tensor {
  if (activation === 'relu') reluOutputs.add(y);
  return y;
}

/** Whether `t` is the output of a fused op with relu activation. */
export function isReluOutput(t: Tensor): boolean {
  return reluOutputs.has(t);
}

/** Records that `grad` (the gradient for relu output `y`) already has relu'(y) applied. */
export function markReluMasked(grad: Tensor, y: Tensor): void {
  reluMasked.set(grad, y);
}

/**
 * dy * f'(z) computed from the fused op's output y = f(z) alone (every fusable activation allows it), so
 * the pre-activation never has to be kept. Computed once and shared by all the inputs' gradients. A
 * gradient that arrives already masked for this y (see maxPool2d) is passed through: masking twice is
 * a full pass over the largest activations of a convnet for nothing.
 */
export function unaryGradFromOutput(activation: FusableActivation, alpha: number, y: Tensor, dy: Tensor): Tensor {
  if (activation === 'linear') return dy;
  if (activation === 'relu' && reluMasked.get(dy) === y) return dy;
  const { t } = empty(y.dtype, y.shape);
  k(y).unaryGrad({ op: activation, x: fdata(y), y: fdata(y), dy: fdata(dy), out: fdata(t), alpha });
  return t;
}
