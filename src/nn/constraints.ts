/**
 * Weight constraints, as Keras applies them: after every optimizer step, the variable is replaced by the
 * constraint of its new value (a projection: norms capped or fixed, negative values zeroed). Norms are
 * taken over `axis` (Keras's default 0: for a Dense kernel [in, out], the incoming weights of each unit;
 * for a Conv2D kernel use [0, 1, 2]). Each constraint writes and reads itself as Keras and TensorFlow.js
 * files do: `{ class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } }`.
 */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { Check, fail, is, optionsSpec } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { JsonObject, JsonReader, JsonValue } from '../util/json.js';
import { classEntry } from '../util/json.js';
import { lookupName, nameKey } from '../util/names.js';

/** Keras's backend epsilon, added to norms before dividing by them. */
const EPSILON = 1e-7;

export interface Constraint {
  readonly name: string;
  /** The projected value of `weights` (a new tensor). */
  apply(weights: Tensor): Tensor;
  /** The Keras class a saved model records (custom constraints without it cannot be saved). */
  readonly className?: string;
  /** Its settings as model files write them (snake_case). */
  getConfig?(): JsonObject;
}

/** One axis or several, as Keras takes them. */
export type Axis = number | readonly number[];

const axisCheck: Check<Axis> = is.integer.or(is.arrayOf(is.integer)).to((v): Axis => v);

function norms(w: Tensor, axis: Axis): Tensor {
  return ops.sqrt(ops.sum(ops.square(w), axis, { keepDims: true }));
}

function axisConfig(axis: Axis): JsonValue {
  return typeof axis === 'number' ? axis : [...axis];
}

function readAxis(c: JsonReader): Axis {
  const v = c.get('axis');
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.every((a) => Number.isInteger(a))) return v as number[];
  throw c.fail('axis', 'an integer or an array of integers');
}

export interface MaxNormOptions {
  /** The largest norm allowed (default 2). */
  maxValue?: number;
  axis?: Axis;
}

const MAX_NORM = optionsSpec({ maxValue: is.nonNegative.default(2), axis: axisCheck.default(0) } satisfies SpecFor<MaxNormOptions>);

/** Rescales each slice whose norm exceeds `maxValue` down to it. */
export class MaxNorm implements Constraint {
  readonly className = 'MaxNorm';
  readonly name = 'maxNorm';
  readonly maxValue: number;
  readonly axis: Axis;

  constructor(options: MaxNormOptions = {}) {
    ({ maxValue: this.maxValue, axis: this.axis } = MAX_NORM.parse('MaxNorm', options));
  }

  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    return ops.mul(w, ops.div(ops.clip(n, 0, this.maxValue), ops.add(n, EPSILON)));
  }

  getConfig(): JsonObject {
    return { max_value: this.maxValue, axis: axisConfig(this.axis) };
  }

  static fromConfig(c: JsonReader): MaxNorm {
    return new MaxNorm({ maxValue: c.number('max_value', 2), axis: readAxis(c) });
  }
}

/** Zeroes negative weights. */
export class NonNeg implements Constraint {
  readonly className = 'NonNeg';
  readonly name = 'nonNeg';

  apply(w: Tensor): Tensor {
    return ops.where(ops.greaterEqual(w, 0), w, 0);
  }

  getConfig(): JsonObject {
    return {};
  }
}

export interface UnitNormOptions {
  axis?: Axis;
}

const UNIT_NORM = optionsSpec({ axis: axisCheck.default(0) } satisfies SpecFor<UnitNormOptions>);

/** Rescales each slice to norm 1. */
export class UnitNorm implements Constraint {
  readonly className = 'UnitNorm';
  readonly name = 'unitNorm';
  readonly axis: Axis;

  constructor(options: UnitNormOptions = {}) {
    ({ axis: this.axis } = UNIT_NORM.parse('UnitNorm', options));
  }

  apply(w: Tensor): Tensor {
    return ops.div(w, ops.add(norms(w, this.axis), EPSILON));
  }

  getConfig(): JsonObject {
    return { axis: axisConfig(this.axis) };
  }

  static fromConfig(c: JsonReader): UnitNorm {
    return new UnitNorm({ axis: readAxis(c) });
  }
}

export interface MinMaxNormOptions {
  /** The smallest norm allowed (default 0). */
  minValue?: number;
  /** The largest norm allowed (default 1). */
  maxValue?: number;
  /** How far each step moves a norm toward [minValue, maxValue]: 1 (default) all the way. */
  rate?: number;
  axis?: Axis;
}

