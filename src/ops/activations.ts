/**
 * Activations Keras 3 adds, composed of elementwise ops (their gradients follow from those ops'):
 * relu6, swish (silu), mish, hardSigmoid, hardSwish (hard silu) and softsign, with Keras 3's formulas.
 */
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatOperand } from './define-op.js';
import { abs, add, clip, div, mul, sigmoid, softplus, tanh } from './elementwise.js';

/** min(max(x, 0), 6): MobileNet's activation. */
export function relu6(x: TensorLike): Tensor {
  return clip(floatOperand('relu6', 'x', x), 0, 6);
}

/** x * sigmoid(x), also called SiLU. */
export function swish(x: TensorLike): Tensor {
  const t = floatOperand('swish', 'x', x);
  return mul(t, sigmoid(t));
}

/** x * tanh(softplus(x)). */
export function mish(x: TensorLike): Tensor {
  const t = floatOperand('mish', 'x', x);
  return mul(t, tanh(softplus(t)));
}

/**
 * relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1), Keras 3's piecewise-linear sigmoid (Keras 2 and
 * TensorFlow.js use the steeper clip(0.2 x + 0.5, 0, 1)).
 */
export function hardSigmoid(x: TensorLike): Tensor {
  return clip(add(div(floatOperand('hardSigmoid', 'x', x), 6), 0.5), 0, 1);
}

/** x * hardSigmoid(x), also called hard SiLU (MobileNetV3). */
export function hardSwish(x: TensorLike): Tensor {
  const t = floatOperand('hardSwish', 'x', x);
  return mul(t, hardSigmoid(t));
}

/** x / (1 + |x|). */
export function softsign(x: TensorLike): Tensor {
  const t = floatOperand('softsign', 'x', x);
  return div(t, add(abs(t), 1));
}
