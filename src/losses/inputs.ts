/** What the loss functions share and the public API leaves out: reading arguments, and the options of a loss that has none. */
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionsSpec } from '../util/checks.js';

/** The options of a loss that has none: `{}` (anything else is an unknown option). */
export const NO_OPTIONS = optionsSpec({});

/** Both arguments as tensors (the functions also take arrays), named for messages. */
export function pair(where: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  return [toTensor(where, 'yTrue', yTrue), toTensor(where, 'yPred', yPred)];
}
