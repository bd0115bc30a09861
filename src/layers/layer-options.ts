/**
 * Option checks shared by layer constructors (util/checks' vocabulary): the options every layer takes,
 * and checks for the identifiers layers resolve (activations, initializers, regularizers, constraints,
 * windows and paddings). A layer declares its spec as `optionsSpec({ ...LAYER_OPTIONS, units: ... })`
 * and parses it after `super(options)`, so its messages name the layer and an unknown key is an error.
 */
import type { ActivationIdentifier } from '../nn/activations.js';
import type { ConstraintIdentifier } from '../nn/constraints.js';
import { constraintCheck } from '../nn/constraints.js';
import type { InitializerIdentifier } from '../nn/initializers.js';
import type { RegularizerIdentifier } from '../nn/regularizers.js';
import { Check, fail, is } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import type { Padding } from '../util/conv-geometry.js';
import type { LayerDType, LayerOptions } from './base-layer.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export const activationId: Check<ActivationIdentifier> = new Check('an activation name, a function or an Activation', (v) =>
  typeof v === 'string' || typeof v === 'function' || (isObject(v) && typeof v['apply'] === 'function') ? (v as ActivationIdentifier) : fail(),
);

export const initializerId: Check<InitializerIdentifier> = new Check('an initializer name or an Initializer', (v) =>
  typeof v === 'string' || (isObject(v) && typeof v['init'] === 'function') ? (v as InitializerIdentifier) : fail(),
);

export const regularizerId: Check<RegularizerIdentifier> = new Check('a regularizer name (l1, l2, l1l2) or a Regularizer', (v) =>
  typeof v === 'string' || (isObject(v) && typeof v['apply'] === 'function') ? (v as RegularizerIdentifier) : fail(),
);

export const constraintId: Check<ConstraintIdentifier> = constraintCheck;

export const padding: Check<Padding> = is.oneOf(['valid', 'same']);

/** An integer or `n` of them, each passing `element`. */
function windowCheck(n: number, element: Check<number>): Check<Window> {
  const many = is.arrayOf(element, { length: n });
  return new Check(`${element.expected} or an array of ${n} of them`, (v) => {
    const r = element.or(many).test(v);
    return typeof r === 'number' || Array.isArray(r) ? r : fail();
  });
}

/** A size per spatial axis, or one for all of them. */
export type Window = number | readonly number[];

/** A positive integer or a pair of them (2-D kernel sizes, strides, dilation rates, pool sizes). */
export const window2 = windowCheck(2, is.positiveInteger);
/** A positive integer or three of them (3-D windows). */
export const window3 = windowCheck(3, is.positiveInteger);
/** Output paddings: a non-negative integer or one per spatial axis. */
export const outputPadding2 = windowCheck(2, is.nonNegativeInteger);
export const outputPadding3 = windowCheck(3, is.nonNegativeInteger);
/** Null, for options whose absence Keras writes as None. */
export const isNull = is.satisfying('null', (v): v is null => v === null);

/** The identifier checks under short names, for the specs of sequence layers. */
export const check = {
  activation: activationId,
  initializer: initializerId,
  regularizer: regularizerId,
  /** A dropout rate: a number in [0, 1). */
  rate: is.numberIn(0, 1, '[)'),
};

/** `LSTM 'encoder'`, or `LSTM` before a name is given: how a constructor names its layer before `super`. */
export function preLabel(className: string, options: unknown): string {
  const name = typeof options === 'object' && options !== null ? (options as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? `${className} '${name}'` : className;
}

/** The options every layer takes (BaseLayer checks their values; listing them here lets specs refuse unknown keys). */
export const LAYER_OPTIONS = {
  name: is.nonEmptyString.optional(),
  inputShape: is.arrayOf(is.positiveInteger.or(isNull)).optional(),
  dtype: is.oneOf<LayerDType>(['float32', 'float64']).optional(),
  trainable: is.boolean.optional(),
  activityRegularizer: regularizerId.optional(),
} satisfies SpecFor<LayerOptions>;

/** Amounts before and after each spatial axis: one for all, one per axis, or [before, after] per axis. */
export type Amounts = number | readonly number[] | readonly (readonly number[])[];

/** Checks the forms of `Amounts` for `n` spatial axes (values resolved by `amountsPerAxis`). */
export function amounts(n: number): Check<Amounts> {
  const count = is.nonNegativeInteger;
  const pairs = is.arrayOf(is.arrayOf(count, { length: 2 }), { length: n });
  const perAxis = is.arrayOf(count, { length: n });
  return new Check(`a non-negative integer, ${n} of them (one per axis) or ${n} pairs [before, after]`, (v) => {
    for (const check of [count, perAxis, pairs] as Check<Amounts>[]) {
      const r = check.test(v);
      if (typeof r === 'number' || Array.isArray(r)) return r;
    }
    return fail();
  });
}

/** [before, after] for each of `n` axes. */
export function amountsPerAxis(value: Amounts, n: number): [number, number][] {
  if (typeof value === 'number') return Array.from({ length: n }, () => [value, value]);
  return value.map((v): [number, number] => (typeof v === 'number' ? [v, v] : [v[0]!, v[1]!]));
}
