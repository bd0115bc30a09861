/**
 * Option checks shared by layer constructors (util/checks' vocabulary): the options every layer takes, to
 * spread into a layer's spec so that an unknown key is refused, and checks for the identifiers a layer
 * resolves later (activations, initializers, regularizers: their resolvers say what was wrong with a
 * value, so these only read that one is there). A layer parses its spec first thing in its constructor:
 * `const o = SPEC.parse(preLabel('Conv1D', options), options)`.
 */
import type { ActivationIdentifier } from '../nn/activations.js';
import type { InitializerIdentifier } from '../nn/initializers.js';
import type { RegularizerIdentifier } from '../nn/regularizers.js';
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import type { LayerDType, LayerOptions } from './base-layer.js';

/** Anything present; the resolver that reads it says what was wrong. */
function resolvedLater<T>(expected: string) {
  return is.satisfying<T>(expected, (v): v is T => v !== undefined);
}

export const activationId = resolvedLater<ActivationIdentifier>('an activation name or function');
export const initializerId = resolvedLater<InitializerIdentifier>('an initializer name or Initializer');
export const regularizerId = resolvedLater<RegularizerIdentifier>('a regularizer name or Regularizer');

export const LAYER_OPTIONS = {
  name: is.nonEmptyString.optional(),
  inputShape: is.arrayOf(is.positiveInteger.or(is.satisfying<null>('null', (v): v is null => v === null))).optional(),
  dtype: is.oneOf<LayerDType>(['float32', 'float64']).optional(),
  trainable: is.boolean.optional(),
  activityRegularizer: regularizerId.optional(),
} satisfies SpecFor<LayerOptions>;

/** `Conv1D 'conv'`, or `Conv1D` before a name is given: how a constructor names its layer before `super`. */
export function preLabel(className: string, options: unknown): string {
  const name = typeof options === 'object' && options !== null ? (options as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? `${className} '${name}'` : className;
}
