/**
 * Activations by name. Each one says whether fused ops (linear, conv2d) can apply it in their epilogue,
 * so layers compute `activation(x @ kernel + bias)` in one pass whenever possible.
 */
import type { FusableActivation } from '../backend/kernels.js';
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import { lookupName } from '../util/names.js';

export interface Activation {
  /** The camelCase name (`leakyRelu`), or the function's name for a custom activation. */
  readonly name: string;
  /** What a fused op can apply itself, or null when the activation must run as separate ops. */
  readonly fusable: FusableActivation | null;
  apply(x: Tensor): Tensor;
}

function fused(name: FusableActivation, apply: (x: Tensor) => Tensor): Activation {
  return { name, fusable: name, apply };
}

function separate(name: string, apply: (x: Tensor) => Tensor): Activation {
  return { name, fusable: null, apply };
}

const ACTIVATIONS = {
  linear: fused('linear', (x) => x),
  relu: fused('relu', ops.relu),
  leakyRelu: fused('leakyRelu', (x) => ops.leakyRelu(x)),
  elu: fused('elu', (x) => ops.elu(x)),
  selu: fused('selu', ops.selu),
  sigmoid: fused('sigmoid', ops.sigmoid),
  tanh: fused('tanh', ops.tanh),
  softplus: fused('softplus', ops.softplus),
  gelu: separate('gelu', ops.gelu),
  softmax: separate('softmax', (x) => ops.softmax(x)),
  logSoftmax: separate('logSoftmax', (x) => ops.logSoftmax(x)),
  relu6: separate('relu6', (x) => ops.clip(x, 0, 6)),
  swish: separate('swish', (x) => ops.mul(x, ops.sigmoid(x))),
  softsign: separate('softsign', (x) => ops.div(x, ops.add(ops.abs(x), 1))),
  // As TensorFlow.js and Keras 2 define it, so that "hard_sigmoid" in a model file (TensorFlow.js's LSTM
  // default) means what its writer computed; Keras 3 changed the slope to 1/6.
  hardSigmoid: separate('hardSigmoid', (x) => ops.clip(ops.add(ops.mul(x, 0.2), 0.5), 0, 1)),
  exponential: separate('exponential', ops.exp),
} satisfies Record<string, Activation>;

export type ActivationName = keyof typeof ACTIVATIONS;

/** A name (camelCase or Keras's snake_case), an Activation, or a custom function of a tensor. */
export type ActivationIdentifier = ActivationName | (string & {}) | Activation | ((x: Tensor) => Tensor);

/** The names getActivation accepts besides the table's own (Keras spellings). */
const ALIASES = { silu: 'swish', leaky_relu: 'leakyRelu', hard_sigmoid: 'hardSigmoid', log_softmax: 'logSoftmax' };

/** Resolves an activation; `undefined` and `null` mean linear, as in Keras. */
export function getActivation(id: ActivationIdentifier | null | undefined, where = 'getActivation'): Activation {
  if (id === undefined || id === null) return ACTIVATIONS.linear;
  if (typeof id === 'function') return separate(id.name || 'custom', id);
  if (typeof id === 'object') {
    if (typeof id.apply !== 'function') {
      throw new ValueError(`${where}: argument 'activation' expected a name, a function or an Activation, received ${describe(id)}`);
    }
    return id;
  }
  return lookupName(where, 'activation', id, ACTIVATIONS, ALIASES);
}

/** The names of every built-in activation. */
export function activationNames(): ActivationName[] {
  return Object.keys(ACTIVATIONS) as ActivationName[];
}
