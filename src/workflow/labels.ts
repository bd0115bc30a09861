/** Reading labels as the evaluation protocols and baselines need them: one key per sample. */
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { storage } from '../tensor/tensor.js';
import { ShapeError } from '../util/errors.js';

/**
 * One value per sample: the label itself for [n] and [n, 1], the position of the largest value for
 * one-hot rows [n, classes] (so stratification and baselines see the class).
 */
export function sampleKeys(where: string, arg: string, y: TensorLike): Float64Array {
  const t = toTensor(where, arg, y);
  if (t.rank === 0) throw new ShapeError(`${where}: argument '${arg}' expected one label per sample, received a scalar`);
  const n = t.shape[0]!;
  const v = storage(t);
  if (t.size === n) return Float64Array.from(v);
  if (t.rank !== 2) throw new ShapeError(`${where}: argument '${arg}' expected labels [n], [n, 1] or one-hot rows [n, classes], received shape [${t.shape.join(', ')}]`);
  const k = t.shape[1]!;
  return Float64Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (v[i * k + c]! > v[i * k + best]!) best = c;
    return best;
  });
}
