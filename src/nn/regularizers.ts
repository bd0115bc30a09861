/**
 * Weight regularizers: a penalty on large weights added to the training loss. L1 adds l1 * sum(|w|),
 * L2 adds l2 * sum(w^2) (the "weight decay" of the seed text), L1L2 both.
 */
import { abs, add, mul, square, sum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import type { JsonObject, JsonValue } from '../util/json.js';
import { isJsonObject, JsonReader } from '../util/json.js';
import { lookupName, nameKey } from '../util/names.js';

export interface Regularizer {
  readonly name: string;
  /** The scalar penalty for `weights` (differentiable). */
  apply(weights: Tensor): Tensor;
  /** The Keras class a saved model records (custom regularizers without it cannot be saved). */
  readonly className?: string;
  /** Its settings as model files write them. */
  getConfig?(): JsonObject;
}

export interface L1L2Options {
  l1?: number;
  l2?: number;
}

function checkFactor(where: string, arg: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ValueError(`${where}: argument '${arg}' expected a non-negative number, received ${describe(v)}`);
  }
  return v;
}

/** l1 * sum(|w|) + l2 * sum(w^2); each term is left out when its factor is 0. */
export class L1L2 implements Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(options: L1L2Options = {}, readonly name = 'l1l2') {
    this.l1 = checkFactor('L1L2', 'l1', options.l1 ?? 0);
    this.l2 = checkFactor('L1L2', 'l2', options.l2 ?? 0);
  }

  apply(weights: Tensor): Tensor {
    const terms: Tensor[] = [];
    if (this.l1 > 0) terms.push(mul(sum(abs(weights)), this.l1));
    if (this.l2 > 0) terms.push(mul(sum(square(weights)), this.l2));
    return terms.reduce((a, b) => add(a, b), mul(sum(weights), 0));
  }

  /** Keras and TensorFlow.js write every one of l1, l2 and l1l2 as L1L2 with both factors. */
  getConfig(): JsonObject {
    return { l1: this.l1, l2: this.l2 };
  }

  static fromConfig(c: JsonReader): L1L2 {
    return new L1L2({ l1: c.number('l1', 0), l2: c.number('l2', 0) });
  }
}

/** L1 penalty (Keras's default factor 0.01). */
export function l1(factor = 0.01): Regularizer {
  return new L1L2({ l1: checkFactor('l1', 'factor', factor) }, 'l1');
}

/** L2 penalty, also called weight decay (Keras's default factor 0.01). */
export function l2(factor = 0.01): Regularizer {
  return new L1L2({ l2: checkFactor('l2', 'factor', factor) }, 'l2');
}

/** Both penalties (Keras's l1_l2 defaults: 0.01 each). */
export function l1l2(options: L1L2Options = {}): Regularizer {
  return new L1L2({ l1: options.l1 ?? 0.01, l2: options.l2 ?? 0.01 });
}

export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2' | (string & {}) | Regularizer;

const BY_NAME = { l1: () => l1(), l2: () => l2(), l1l2: () => l1l2() };

export function getRegularizer(id: RegularizerIdentifier, where = 'getRegularizer', arg = 'regularizer'): Regularizer {
  if (typeof id === 'object' && id !== null) {
    if (typeof id.apply !== 'function') throw new ValueError(`${where}: argument '${arg}' expected a name or a Regularizer, received ${describe(id)}`);
    return id;
  }
  return lookupName(where, arg, id, BY_NAME)();
}

/** `{ class_name, config }` as Keras and TensorFlow.js write it, or null without a regularizer. */
export function serializeRegularizer(regularizer: Regularizer | null, where: string, arg: string): JsonObject | null {
  if (regularizer === null) return null;
  if (regularizer.className === undefined || !regularizer.getConfig) {
    throw new ValueError(`${where}: the custom regularizer '${regularizer.name}' of '${arg}' cannot be saved; use l1, l2 or l1l2`);
  }
  return { class_name: regularizer.className, config: regularizer.getConfig() };
}

/** A regularizer from its saved form (Keras's L1, L2 or L1L2 classes); undefined when absent. `where` is its position in the file. */
export function regularizerFromConfig(v: JsonValue | undefined, where: string): Regularizer | undefined {
  if (v === undefined || v === null) return undefined;
  const className = isJsonObject(v) ? v['class_name'] : null;
  const config = isJsonObject(v) ? v['config'] ?? {} : null;
  if (typeof className !== 'string' || !isJsonObject(config) || !['l1l2', 'l1', 'l2'].includes(nameKey(className))) {
    throw new ValueError(`${where} expected an L1, L2 or L1L2 regularizer ({ "class_name": "L1L2", "config": { "l1": 0, "l2": 0.01 } }), received ${describe(v)}`);
  }
  return L1L2.fromConfig(new JsonReader(config, `${where}.config`));
}
