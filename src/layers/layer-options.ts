/**
 * The checks of the options every layer takes, to spread into a layer's own options spec so that an
 * unknown key is refused (`LSTM: unknown option 'returnSequence' (did you mean 'returnSequences'?)`).
 * BaseLayer checks these values again with its own messages; activations, initializers and regularizers
 * are checked where they are resolved (getActivation...), so their checks here only read the type.
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

export const check = {
  activation: resolvedLater<ActivationIdentifier>('an activation name or function'),
  initializer: resolvedLater<InitializerIdentifier>('an initializer name or Initializer'),
  regularizer: resolvedLater<RegularizerIdentifier>('a regularizer'),
  /** A dropout rate: a number in [0, 1). */
  rate: is.numberIn(0, 1, '[)'),
};

export const LAYER_OPTIONS = {
  name: is.nonEmptyString.optional(),
  inputShape: is.arrayOf(is.positiveInteger.or(is.satisfying<null>('null', (v): v is null => v === null))).optional(),
  dtype: is.oneOf<LayerDType>(['float32', 'float64']).optional(),
  trainable: is.boolean.optional(),
  activityRegularizer: check.regularizer.optional(),
} satisfies SpecFor<LayerOptions>;

/** `LSTM 'encoder'`, or `LSTM` before a name is given: how a constructor names its layer before `super`. */
export function preLabel(className: string, options: unknown): string {
  const name = typeof options === 'object' && options !== null ? (options as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? `${className} '${name}'` : className;
}