const MIN_MAX_NORM = optionsSpec({
  minValue: is.nonNegative.default(0),
  maxValue: is.nonNegative.default(1),
  rate: is.numberIn(0, 1).default(1),
  axis: axisCheck.default(0),
} satisfies SpecFor<MinMaxNormOptions>);

/** Moves each slice's norm into [minValue, maxValue] (by `rate` of the way). */
export class MinMaxNorm implements Constraint {
  readonly className = 'MinMaxNorm';
  readonly name = 'minMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;

  constructor(options: MinMaxNormOptions = {}) {
    const o = MIN_MAX_NORM.parse('MinMaxNorm', options);
    if (o.minValue > o.maxValue) throw new ValueError(`MinMaxNorm: option 'minValue' (${o.minValue}) must not exceed option 'maxValue' (${o.maxValue})`);
    ({ minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis } = o);
  }

  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const desired = ops.add(ops.mul(ops.clip(n, this.minValue, this.maxValue), this.rate), ops.mul(n, 1 - this.rate));
    return ops.mul(w, ops.div(desired, ops.add(n, EPSILON)));
  }

  getConfig(): JsonObject {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: axisConfig(this.axis) };
  }

  static fromConfig(c: JsonReader): MinMaxNorm {
    return new MinMaxNorm({ minValue: c.number('min_value', 0), maxValue: c.number('max_value', 1), rate: c.number('rate', 1), axis: readAxis(c) });
  }
}

const BY_NAME = {
  maxNorm: () => new MaxNorm(),
  nonNeg: () => new NonNeg(),
  unitNorm: () => new UnitNorm(),
  minMaxNorm: () => new MinMaxNorm(),
} satisfies Record<string, () => Constraint>;

export type ConstraintName = keyof typeof BY_NAME;

/** A name (camelCase or Keras's snake_case: 'max_norm', 'non_neg'), or a Constraint. */
export type ConstraintIdentifier = ConstraintName | (string & {}) | Constraint;

/** An options check for a constraint identifier. */
export const constraintCheck: Check<ConstraintIdentifier> = new Check('a constraint name (maxNorm, nonNeg, unitNorm, minMaxNorm) or a Constraint', (v) =>
  typeof v === 'string' || (typeof v === 'object' && v !== null && typeof (v as Constraint).apply === 'function') ? (v as ConstraintIdentifier) : fail(),
);

export function getConstraint(id: ConstraintIdentifier, where = 'getConstraint', arg = 'constraint'): Constraint {
  if (typeof id === 'object' && id !== null) {
    if (typeof id.apply !== 'function') throw new ValueError(`${where}: argument '${arg}' expected a name or a Constraint, received ${describe(id)}`);
    return id;
  }
  return lookupName(where, arg, id, BY_NAME)();
}

/** `{ class_name, config }` as Keras and TensorFlow.js write it, or null without a constraint. */
export function serializeConstraint(constraint: Constraint | null, where: string, arg: string): JsonObject | null {
  if (constraint === null) return null;
  if (constraint.className === undefined || !constraint.getConfig) {
    throw new ValueError(`${where}: the custom constraint '${constraint.name}' of '${arg}' cannot be saved; use MaxNorm, NonNeg, UnitNorm or MinMaxNorm`);
  }
  return { class_name: constraint.className, config: constraint.getConfig() };
}

const FROM_CONFIG: Readonly<Record<string, (c: JsonReader) => Constraint>> = {
  MaxNorm: (c) => MaxNorm.fromConfig(c),
  NonNeg: () => new NonNeg(),
  UnitNorm: (c) => UnitNorm.fromConfig(c),
  MinMaxNorm: (c) => MinMaxNorm.fromConfig(c),
};

/** A constraint from its saved form (Keras 2, Keras 3 or TensorFlow.js); undefined when absent. */
export function constraintFromConfig(v: JsonValue | undefined, where: string): Constraint | undefined {
  const entry = classEntry(v, where, 'a constraint such as { "class_name": "MaxNorm", "config": { "max_value": 2, "axis": 0 } }');
  if (!entry) return undefined;
  const read = Object.entries(FROM_CONFIG).find(([k]) => nameKey(k) === nameKey(entry.className))?.[1];
  if (!read) throw new ValueError(`${where} expected a known constraint class (${Object.keys(FROM_CONFIG).join(', ')}), received ${describe(v)}`);
  return read(entry.config);
}
