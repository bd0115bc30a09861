/**
 * A learning rate in a saved optimizer config: a number, or a schedule as Keras writes it,
 * `{ class_name: 'CosineDecay', config: { initial_learning_rate, decay_steps, ... } }`.
 */
import { ValueError, describe } from '../util/errors.js';
import type { JsonObject, JsonValue } from '../util/json.js';
import { isJsonObject } from '../util/json.js';
import { CosineDecay, CosineDecayRestarts } from './cosine-decay.js';
import { PolynomialDecay } from './polynomial-decay.js';
import type { CosineDecayOptions, CosineDecayRestartsOptions } from './cosine-decay.js';
import type { PolynomialDecayOptions } from './polynomial-decay.js';
import type { ExponentialDecayOptions, InverseTimeDecayOptions, LearningRateSchedule } from './schedules.js';
import { BuiltinSchedule, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay } from './schedules.js';

type Options = object;

// The options are a file's: each constructor checks them, naming any key or value it cannot use.

const BY_CLASS_NAME = {
  ExponentialDecay: (o: Options) => new ExponentialDecay(o as ExponentialDecayOptions),
  InverseTimeDecay: (o: Options) => new InverseTimeDecay(o as InverseTimeDecayOptions),
  PolynomialDecay: (o: Options) => new PolynomialDecay(o as PolynomialDecayOptions),
  CosineDecay: (o: Options) => new CosineDecay(o as CosineDecayOptions),
  CosineDecayRestarts: (o: Options) => new CosineDecayRestarts(o as CosineDecayRestartsOptions),
  PiecewiseConstantDecay: (o: Options) => {
    const { boundaries, values, ...rest } = o as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw new ValueError(`PiecewiseConstantDecay: unknown option '${extra}'; known options: boundaries, values`);
    return new PiecewiseConstantDecay(boundaries as number[], values as number[]);
  },
} satisfies Record<string, (options: Options) => BuiltinSchedule<object>>;

/**
 * The learning rate as an optimizer config records it: Keras's form for a schedule of the library; a
 * schedule of your own has no saved form, so its value at `step` is written.
 */
export function learningRateToConfig(lr: number | LearningRateSchedule, step: number): JsonValue {
  if (typeof lr === 'number') return lr;
  if (lr instanceof BuiltinSchedule) return { class_name: lr.className, config: lr.getConfig() };
  return lr.at(step);
}

const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A learning rate read from a config: a number, or a schedule's `{ class_name, config }` (Keras's `name` is ignored). */
export function learningRateFromConfig(value: JsonValue | undefined, where: string): number | LearningRateSchedule | undefined {
  if (value === undefined || value === null || typeof value === 'number') return value ?? undefined;
  const className = isJsonObject(value) ? value['class_name'] : undefined;
  const config = isJsonObject(value) ? value['config'] ?? {} : undefined;
  if (typeof className !== 'string' || !isJsonObject(config)) {
    throw new ValueError(`${where} expected a number or a schedule { class_name, config }, received ${describe(value)}`);
  }
  const make = (BY_CLASS_NAME as Record<string, (o: Options) => LearningRateSchedule>)[className];
  if (!make) throw new ValueError(`${where}.class_name expected one of ${Object.keys(BY_CLASS_NAME).map((k) => `"${k}"`).join(', ')}, received ${describe(className)}`);
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config as JsonObject)) if (k !== 'name') options[camelCase(k)] = v === null ? undefined : v;
  try {
    return make(options);
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`${where}: ${error.message}`);
    throw error;
  }
}
