/**
 * Weight initializers with Keras's defaults. Every draw comes from the global seeded generator, so
 * `setSeed(n)` makes initial weights repeatable. Variance-scaling initializers use the fans of the
 * shape: [in, out] for dense kernels, [kH, kW, in, out] for conv kernels (receptive field times channels).
 */
import { fill, randomNormal, randomUniform, truncatedNormal } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../util/dtype.js';
import { ValueError, describe } from '../util/errors.js';
import { lookupName } from '../util/names.js';
import { sizeOf } from '../util/shape.js';

/** An initializer as Keras files name it: `VarianceScaling` with `{ scale, mode, distribution }`. */
export interface InitializerSpec {
  readonly className: string;
  readonly config: Readonly<Record<string, number | string>>;
}

export interface Initializer {
  readonly name: string;
  /** Its Keras class and settings, so a saved model can record it (custom initializers leave it out). */
  readonly spec?: InitializerSpec;
  /** A new tensor of `shape` and float `dtype`. */
  init(shape: readonly number[], dtype: DType): Tensor;
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
export function varianceScaling(options: VarianceScalingOptions = {}, name = 'varianceScaling'): Initializer {
  const scale = options.scale ?? 1;
  const mode = options.mode ?? 'fanIn';
  const distribution = options.distribution ?? 'truncatedNormal';
  if (!(scale > 0)) throw new ValueError(`${name}: option 'scale' expected a positive number, received ${describe(scale)}`);
  return {
    name,
    spec: { className: 'VarianceScaling', config: { scale, mode, distribution } },
    init(shape, dtype) {
      const { fanIn, fanOut } = computeFans(shape);
      const fan = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
      const variance = scale / Math.max(1, fan);
      switch (distribution) {
        case 'uniform': {
          const limit = Math.sqrt(3 * variance);
          return randomUniform(shape, { minval: -limit, maxval: limit, dtype });
        }
        case 'truncatedNormal':
          return truncatedNormal(shape, { stddev: Math.sqrt(variance) / TRUNCATED_STD, dtype });
        case 'untruncatedNormal':
          return randomNormal(shape, { stddev: Math.sqrt(variance), dtype });
        default:
          return distribution satisfies never;
      }
    },
  };
}

export const glorotUniform = (): Initializer => varianceScaling({ mode: 'fanAvg', distribution: 'uniform' }, 'glorotUniform');
export const glorotNormal = (): Initializer => varianceScaling({ mode: 'fanAvg' }, 'glorotNormal');
export const heUniform = (): Initializer => varianceScaling({ scale: 2, distribution: 'uniform' }, 'heUniform');
export const heNormal = (): Initializer => varianceScaling({ scale: 2 }, 'heNormal');
export const lecunUniform = (): Initializer => varianceScaling({ distribution: 'uniform' }, 'lecunUniform');
export const lecunNormal = (): Initializer => varianceScaling({}, 'lecunNormal');

export function constant(value: number): Initializer {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ValueError(`constant: argument 'value' expected a number, received ${describe(value)}`);
  }
  return { name: 'constant', spec: { className: 'Constant', config: { value } }, init: (shape, dtype) => fill(shape, value, { dtype }) };
}

export const zeros = (): Initializer => ({ ...constant(0), name: 'zeros', spec: { className: 'Zeros', config: {} } });
export const ones = (): Initializer => ({ ...constant(1), name: 'ones', spec: { className: 'Ones', config: {} } });

/** Normal draws; Keras's defaults are mean 0 and stddev 0.05. */
export function randomNormalInitializer(options: { mean?: number; stddev?: number } = {}): Initializer {
  const mean = options.mean ?? 0, stddev = options.stddev ?? 0.05;
  return { name: 'randomNormal', spec: { className: 'RandomNormal', config: { mean, stddev } }, init: (shape, dtype) => randomNormal(shape, { mean, stddev, dtype }) };
}

/** Uniform draws; Keras's defaults are [-0.05, 0.05). */
export function randomUniformInitializer(options: { minval?: number; maxval?: number } = {}): Initializer {
  const minval = options.minval ?? -0.05, maxval = options.maxval ?? 0.05;
  return { name: 'randomUniform', spec: { className: 'RandomUniform', config: { minval, maxval } }, init: (shape, dtype) => randomUniform(shape, { minval, maxval, dtype }) };
}

/** Normal draws redrawn beyond two standard deviations; Keras's defaults are mean 0 and stddev 0.05. */
export function truncatedNormalInitializer(options: { mean?: number; stddev?: number } = {}): Initializer {
  const mean = options.mean ?? 0, stddev = options.stddev ?? 0.05;
  return { name: 'truncatedNormal', spec: { className: 'TruncatedNormal', config: { mean, stddev } }, init: (shape, dtype) => truncatedNormal(shape, { mean, stddev, dtype }) };
}

const BY_NAME = {
  glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, zeros, ones,
  randomNormal: randomNormalInitializer,
  randomUniform: randomUniformInitializer,
  truncatedNormal: truncatedNormalInitializer,
  varianceScaling: () => varianceScaling(),
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
