/**
 * Layer settings as Keras and TensorFlow.js files write them: snake_case keys (`kernel_size`), Keras class
 * names for initializers and regularizers, activations by snake_case name. `getConfig` writes this form;
 * `ConfigReader` reads it back, also accepting camelCase keys and the variants Keras 2 and 3 write, and
 * names the file position of anything it cannot use.
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import * as init from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { L1L2, getRegularizer } from '../nn/regularizers.js';
import { ValueError, describe } from '../util/errors.js';
import { snakeCase } from '../util/names.js';
import type { LayerDType, LayerOptions } from './base-layer.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A layer's settings, keyed as model files key them. */
export type LayerConfig = JsonObject;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

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
  const initializer: Initializer = init.getInitializer(id, label, arg);
  if (!initializer.spec) throw new ValueError(`${label}: the custom initializer '${initializer.name}' of '${arg}' cannot be saved; use a built-in initializer`);
  const { className, config } = initializer.spec;
  const entries = Object.entries(config).map(([k, v]) => [snakeCase(k), typeof v === 'string' ? snakeCase(v) : v]);
  const seeded = !['Zeros', 'Ones', 'Constant'].includes(className);
  return { class_name: className, config: { ...Object.fromEntries(entries), ...(seeded ? { seed: null } : {}) } };
}

/** `{ class_name: 'L1L2', config: { l1, l2 } }`, or null without a regularizer. */
export function regularizerConfig(id: RegularizerIdentifier | null | undefined, label: string, arg: string): JsonObject | null {
  if (id === null || id === undefined) return null;
  const regularizer: Regularizer = getRegularizer(id, label, arg);
  if (!(regularizer instanceof L1L2)) {
    throw new ValueError(`${label}: the custom regularizer '${regularizer.name}' of '${arg}' cannot be saved; use l1, l2 or l1l2`);
  }
  return { class_name: 'L1L2', config: { l1: regularizer.l1, l2: regularizer.l2 } };
}

/** Initializer factories by Keras class name (case and underscores ignored). */
const INITIALIZERS: Readonly<Record<string, (c: ConfigReader) => Initializer>> = {
  variancescaling: (c) => init.varianceScaling({
    scale: c.number('scale', 1),
    mode: c.choice('mode', { fan_in: 'fanIn', fan_out: 'fanOut', fan_avg: 'fanAvg' } as const, 'fan_in'),
    // Keras 2.0 and TensorFlow.js write 'normal' for the truncated normal.
    distribution: c.choice('distribution', { normal: 'truncatedNormal', truncated_normal: 'truncatedNormal', untruncated_normal: 'untruncatedNormal', uniform: 'uniform' } as const, 'truncated_normal'),
  }),
  glorotuniform: () => init.glorotUniform(),
  glorotnormal: () => init.glorotNormal(),
  heuniform: () => init.heUniform(),
  henormal: () => init.heNormal(),
  lecununiform: () => init.lecunUniform(),
  lecunnormal: () => init.lecunNormal(),
  zeros: () => init.zeros(),
  ones: () => init.ones(),
  constant: (c) => init.constant(c.number('value', 0)),
  randomnormal: (c) => init.randomNormalInitializer({ mean: c.number('mean', 0), stddev: c.number('stddev', 0.05) }),
  randomuniform: (c) => init.randomUniformInitializer({ minval: c.number('minval', -0.05), maxval: c.number('maxval', 0.05) }),
  truncatednormal: (c) => init.truncatedNormalInitializer({ mean: c.number('mean', 0), stddev: c.number('stddev', 0.05) }),
};

/**
 * Reads one layer's (or initializer's) config. `where` says where it sits in the file, for messages:
 * `model.json: modelTopology.config.layers[2].config`.
 */
export class ConfigReader {
  constructor(
    readonly config: JsonObject,
    readonly where: string,
  ) {}

  /** The value under a snake_case key or its camelCase spelling; undefined when absent. */
  get(key: string): JsonValue | undefined {
    return this.config[key] ?? this.config[camelCase(key)];
  }

  fail(key: string, expected: string): ValueError {
    return new ValueError(`${this.where}.${key} expected ${expected}, received ${describe(this.get(key))}`);
  }

  number(key: string, fallback?: number): number {
    const v = this.get(key);
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.fail(key, 'a number');
    return v;
  }

  integer(key: string, fallback?: number): number {
    const v = this.number(key, fallback);
    if (!Number.isInteger(v)) throw this.fail(key, 'an integer');
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw this.fail(key, 'true or false');
    return v;
  }

  string(key: string, fallback?: string): string {
    const v = this.get(key);
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== 'string') throw this.fail(key, 'a string');
    return v;
  }

  /** One of the keys of `values` (the file's spelling), mapped to its value. */
  choice<T>(key: string, values: Readonly<Record<string, T>>, fallback: string): T {
    const v = this.string(key, fallback);
    const found = values[v] ?? values[snakeCase(v)];
    if (found === undefined) throw this.fail(key, `one of ${Object.keys(values).map((k) => JSON.stringify(k)).join(', ')}`);
    return found;
  }

  /** An integer or a pair of integers (kernel sizes, strides): `3` or `[3, 3]`. */
  intOrPair(key: string, fallback?: number): number | [number, number] {
    const v = this.get(key);
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0])) return v[0] as number;
    if (Array.isArray(v) && v.length === 2 && v.every(Number.isInteger)) return [v[0] as number, v[1] as number];
    throw this.fail(key, 'an integer or a pair of integers');
  }

  /** A shape: integers, with null (or -1 where allowed) for unknown sizes. */
  shape(key: string): (number | null)[] {
    const v = this.get(key);
    if (!Array.isArray(v) || !v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d)))) throw this.fail(key, 'an array of integers or nulls');
    return v as (number | null)[];
  }

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
  initializer(key: string): InitializerIdentifier | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    const [className, config] = typeof v === 'string' ? [v, {}] : isJsonObject(v) ? [v['class_name'], v['config'] ?? {}] : [null, null];
    if (typeof className !== 'string' || !isJsonObject(config)) throw this.fail(key, 'an initializer such as { "class_name": "VarianceScaling", "config": {...} }');
    const make = INITIALIZERS[className.toLowerCase().replace(/_/g, '')];
    if (!make) throw this.fail(key, `a known initializer class (${Object.keys(INITIALIZERS).join(', ')})`);
    return make(new ConfigReader(config, `${this.where}.${key}.config`));
  }

  /** An L1, L2 or L1L2 regularizer, or undefined. */
  regularizer(key: string): RegularizerIdentifier | undefined {
    const v = this.get(key);
    if (v === undefined || v === null) return undefined;
    const className = isJsonObject(v) ? v['class_name'] : null;
    const config = isJsonObject(v) ? v['config'] ?? {} : null;
    if (typeof className !== 'string' || !isJsonObject(config) || !['l1l2', 'l1', 'l2'].includes(className.toLowerCase().replace(/_/g, ''))) {
      throw this.fail(key, 'an L1, L2 or L1L2 regularizer ({ "class_name": "L1L2", "config": { "l1": 0, "l2": 0.01 } })');
    }
    const c = new ConfigReader(config, `${this.where}.${key}.config`);
    return new L1L2({ l1: c.number('l1', 0), l2: c.number('l2', 0) });
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
