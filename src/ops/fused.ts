/** Shared backward step of the fused ops (linear, conv2d): the gradient through the activation. */
import type { FusableActivation } from '../backend/kernels.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty, fdata, k } from './define-op.js';

/**
 * dy * f'(z) computed from the fused op's output y = f(z) alone (every fusable activation allows it), so
 * the pre-activation never has to be kept. Computed once and shared by all the inputs' gradients.
 */
export function unaryGradFromOutput(activation: FusableActivation, alpha: number, y: Tensor, dy: Tensor): Tensor {
  if (activation === 'linear') return dy;
  const { t } = empty(y.dtype, y.shape);
  k(y).unaryGrad(activation, fdata(y), fdata(y), fdata(dy), fdata(t), alpha);
  return t;
}
