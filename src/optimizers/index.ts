/** Level 4: optimizers (Keras's update rules and defaults) and learning-rate schedules. */
import { ValueError, describe } from '../util/errors.js';
import { lookupName } from '../util/names.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export * from './optimizer.js';
export * from './schedules.js';
export * from './cosine-decay.js';
export * from './polynomial-decay.js';
export * from './schedule-config.js';
export * from './sgd.js';
export * from './rmsprop.js';
export * from './adam.js';
export * from './adagrad.js';

const BY_NAME = {
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  adagrad: () => new Adagrad(),
} satisfies Record<string, () => Optimizer>;

export type OptimizerName = keyof typeof BY_NAME;
export type OptimizerIdentifier = OptimizerName | (string & {}) | Optimizer;

/** A fresh optimizer with Keras's defaults for a name (`rmsprop`, `RMSprop`...), or the optimizer given. */
export function getOptimizer(id: OptimizerIdentifier, where = 'getOptimizer'): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id !== 'string') throw new ValueError(`${where}: argument 'optimizer' expected a name or an Optimizer, received ${describe(id)}`);
  return lookupName(where, 'optimizer', id, BY_NAME)();
}
