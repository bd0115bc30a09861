/**
 * Weight initializers with Keras's defaults. Every draw comes from the global seeded generator, so
 * `setSeed(n)` makes initial weights repeatable. Variance-scaling initializers use the fans of the
 * shape: [in, out] for dense kernels, [kH, kW, in, out] for conv kernels (receptive field times channels).
 *
 * Each built-in initializer is a class that writes itself as Keras and TensorFlow.js files do
 * (`{ class_name: 'VarianceScaling', config: { scale, mode: 'fan_avg', ... } }`) and reads itself back.
 */
import { fill, randomNormal, randomUniform, tensor, truncatedNormal } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../util/dtype.js';
import { ValueError, describe } from '../util/errors.js';
import type { JsonObject, JsonReader, JsonValue } from '../util/json.js';
import { classEntry } from '../util/json.js';
import { lookupName, nameKey, snakeCase } from '../util/names.js';
import { sizeOf } from '../util/shape.js';

export interface Initializer {
  readonly name: string;
  /** A new tensor of `shape` and float `dtype`. */
  init(shape: readonly number[], dtype: DType): Tensor;
  /** The Keras class a saved model records (custom initializers without it cannot be saved). */
  readonly className?: string;
  /** Its settings as model files write them (snake_case). */
  getConfig?(): JsonObject;
}

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** Keras's fan computation: the last two axes are (in, out); leading axes form the receptive field. */
export function computeFans(shape: readonly number[]): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type Distribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

export interface VarianceScalingOptions {
  scale?: number;
  mode?: FanMode;
  distribution?: Distribution;
}

/** The stddev of a standard normal truncated at ±2 (what Keras divides by to keep the requested variance). */
const TRUNCATED_STD = 0.87962566103423978;

/** Draws with variance scale / fan (Keras's VarianceScaling: glorot, he and lecun are instances). */
export class VarianceScaling implements Initializer {
  readonly className = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;

  constructor(options: VarianceScalingOptions = {}, readonly name = 'varianceScaling') {
    this.scale = options.scale ?? 1;
    this.mode = options.mode ?? 'fanIn';
    this.distribution = options.distribution ?? 'truncatedNormal';
    if (!(this.scale > 0)) throw new ValueError(`${name}: option 'scale' expected a positive number, received ${describe(this.scale)}`);
  }

  init(shape: readonly number[], dtype: DType): Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    switch (this.distribution) {
      case 'uniform': {
        const limit = Math.sqrt(3 * variance);
        return randomUniform(shape, { minval: -limit, maxval: limit, dtype });
      }
      case 'truncatedNormal':
        return truncatedNormal(shape, { stddev: Math.sqrt(variance) / TRUNCATED_STD, dtype });
      case 'untruncatedNormal':
        return randomNormal(shape, { stddev: Math.sqrt(variance), dtype });
      default:
        return this.distribution satisfies never;
    }
  }

  getConfig(): JsonObject {
    return { scale: this.scale, mode: snakeCase(this.mode), distribution: snakeCase(this.distribution), seed: null };
  }

  static fromConfig(c: JsonReader): VarianceScaling {
    return new VarianceScaling({
      scale: c.number('scale', 1),
      mode: c.choice('mode', { fan_in: 'fanIn', fan_out: 'fanOut', fan_avg: 'fanAvg' } as const, 'fan_in'),
      // Keras 2.0 and TensorFlow.js write 'normal' for the truncated normal.
      distribution: c.choice('distribution', { normal: 'truncatedNormal', truncated_normal: 'truncatedNormal', untruncated_normal: 'untruncatedNormal', uniform: 'uniform' } as const, 'truncated_normal'),
    });
  }
}

/** Draws with variance scale / fan (Keras's VarianceScaling: glorot, he and lecun are instances). */
export function varianceScaling(options: VarianceScalingOptions = {}, name = 'varianceScaling'): Initializer {
  return new VarianceScaling(options, name);
}

export const glorotUniform = (): Initializer => new VarianceScaling({ mode: 'fanAvg', distribution: 'uniform' }, 'glorotUniform');
export const glorotNormal = (): Initializer => new VarianceScaling({ mode: 'fanAvg' }, 'glorotNormal');
export const heUniform = (): Initializer => new VarianceScaling({ scale: 2, distribution: 'uniform' }, 'heUniform');
export const heNormal = (): Initializer => new VarianceScaling({ scale: 2 }, 'heNormal');
export const lecunUniform = (): Initializer => new VarianceScaling({ distribution: 'uniform' }, 'lecunUniform');
export const lecunNormal = (): Initializer => new VarianceScaling({}, 'lecunNormal');

