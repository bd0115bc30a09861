/**
 * Layer settings as Keras and TensorFlow.js files write them: snake_case keys (`kernel_size`), Keras class
 * names for initializers and regularizers (each writes and reads itself, in nn/), activations by snake_case
 * name. `getConfig` writes this form; `ConfigReader` reads it back, also accepting camelCase keys and the
 * variants Keras 2 and 3 write, and names the file position of anything it cannot use.
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import { constraintFromConfig, getConstraint, serializeConstraint } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import { getInitializer, initializerFromConfig, serializeInitializer } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { getRegularizer, regularizerFromConfig, serializeRegularizer } from '../nn/regularizers.js';
import { ValueError } from '../util/errors.js';
import type { JsonObject } from '../util/json.js';
import { JsonReader, isJsonObject } from '../util/json.js';
import { snakeCase } from '../util/names.js';
import type { LayerDType, LayerOptions } from './base-layer.js';

export type { JsonObject, JsonValue } from '../util/json.js';
export { isJsonObject } from '../util/json.js';

/** An activation by its snake_case name; a custom function cannot be written to a file. */
export function activationConfig(activation: Activation, label: string): string {
  if (!isBuiltInActivation(activation)) {
    throw new ValueError(`${label}: the custom activation '${activation.name}' cannot be saved; use a built-in activation name`);
  }
  return snakeCase(activation.name);
}

function isBuiltInActivation(activation: Activation): boolean {
  try {
    return getActivation(activation.name) === activation;
  } catch {
    return false;
  }
}

/** `{ class_name, config }` of an initializer, as TensorFlow.js writes it (snake_case keys and values). */
export function initializerConfig(id: InitializerIdentifier, label: string, arg: string): JsonObject {
  return serializeInitializer(getInitializer(id, label, arg), label, arg);
}

/** `{ class_name: 'L1L2', config: { l1, l2 } }`, or null without a regularizer. */
export function regularizerConfig(id: RegularizerIdentifier | null | undefined, label: string, arg: string): JsonObject | null {
  return serializeRegularizer(id === null || id === undefined ? null : getRegularizer(id, label, arg), label, arg);
}

/** `{ class_name: 'MaxNorm', config: {...} }`, or null without a constraint. */
export function constraintConfig(id: ConstraintIdentifier | null | undefined, label: string, arg: string): JsonObject | null {
  return serializeConstraint(id === null || id === undefined ? null : getConstraint(id, label, arg), label, arg);
}

/**
 * Reads one layer's config. `where` says where it sits in the file, for messages:
 * `model.json: modelTopology.config.layers[2].config`.
 */
export class ConfigReader extends JsonReader {
  /** Keras writes channels_last explicitly; channels_first needs a transpose layerwise does not do. */
  channelsLast(): void {
    const format = this.get('data_format');
    if (format !== undefined && format !== null && format !== 'channels_last') throw this.fail('data_format', '"channels_last" (the only layout layerwise supports)');
  }

  activation(key: string): ActivationIdentifier {
    const v = this.get(key);
    if (v === undefined || v === null) return 'linear';
    const name = isJsonObject(v) ? v['class_name'] : v;
    if (typeof name !== 'string') throw this.fail(key, 'an activation name');
    try {
      return getActivation(name).name;
    } catch {
      throw this.fail(key, 'a built-in activation name');
    }
  }

  /** A `{ class_name, config }` initializer (Keras 2, Keras 3 or TensorFlow.js), a bare name, or undefined. */
  initializer(key: string): Initializer | undefined {
    return initializerFromConfig(this.get(key), `${this.where}.${key}`);
  }

  /** A MaxNorm, NonNeg, UnitNorm or MinMaxNorm constraint, or undefined. */
  constraint(key: string): Constraint | undefined {
    return constraintFromConfig(this.get(key), `${this.where}.${key}`);
  }

  /** An integer or a tuple of `n` integers (3-D kernel sizes, strides): `3` or `[3, 3, 3]`. */
  intOrTuple(key: string, n: number, fallback?: number): number | number[] {
    const v = this.get(key);
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0])) return v[0] as number;
    if (Array.isArray(v) && v.length === n && v.every(Number.isInteger)) return v as number[];
    throw this.fail(key, `an integer or ${n} integers`);
  }

  /**
   * Amounts before and after each of `n` axes (paddings, croppings): an integer for all, one per axis, or
   * [before, after] per axis, as Keras and TensorFlow.js write them; read as [before, after] pairs.
   */
  amounts(key: string, n: number, fallback: number): [number, number][] {
    const v = this.get(key);
    const isCount = (a: unknown): a is number => typeof a === 'number' && Number.isInteger(a) && a >= 0;
    if (v === undefined || v === null) return Array.from({ length: n }, () => [fallback, fallback]);
    if (isCount(v)) return Array.from({ length: n }, () => [v, v]);
    if (Array.isArray(v) && v.length === n && v.every(isCount)) return v.map((a) => [a, a]);
    if (Array.isArray(v) && v.length === n && v.every((p) => Array.isArray(p) && p.length === 2 && p.every(isCount))) {
      return v.map((p) => [(p as number[])[0]!, (p as number[])[1]!]);
    }
    throw this.fail(key, `a non-negative integer, ${n} of them, or ${n} pairs [before, after]`);
  }

  /** An L1, L2 or L1L2 regularizer, or undefined. */
  regularizer(key: string): Regularizer | undefined {
    return regularizerFromConfig(this.get(key), `${this.where}.${key}`);
  }

  /** The settings every layer has: name, trainable, dtype, input shape and activity regularizer. */
  base(): LayerOptions {
    const inputShape = this.inputShape();
    const activity = this.regularizer('activity_regularizer');
    return {
      name: this.string('name'),
      trainable: this.boolean('trainable', true),
      dtype: this.dtype(),
      ...(inputShape ? { inputShape } : {}),
      ...(activity ? { activityRegularizer: activity } : {}),
    };
  }

  /** One sample's shape, from Keras 2's `batch_input_shape`, Keras 3's `batch_shape` or `input_shape`. */
  inputShape(): (number | null)[] | null {
    for (const key of ['batch_input_shape', 'batch_shape']) {
      if (this.get(key) === undefined || this.get(key) === null) continue;
      const shape = this.shape(key);
      if (shape.length === 0) throw this.fail(key, 'a shape with a batch axis first');
      return shape.slice(1);
    }
    return this.get('input_shape') === undefined || this.get('input_shape') === null ? null : this.shape('input_shape');
  }

  /** float64 stays float64; other float types (and Keras 3 dtype policies) compute in float32. */
  dtype(): LayerDType {
    const v = this.get('dtype');
    const name = isJsonObject(v) && isJsonObject(v['config']) ? v['config']['name'] : v;
    if (name === undefined || name === null) return 'float32';
    if (typeof name !== 'string' || !/float/.test(name)) throw this.fail('dtype', 'a float dtype such as "float32"');
    return name === 'float64' ? 'float64' : 'float32';
  }
}
