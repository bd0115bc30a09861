/**
 * Activations Keras 3 adds, composed of elementwise ops (their gradients follow from those ops'):
 * relu6, swish (silu), mish, hardSigmoid, hardSwish (hard silu) and softsign, with Keras 3's formulas
 * except hardSigmoid, which keeps TensorFlow.js's (see there).
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
 * clip(0.2 x + 0.5, 0, 1), as TensorFlow.js and Keras 2 define it: "hard_sigmoid" in a TensorFlow.js model
 * file (the LSTM and GRU gates' default there) means this. Keras 3 and PyTorch use relu6(x + 3) / 6, with
 * slope 1/6; a model that needs it writes hardSwish's inner term or `relu6(x + 3) / 6` itself.
 */
export function hardSigmoid(x: TensorLike): Tensor {
  return clip(add(mul(floatOperand('hardSigmoid', 'x', x), 0.2), 0.5), 0, 1);
}

/** x * relu6(x + 3) / 6, also called hard SiLU (MobileNetV3; Keras 3 and PyTorch). */
export function hardSwish(x: TensorLike): Tensor {
  const t = floatOperand('hardSwish', 'x', x);
  return mul(t, clip(add(div(t, 6), 0.5), 0, 1));
}

/** x / (1 + |x|). */
export function softsign(x: TensorLike): Tensor {
  const t = floatOperand('softsign', 'x', x);
  return div(t, add(abs(t), 1));
}