/** Every element `value`. */
export class Constant implements Initializer {
  readonly className: string = 'Constant';
  readonly name: string = 'constant';

  constructor(readonly value: number) {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new ValueError(`constant: argument 'value' expected a number, received ${describe(value)}`);
    }
  }

  init(shape: readonly number[], dtype: DType): Tensor {
    return fill(shape, this.value, { dtype });
  }

  getConfig(): JsonObject {
    return { value: this.value };
  }
}

export class Zeros extends Constant {
  override readonly className = 'Zeros';
  override readonly name = 'zeros';

  constructor() {
    super(0);
  }

  override getConfig(): JsonObject {
    return {};
  }
}

export class Ones extends Constant {
  override readonly className = 'Ones';
  override readonly name = 'ones';

  constructor() {
    super(1);
  }

  override getConfig(): JsonObject {
    return {};
  }
}

export function constant(value: number): Initializer {
  return new Constant(value);
}

export const zeros = (): Initializer => new Zeros();
export const ones = (): Initializer => new Ones();

/** Normal draws; Keras's defaults are mean 0 and stddev 0.05. */
export class RandomNormal implements Initializer {
  readonly className = 'RandomNormal';
  readonly name = 'randomNormal';
  readonly mean: number;
  readonly stddev: number;

  constructor(options: { mean?: number; stddev?: number } = {}) {
    this.mean = options.mean ?? 0;
    this.stddev = options.stddev ?? 0.05;
  }

  init(shape: readonly number[], dtype: DType): Tensor {
    return randomNormal(shape, { mean: this.mean, stddev: this.stddev, dtype });
  }

  getConfig(): JsonObject {
    return { mean: this.mean, stddev: this.stddev, seed: null };
  }
}

/** Uniform draws; Keras's defaults are [-0.05, 0.05). */
export class RandomUniform implements Initializer {
  readonly className = 'RandomUniform';
  readonly name = 'randomUniform';
  readonly minval: number;
  readonly maxval: number;

  constructor(options: { minval?: number; maxval?: number } = {}) {
    this.minval = options.minval ?? -0.05;
    this.maxval = options.maxval ?? 0.05;
  }

  init(shape: readonly number[], dtype: DType): Tensor {
    return randomUniform(shape, { minval: this.minval, maxval: this.maxval, dtype });
  }

  getConfig(): JsonObject {
    return { minval: this.minval, maxval: this.maxval, seed: null };
  }
}

/** Normal draws redrawn beyond two standard deviations; Keras's defaults are mean 0 and stddev 0.05. */
export class TruncatedNormal implements Initializer {
  readonly className = 'TruncatedNormal';
  readonly name = 'truncatedNormal';
  readonly mean: number;
  readonly stddev: number;

  constructor(options: { mean?: number; stddev?: number } = {}) {
    this.mean = options.mean ?? 0;
    this.stddev = options.stddev ?? 0.05;
  }

  init(shape: readonly number[], dtype: DType): Tensor {
    return truncatedNormal(shape, { mean: this.mean, stddev: this.stddev, dtype });
  }

  getConfig(): JsonObject {
    return { mean: this.mean, stddev: this.stddev, seed: null };
  }
}

/**
 * A (semi-)orthogonal matrix times `gain` (Keras's Orthogonal, the default for recurrent kernels): the Q
 * of the QR decomposition of a normal draw, with R's diagonal made positive so that Q is unique. Leading
 * axes are flattened into rows; with fewer rows than columns the rows are orthonormal.
 */
export class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  readonly name = 'orthogonal';
  readonly gain: number;

  constructor(options: { gain?: number } = {}) {
    this.gain = options.gain ?? 1;
    if (typeof this.gain !== 'number' || !Number.isFinite(this.gain)) {
      throw new ValueError(`orthogonal: option 'gain' expected a finite number, received ${describe(options.gain)}`);
    }
  }

  init(shape: readonly number[], dtype: DType): Tensor {
    if (shape.length < 2) throw new ValueError(`orthogonal: expected a shape of rank 2 or more, received [${shape.join(', ')}]`);
    const cols = shape[shape.length - 1]!;
    const rows = sizeOf(shape) / Math.max(cols, 1);
    const [m, n] = [Math.max(rows, cols), Math.min(rows, cols)];
    const q = orthonormalColumns(randomNormal([m, n], { dtype: 'float64' }).data() as Float64Array, m, n);
    // q is [m, n] with orthonormal columns; with fewer rows than columns the weight is its transpose.
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) out[rows >= cols ? i * n + j : j * m + i] = this.gain * q[i * n + j]!;
    }
    return tensor(out, { shape: [...shape], dtype: dtype === 'float64' ? 'float64' : 'float32' });
  }

  getConfig(): JsonObject {
    return { gain: this.gain, seed: null };
  }
}

