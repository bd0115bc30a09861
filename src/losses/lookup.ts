/**
 * Losses by name (`getLoss('kld')`) and in a saved training config: a loss with its default options is
 * written as a name TensorFlow.js reads (`'kullback_leibler_divergence'`), one with other options as
 * Keras's `{ class_name, config }`, and both come back as the same loss.
 */
import { ValueError, describe } from '../util/errors.js';
import type { JsonObject, JsonValue } from '../util/json.js';
import { isJsonObject } from '../util/json.js';
import { lookupName, nameKey } from '../util/names.js';
import { BinaryFocalCrossentropy, CategoricalFocalCrossentropy } from './focal.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import type { Loss, LossFunction } from './loss.js';
import {
  BinaryCrossentropy, BuiltinLoss, CategoricalCrossentropy, Huber, MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy,
} from './loss.js';
import { KLDivergence, Poisson } from './probabilistic.js';
import { CosineSimilarity, LogCosh, MeanAbsolutePercentageError, MeanSquaredLogarithmicError } from './regression.js';

/** Each built-in loss by its camelCase name, built from options (as a saved config gives them). */
const BY_NAME = {
  categoricalCrossentropy: (o?: object) => new CategoricalCrossentropy(o),
  sparseCategoricalCrossentropy: (o?: object) => new SparseCategoricalCrossentropy(o),
  binaryCrossentropy: (o?: object) => new BinaryCrossentropy(o),
  meanSquaredError: (o?: object) => new MeanSquaredError(o),
  meanAbsoluteError: (o?: object) => new MeanAbsoluteError(o),
  huber: (o?: object) => new Huber(o),
  meanAbsolutePercentageError: (o?: object) => new MeanAbsolutePercentageError(o),
  meanSquaredLogarithmicError: (o?: object) => new MeanSquaredLogarithmicError(o),
  logCosh: (o?: object) => new LogCosh(o),
  cosineSimilarity: (o?: object) => new CosineSimilarity(o),
  klDivergence: (o?: object) => new KLDivergence(o),
  poisson: (o?: object) => new Poisson(o),
  hinge: (o?: object) => new Hinge(o),
  squaredHinge: (o?: object) => new SquaredHinge(o),
  categoricalHinge: (o?: object) => new CategoricalHinge(o),
  binaryFocalCrossentropy: (o?: object) => new BinaryFocalCrossentropy(o),
  categoricalFocalCrossentropy: (o?: object) => new CategoricalFocalCrossentropy(o),
} satisfies Record<string, (options?: object) => BuiltinLoss<object>>;

export type LossName = keyof typeof BY_NAME;

/** A name (camelCase or Keras's snake_case), a Loss, or a per-sample function. */
export type LossIdentifier = LossName | (string & {}) | Loss | LossFunction;

/** Keras's and TensorFlow.js's other spellings (Keras class names, such as `KLDivergence`, match by themselves). */
const ALIASES = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'klDivergence',
  kullbackLeiblerDivergence: 'klDivergence',
  cosineProximity: 'cosineSimilarity',
  cosine: 'cosineSimilarity',
  bce: 'binaryCrossentropy',
  huberLoss: 'huber',
} satisfies Record<string, LossName>;

/**
 * How a loss with default options is written: TensorFlow.js's name where it has the loss (its
 * `loadLayersModel` compiles with it), else Keras's.
 */
const SAVED_NAMES: Partial<Record<LossName, string>> = {
  klDivergence: 'kullback_leibler_divergence',
  logCosh: 'logcosh',
  cosineSimilarity: 'cosine_proximity',
};

function custom(fn: LossFunction): Loss {
  return { name: fn.name || 'custom_loss', labels: 'unchecked', expects: 'any', perSample: fn };
}

export function getLoss(id: LossIdentifier, where = 'getLoss'): Loss {
  if (typeof id === 'function') return custom(id);
  if (typeof id === 'object' && id !== null) {
    if (typeof id.perSample !== 'function') throw new ValueError(`${where}: argument 'loss' expected a name, a function or a Loss, received ${describe(id)}`);
    return id;
  }
  return lookupName(where, 'loss', id, BY_NAME, ALIASES)();
}

/** The table key of a built-in loss. */
function keyOf(loss: BuiltinLoss<object>): LossName {
  return (Object.keys(BY_NAME) as LossName[]).find((k) => nameKey(k) === nameKey(loss.className))!;
}

/**
 * A loss as a training config records it: a name for a built-in loss with its default options, Keras's
 * `{ class_name, config }` for one with other options; null for a loss of your own (a function or a
 * class outside the library), which a file cannot name.
 */
export function lossToConfig(loss: Loss): JsonValue {
  if (!(loss instanceof BuiltinLoss)) return null;
  const key = keyOf(loss);
  const defaults = BY_NAME[key]().getConfig();
  const config = loss.getConfig();
  const isDefault = Object.keys(config).every((k) => config[k] === defaults[k]);
  if (isDefault) return SAVED_NAMES[key] ?? loss.name;
  return { class_name: loss.className, config };
}

const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The loss of a saved training config: a name (Keras's, TensorFlow.js's or camelCase) or Keras's
 * `{ class_name, config }`. Keras's `name` and `dtype` are ignored; a reduction other than the mean over
 * the batch, or an axis other than the last, is refused (layerwise reduces in one way, over the last axis).
 */
export function lossFromConfig(value: JsonValue | undefined, where: string): Loss {
  if (typeof value === 'string') return getLoss(value, where);
  if (!isJsonObject(value) || typeof value['class_name'] !== 'string' || !isJsonObject(value['config'] ?? {})) {
    throw new ValueError(`${where} expected a loss name or { class_name, config }, received ${describe(value)}`);
  }
  const className = value['class_name'];
  const key = (Object.keys(BY_NAME) as LossName[]).find((k) => nameKey(k) === nameKey(className));
  if (key === undefined) throw new ValueError(`${where}.class_name expected a loss class such as "CategoricalCrossentropy", received ${describe(className)}`);
  const options: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries((value['config'] ?? {}) as JsonObject)) {
    if (k === 'name' || k === 'dtype') continue;
    if (k === 'reduction') {
      if (v !== null && v !== 'sum_over_batch_size' && v !== 'auto') {
        throw new ValueError(`${where}.config.reduction expected "sum_over_batch_size" (the mean over the batch, the one reduction compile applies), received ${describe(v)}`);
      }
      continue;
    }
    if (k === 'axis') {
      if (v !== -1) throw new ValueError(`${where}.config.axis expected -1 (losses reduce the last axis), received ${describe(v)}`);
      continue;
    }
    options[camelCase(k)] = v;
  }
  try {
    return BY_NAME[key](options);
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`${where}: ${error.message}`);
    throw error;
  }
}
