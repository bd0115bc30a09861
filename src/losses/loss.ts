/**
 * A loss as compile() uses it: a named per-sample function plus what the model doctor and the label
 * checks need to know (which labels it takes, whether it reads logits or probabilities). The built-in
 * losses are classes with Keras's options, which they write to a saved training config as Keras does.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { JsonObject } from '../util/json.js';
import { snakeCase } from '../util/names.js';
import type { CrossentropyOptions, HuberOptions, SparseCrossentropyOptions } from './losses.js';
import * as fns from './losses.js';
import { NO_OPTIONS } from './inputs.js';
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

/**
 * A loss of the library: a Keras class (`className`) with its options, which it writes as Keras's config
 * (`{ name, reduction, from_logits, ... }`) so a saved training config records it.
 */
export abstract class BuiltinLoss<O extends object = Record<never, never>> implements Loss {
  /** Keras's class name (`KLDivergence`), the key of the saved form. */
  abstract readonly className: string;
  abstract readonly name: string;
  readonly labels: LabelKind = 'dense';
  abstract readonly expects: ExpectedOutput;

  /** The options with their defaults filled in. */
  constructor(readonly options: Readonly<O>) {}

  abstract perSample(yTrue: Tensor, yPred: Tensor): Tensor;

  /** Keras's config of the loss: its name, the reduction compile applies, and its options in snake_case. */
  getConfig(): JsonObject {
    const config: JsonObject = { name: this.name, reduction: 'sum_over_batch_size' };
    for (const [key, value] of Object.entries(this.options)) config[snakeCase(key)] = value as number | boolean;
    return config;
  }
}

/** With fromLogits the loss reads logits; else probabilities of the given kind. */
function expectsFor(fromLogits: boolean, probabilities: 'softmax' | 'sigmoid'): ExpectedOutput {
  return fromLogits ? 'logits' : probabilities;
}

export class CategoricalCrossentropy extends BuiltinLoss<Required<CrossentropyOptions>> {
  readonly className = 'CategoricalCrossentropy';
  readonly name = 'categorical_crossentropy';
  readonly expects: ExpectedOutput;
  constructor(options: CrossentropyOptions = {}) {
    super(CROSSENTROPY_OPTIONS.parse('CategoricalCrossentropy', options));
    this.expects = expectsFor(this.options.fromLogits, 'softmax');
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.categoricalCrossentropy(yTrue, yPred, this.options);
  }
}

export class SparseCategoricalCrossentropy extends BuiltinLoss<Required<SparseCrossentropyOptions>> {
  readonly className = 'SparseCategoricalCrossentropy';
  readonly name = 'sparse_categorical_crossentropy';
  override readonly labels = 'sparse';
  readonly expects: ExpectedOutput;
  constructor(options: SparseCrossentropyOptions = {}) {
    super(SPARSE_CROSSENTROPY_OPTIONS.parse('SparseCategoricalCrossentropy', options));
    this.expects = expectsFor(this.options.fromLogits, 'softmax');
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.sparseCategoricalCrossentropy(yTrue, yPred, this.options);
  }
}

export class BinaryCrossentropy extends BuiltinLoss<Required<CrossentropyOptions>> {
  readonly className = 'BinaryCrossentropy';
  readonly name = 'binary_crossentropy';
  readonly expects: ExpectedOutput;
  constructor(options: CrossentropyOptions = {}) {
    super(CROSSENTROPY_OPTIONS.parse('BinaryCrossentropy', options));
    this.expects = expectsFor(this.options.fromLogits, 'sigmoid');
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.binaryCrossentropy(yTrue, yPred, this.options);
  }
}

export class Huber extends BuiltinLoss<Required<HuberOptions>> {
  readonly className = 'Huber';
  readonly name = 'huber';
  readonly expects = 'any';
  constructor(options: HuberOptions = {}) {
    super(HUBER_OPTIONS.parse('Huber', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.huber(yTrue, yPred, this.options);
  }
}

export class MeanSquaredError extends BuiltinLoss {
  readonly className = 'MeanSquaredError';
  readonly name = 'mean_squared_error';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('MeanSquaredError', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanSquaredError(yTrue, yPred);
  }
}

export class MeanAbsoluteError extends BuiltinLoss {
  readonly className = 'MeanAbsoluteError';
  readonly name = 'mean_absolute_error';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('MeanAbsoluteError', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fns.meanAbsoluteError(yTrue, yPred);
  }
}