/**
 * The Q of A = QR (A is m x n, m >= n, row-major) with diag(R) > 0: modified Gram-Schmidt, run twice per
 * column so that Q stays orthonormal to rounding.
 */
function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  const q = a.slice();
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + k]! * q[i * n + j]!;
        for (let i = 0; i < m; i++) q[i * n + j]! -= dot * q[i * n + k]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[i * n + j]! /= norm;
  }
  return q;
}

export function orthogonal(options: { gain?: number } = {}): Initializer {
  return new Orthogonal(options);
}

export function randomNormalInitializer(options: { mean?: number; stddev?: number } = {}): Initializer {
  return new RandomNormal(options);
}

export function randomUniformInitializer(options: { minval?: number; maxval?: number } = {}): Initializer {
  return new RandomUniform(options);
}

export function truncatedNormalInitializer(options: { mean?: number; stddev?: number } = {}): Initializer {
  return new TruncatedNormal(options);
}

const BY_NAME = {
  glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, zeros, ones,
  randomNormal: randomNormalInitializer,
  randomUniform: randomUniformInitializer,
  truncatedNormal: truncatedNormalInitializer,
  varianceScaling: () => varianceScaling(),
  orthogonal: () => orthogonal(),
} satisfies Record<string, () => Initializer>;

export type InitializerName = keyof typeof BY_NAME;

/** A name (camelCase or snake_case, Keras's defaults) or an Initializer. */
export type InitializerIdentifier = InitializerName | (string & {}) | Initializer;

const ALIASES = { xavierUniform: 'glorotUniform', xavierNormal: 'glorotNormal' };

export function getInitializer(id: InitializerIdentifier, where = 'getInitializer', arg = 'initializer'): Initializer {
  if (typeof id === 'object' && id !== null) {
    if (typeof id.init !== 'function') throw new ValueError(`${where}: argument '${arg}' expected a name or an Initializer, received ${describe(id)}`);
    return id;
  }
  return lookupName(where, arg, id, BY_NAME, ALIASES)();
}

/** `{ class_name, config }` as Keras and TensorFlow.js write it; `where` and `arg` name the owner in errors. */
export function serializeInitializer(initializer: Initializer, where: string, arg: string): JsonObject {
  if (initializer.className === undefined || !initializer.getConfig) {
    throw new ValueError(`${where}: the custom initializer '${initializer.name}' of '${arg}' cannot be saved; use a built-in initializer`);
  }
  return { class_name: initializer.className, config: initializer.getConfig() };
}

/** Readers by Keras class name (compared without case and underscores); Keras 3 writes the named ones with only a seed. */
const FROM_CONFIG: Readonly<Record<string, (c: JsonReader) => Initializer>> = {
  VarianceScaling: (c) => VarianceScaling.fromConfig(c),
  GlorotUniform: glorotUniform,
  GlorotNormal: glorotNormal,
  HeUniform: heUniform,
  HeNormal: heNormal,
  LecunUniform: lecunUniform,
  LecunNormal: lecunNormal,
  Zeros: zeros,
  Ones: ones,
  Constant: (c) => constant(c.number('value', 0)),
  RandomNormal: (c) => new RandomNormal({ mean: c.number('mean', 0), stddev: c.number('stddev', 0.05) }),
  RandomUniform: (c) => new RandomUniform({ minval: c.number('minval', -0.05), maxval: c.number('maxval', 0.05) }),
  TruncatedNormal: (c) => new TruncatedNormal({ mean: c.number('mean', 0), stddev: c.number('stddev', 0.05) }),
  Orthogonal: (c) => new Orthogonal({ gain: c.number('gain', 1) }),
};

/**
 * An initializer from its saved form: `{ class_name, config }` as Keras 2, Keras 3 or TensorFlow.js write
 * it, or a bare class name; undefined when absent. `where` is its position in the file.
 */
export function initializerFromConfig(v: JsonValue | undefined, where: string): Initializer | undefined {
  const entry = classEntry(v, where, 'an initializer such as { "class_name": "VarianceScaling", "config": {...} }');
  if (!entry) return undefined;
  const read = Object.entries(FROM_CONFIG).find(([k]) => nameKey(k) === nameKey(entry.className))?.[1];
  if (!read) throw new ValueError(`${where} expected a known initializer class (${Object.keys(FROM_CONFIG).map(nameKey).join(', ')}), received ${describe(v)}`);
  return read(entry.config);
}
