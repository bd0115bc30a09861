/**
 * The optimizer in a saved model: its settings (`optimizer_config` of the training config) and its state
 * (the iteration count and every variable's slots, as weights of the group 'optimizer'). Names and order
 * follow TensorFlow.js (`iter`, then `dense/kernel/m` for every variable, then `dense/kernel/v`...), so
 * TensorFlow.js picks up the state of the optimizers it shares with layerwise.
 */
import type { Optimizer } from '../../optimizers/index.js';
import { Adagrad, Adam, AdamW, RMSprop, SGD, learningRateFromConfig, learningRateToConfig } from '../../optimizers/index.js';
import { scalar, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import { ValueError, describe, fmtShape } from '../../util/errors.js';
import type { JsonObject } from '../../util/json.js';
import { JsonReader, isJsonObject } from '../../util/json.js';
import { shapesEqual } from '../../util/shape.js';
import type { NamedTensor } from './weights.js';

export const OPTIMIZER_GROUP = 'optimizer';
const ITERATIONS = 'iter';

/** Each slot as [name in the file, layerwise's slot or null for one TensorFlow.js keeps and layerwise does not]. */
function slotLayout(optimizer: Optimizer): [string, string | null][] {
  if (optimizer instanceof Adam) return [['m', 'm'], ['v', 'v'], ...(optimizer.amsgrad ? [['vhat', 'vHat'] as [string, string]] : [])];
  if (optimizer instanceof RMSprop) {
    // TensorFlow.js always keeps a momentum accumulator; without momentum it stays zero.
    return [['rms', 'velocity'], ['momentum', optimizer.momentum > 0 ? 'momentum' : null], ...(optimizer.centered ? [['mg', 'averageGradient'] as [string, string]] : [])];
  }
  return optimizer.slotNames.map((n) => [n, n]);
}

/** TensorFlow.js's class names and settings (it reads snake_case keys; RMSprop's rho is its `decay`). */
export function optimizerConfig(o: Optimizer): { class_name: string; config: JsonObject } {
  const common: JsonObject = {
    learning_rate: learningRateToConfig(o.schedule ?? o.learningRate, o.iterations),
    ...(o.clipnorm !== null ? { clipnorm: o.clipnorm } : {}),
    ...(o.clipvalue !== null ? { clipvalue: o.clipvalue } : {}),
    ...(o.globalClipnorm !== null ? { global_clipnorm: o.globalClipnorm } : {}),
  };
  if (o instanceof AdamW) return { class_name: 'AdamW', config: { ...common, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, amsgrad: o.amsgrad, weight_decay: o.weightDecay ?? 0 } };
  const decay: JsonObject = o.weightDecay !== null ? { weight_decay: o.weightDecay } : {};
  if (o instanceof Adam) return { class_name: 'Adam', config: { ...common, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, amsgrad: o.amsgrad, ...decay } };
  if (o instanceof RMSprop) return { class_name: 'RMSProp', config: { ...common, decay: o.rho, rho: o.rho, momentum: o.momentum, epsilon: o.epsilon, centered: o.centered, ...decay } };
  if (o instanceof SGD) return o.momentum > 0 ? { class_name: 'Momentum', config: { ...common, momentum: o.momentum, use_nesterov: o.nesterov, ...decay } } : { class_name: 'SGD', config: { ...common, ...decay } };
  if (o instanceof Adagrad) return { class_name: 'Adagrad', config: { ...common, initial_accumulator_value: o.initialAccumulatorValue, epsilon: o.epsilon, ...decay } };
  throw new ValueError(`save: the optimizer ${o.name} has no saved form (layerwise saves SGD, RMSprop, Adam, AdamW and Adagrad)`);
}

/** An optimizer from `{ class_name, config }` as layerwise, TensorFlow.js or Keras write it. */
export function optimizerFromConfig(v: unknown, where: string): Optimizer {
  if (!isJsonObject(v) || typeof v['class_name'] !== 'string' || !isJsonObject(v['config'] ?? {})) {
    throw new ValueError(`${where} expected { class_name, config } naming an optimizer, received ${describe(v)}`);
  }
  const c = new JsonReader((v['config'] ?? {}) as JsonObject, `${where}.config`);
  const optional = (key: string): number | undefined => (c.get(key) === undefined || c.get(key) === null ? undefined : c.number(key));
  const common = {
    learningRate: learningRateFromConfig(c.get('learning_rate') ?? c.get('lr'), `${where}.config.learning_rate`),
    clipnorm: optional('clipnorm'),
    clipvalue: optional('clipvalue'),
    globalClipnorm: optional('global_clipnorm'),
    weightDecay: optional('weight_decay') || undefined,
  };
  const adam = { ...common, beta1: optional('beta1') ?? optional('beta_1'), beta2: optional('beta2') ?? optional('beta_2'), epsilon: optional('epsilon'), amsgrad: c.boolean('amsgrad', false) };
  switch (v['class_name'].toLowerCase()) {
    case 'adam':
      return new Adam(adam);
    case 'adamw':
      return new AdamW({ ...adam, weightDecay: optional('weight_decay') });
    case 'rmsprop':
      return new RMSprop({ ...common, rho: optional('rho') ?? optional('decay'), momentum: optional('momentum'), epsilon: optional('epsilon'), centered: c.boolean('centered', false) });
    case 'sgd':
    case 'momentum':
      return new SGD({ ...common, momentum: optional('momentum'), nesterov: c.boolean('use_nesterov', c.boolean('nesterov', false)) });
    case 'adagrad':
      return new Adagrad({ ...common, initialAccumulatorValue: optional('initial_accumulator_value'), epsilon: optional('epsilon') });
    default:
      throw new ValueError(`${where}.class_name expected one of "Adam", "AdamW", "RMSprop", "SGD", "Momentum", "Adagrad", received ${describe(v['class_name'])}`);
  }
}

/** The iteration count and the slots of every variable that has them, in TensorFlow.js's order. */
export function optimizerWeights(optimizer: Optimizer, variables: readonly Variable[]): NamedTensor[] {
  const withSlots = variables.filter((v) => Object.keys(optimizer.slotsOf(v)).length > 0);
  const slots = slotLayout(optimizer).flatMap(([file, slot]) =>
    withSlots.map((v): NamedTensor => ({ name: `${v.name}/${file}`, tensor: slot ? optimizer.slotsOf(v)[slot]! : zeros(v.shape, v.dtype), group: OPTIMIZER_GROUP })),
  );
  return [{ name: ITERATIONS, tensor: scalar(optimizer.iterations, 'int32'), group: OPTIMIZER_GROUP }, ...slots];
}

/**
 * Checks saved optimizer state against `optimizer` and the model's variables (each with the name its
 * weight had in the file) and returns the function that restores it; nothing changes until it runs.
 */
export function planOptimizerRestore(optimizer: Optimizer, savedNames: ReadonlyMap<Variable, string>, saved: readonly NamedTensor[], where: string): () => void {
  const byName = new Map(saved.map((w) => [w.name, w.tensor]));
  const iterations = byName.get(ITERATIONS);
  if (!iterations || iterations.size !== 1) throw new ValueError(`${where}: the optimizer state has no iteration count ('${ITERATIONS}', a scalar)`);
  const count = iterations.item();
  if (!Number.isInteger(count) || count < 0) throw new ValueError(`${where}: the optimizer's iteration count '${ITERATIONS}' expected a non-negative integer, received ${count}`);
  const layout = slotLayout(optimizer);
  const used = new Set([ITERATIONS]);
  const restores: [Variable, Record<string, Tensor>][] = [];
  for (const [variable, savedName] of savedNames) {
    const found = layout.map(([file]) => byName.get(`${savedName}/${file}`));
    if (found.every((t) => t === undefined)) continue; // never updated before the save
    const slots: Record<string, Tensor> = {};
    layout.forEach(([file, slot], i) => {
      const t = found[i];
      const name = `${savedName}/${file}`;
      if (!t) throw new ValueError(`${where}: the ${optimizer.name} state of '${savedName}' lacks '${name}' (it has ${layout.filter((_, j) => found[j]).map(([f]) => f).join(', ')})`);
      if (!shapesEqual(t.shape, variable.shape)) throw new ValueError(`${where}: optimizer slot '${name}' has shape ${fmtShape(t.shape)}, expected the weight's ${fmtShape(variable.shape)}`);
      used.add(name);
      if (slot) slots[slot] = t;
    });
    restores.push([variable, slots]);
  }
  const unused = saved.map((w) => w.name).filter((n) => !used.has(n));
  if (unused.length > 0) {
    throw new ValueError(`${where}: the saved optimizer state has entries for no weight of this model or another optimizer's slots: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', …' : ''} (this optimizer is ${optimizer.name})`);
  }
  return () => {
    for (const [variable, slots] of restores) optimizer.setSlots(variable, slots);
    optimizer.iterations = count;
  };
}
