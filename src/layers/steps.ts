/**
 * What the 1-D layers share: one size per window (a number, or Keras's one-element list), the output
 * length of a window sliding over steps, and checking `[batch, steps, channels]` shapes and their masks.
 */
import type { Padding1D } from '../ops/index.js';
import { notEqual, outputSteps } from '../ops/index.js';
import { Tensor } from '../tensor/tensor.js';
import { Check, fail, is } from '../util/checks.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import type { ConfigReader } from './config.js';
import { checkInputSpec } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

/** A positive integer, or a list of one (Keras writes `kernel_size: [3]`). */
export const oneSize: Check<number> = new Check('a positive integer (or a list of one)', (v) => {
  const r = is.positiveInteger.test(Array.isArray(v) && v.length === 1 ? v[0] : v);
  return typeof r === 'number' ? r : fail();
});

/** An integer setting written as `3` or `[3]`; `fallback` when absent or null. */
export function readOne(c: ConfigReader, key: string, fallback?: number): number {
  const v = c.get(key);
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  const r = oneSize.test(v);
  if (typeof r !== 'number') throw c.fail(key, 'a positive integer or a list of one');
  return r;
}

/** Checks a `[batch, steps, channels]` shape with at least one step (an empty sequence is an error, not an empty output). */
export function checkSteps(label: string, shape: LayerShape): void {
  checkInputSpec(label, { rank: 3 }, shape);
  if (shape[1] === 0) throw new ShapeError(`${label}: expected sequences of at least one step, received shape ${fmtLayerShape(shape)}`);
}

/**
 * The output shape of a window of `effective` steps sliding with `strides` over the steps of `shape`
 * ([batch, steps, channels] -> [batch, out, channels]); an unknown length stays unknown. A window that
 * does not fit fails naming the layer.
 */
export function slidingShape(label: string, shape: LayerShape, effective: number, strides: number, padding: Padding1D, channels: number | null): LayerShape {
  checkSteps(label, shape);
  const steps = shape[1] ?? null;
  if (steps !== null && padding === 'valid' && effective > steps) {
    throw new ShapeError(`${label}: the window spans ${effective} steps but the input has ${steps} (shape ${fmtLayerShape(shape)}) with padding "valid"; use padding "same" or a shorter window`);
  }
  return [shape[0] ?? null, steps === null ? null : outputSteps(steps, effective, strides, padding), channels];
}

/**
 * The mask of a [batch, steps, ...] input, checked: [batch, steps] with one value per step (bool, or
 * numbers read as nonzero = keep). Null stays null.
 */
export function stepMask(label: string, x: Tensor, mask: Tensor | null | undefined): Tensor | null {
  if (mask === null || mask === undefined) return null;
  if (!(mask instanceof Tensor)) throw new ValueError(`${label}: option 'mask' expected a tensor or null, received ${describe(mask)}`);
  if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
    throw new ShapeError(`${label}: option 'mask' expected shape [${x.shape[0]}, ${x.shape[1]}] (one value per step of the input ${fmtShape(x.shape)}), received ${fmtShape(mask.shape)}`);
  }
  return mask.dtype === 'bool' ? mask : notEqual(mask, 0);
}
