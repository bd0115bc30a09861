/** Level 4: optimizers (Keras's update rules and defaults) and learning-rate schedules. */
import { ValueError, describe } from '../util/errors.js';
import { lookupName } from '../util/names.js';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { Ftrl } from './ftrl.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
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
export * from './adamax.js';
export * from './nadam.js';
export * from './adadelta.js';
export * from './ftrl.js';
export * from './lion.js';

const BY_NAME = {
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  adagrad: () => new Adagrad(),
  adamax: () => new Adamax(),
  nadam: () => new Nadam(),
  adadelta: () => new Adadelta(),
  ftrl: () => new Ftrl(),
  lion: () => new Lion(),
} satisfies Record<string, () => Optimizer>;

export type OptimizerName = keyof typeof BY_NAME;
export type OptimizerIdentifier = OptimizerName | (string & {}) | Optimizer;

/** A fresh optimizer with Keras's defaults for a name (`rmsprop`, `RMSprop`...), or the optimizer given. */
export function getOptimizer(id: OptimizerIdentifier, where = 'getOptimizer'): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id !== 'string') throw new ValueError(`${where}: argument 'optimizer' expected a name or an Optimizer, received ${describe(id)}`);
  return lookupName(where, 'optimizer', id, BY_NAME)();
}
