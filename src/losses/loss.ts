/**
 * A loss as compile() uses it: a named per-sample function plus what the model doctor and the label
 * checks need to know (which labels it takes, whether it reads logits or probabilities).
 */
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import { lookupName } from '../util/names.js';
import type { CrossentropyOptions, HuberOptions, SparseCrossentropyOptions } from './losses.js';
import * as fns from './losses.js';
import { CROSSENTROPY_OPTIONS, HUBER_OPTIONS, SPARSE_CROSSENTROPY_OPTIONS } from './losses.js';

/** A per-sample loss: one value per sample (the last axis reduced). */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * What the labels look like next to the model's output: `dense` labels have the output's shape (one-hot
 * rows, regression targets), `sparse` labels are class indices with the last axis dropped, and custom
 * loss functions leave them `unchecked`.
 */
export type LabelKind = 'dense' | 'sparse' | 'unchecked';

/** The kind of output a loss expects: probabilities from softmax, from sigmoid, logits, or any values. */
export type ExpectedOutput = 'softmax' | 'sigmoid' | 'logits' | 'any';

export interface Loss {
  /** Keras's name, as shown in summaries and messages (`categorical_crossentropy`). */
  readonly name: string;
  readonly labels: LabelKind;
  readonly expects: ExpectedOutput;
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
}

function loss(name: string, labels: LabelKind, expects: ExpectedOutput, perSample: LossFunction): Loss {
  return { name, labels, expects, perSample };
}

export class CategoricalCrossentropy implements Loss {
  readonly name = 'categorical_crossentropy';
  readonly labels = 'dense';
  readonly expects: ExpectedOutput;
  readonly options: Required<CrossentropyOptions>;
  constructor(options: CrossentropyOptions = {}) {
    this.options = CROSSENTROPY_OPTIONS.parse('CategoricalCrossentropy', options);
    this.expects = this.options.fromLogits ? 'logits' : 'softmax';
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.categoricalCrossentropy(yTrue, yPred, this.options);
  }
}

export class SparseCategoricalCrossentropy implements Loss {
  readonly name = 'sparse_categorical_crossentropy';
  readonly labels = 'sparse';
  readonly expects: ExpectedOutput;
  readonly options: Required<SparseCrossentropyOptions>;
  constructor(options: SparseCrossentropyOptions = {}) {
    this.options = SPARSE_CROSSENTROPY_OPTIONS.parse('SparseCategoricalCrossentropy', options);
    this.expects = this.options.fromLogits ? 'logits' : 'softmax';
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.sparseCategoricalCrossentropy(yTrue, yPred, this.options);
  }
}

export class BinaryCrossentropy implements Loss {
  readonly name = 'binary_crossentropy';
  readonly labels = 'dense';
  readonly expects: ExpectedOutput;
  readonly options: Required<CrossentropyOptions>;
  constructor(options: CrossentropyOptions = {}) {
    this.options = CROSSENTROPY_OPTIONS.parse('BinaryCrossentropy', options);
    this.expects = this.options.fromLogits ? 'logits' : 'sigmoid';
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.binaryCrossentropy(yTrue, yPred, this.options);
  }
}

export class Huber implements Loss {
  readonly name = 'huber';
  readonly labels = 'dense';
  readonly expects = 'any';
  readonly options: Required<HuberOptions>;
  constructor(options: HuberOptions = {}) {
    this.options = HUBER_OPTIONS.parse('Huber', options);
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.huber(yTrue, yPred, this.options);
  }
}

export class MeanSquaredError implements Loss {
  readonly name = 'mean_squared_error';
  readonly labels = 'dense';
  readonly expects = 'any';
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanSquaredError(yTrue, yPred);
  }
}

export class MeanAbsoluteError implements Loss {
  readonly name = 'mean_absolute_error';
  readonly labels = 'dense';
  readonly expects = 'any';
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanAbsoluteError(yTrue, yPred);
  }
}

const BY_NAME = {
  categoricalCrossentropy: () => new CategoricalCrossentropy(),
  sparseCategoricalCrossentropy: () => new SparseCategoricalCrossentropy(),
  binaryCrossentropy: () => new BinaryCrossentropy(),
  meanSquaredError: () => new MeanSquaredError(),
  meanAbsoluteError: () => new MeanAbsoluteError(),
  huber: () => new Huber(),
} satisfies Record<string, () => Loss>;

export type LossName = keyof typeof BY_NAME;

/** A name (camelCase or Keras's snake_case), a Loss, or a per-sample function. */
export type LossIdentifier = LossName | (string & {}) | Loss | LossFunction;

const ALIASES = { mse: 'meanSquaredError', mae: 'meanAbsoluteError', huberLoss: 'huber' };

export function getLoss(id: LossIdentifier, where = 'getLoss'): Loss {
  if (typeof id === 'function') return loss(id.name || 'custom_loss', 'unchecked', 'any', id);
  if (typeof id === 'object' && id !== null) {
    if (typeof id.perSample !== 'function') throw new ValueError(`${where}: argument 'loss' expected a name, a function or a Loss, received ${describe(id)}`);
    return id;
  }
  return lookupName(where, 'loss', id, BY_NAME, ALIASES)();
}
