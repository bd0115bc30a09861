/**
 * Checks shared by the layer tests: gradients of a layer's output with respect to its input and to each
 * weight, against central finite differences in float64 (build layers with `dtype: 'float64'`).
 */
import assert from 'node:assert/strict';
import * as ops from '../ops/index.js';
import { randomUniform } from '../tensor/creation.js';
import { valueAndGrad, variableGrads } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import { setSeed } from '../util/random.js';
import type { CallOptions } from './base-layer.js';
import type { Layer } from './layer.js';

const STEP = 1e-6;
const TOLERANCE = 1e-5;

/** Uniform float64 values in [low, high), from a fixed seed. */
export function float64Input(shape: number[], seed = 7, low = -1, high = 1): Tensor {
  setSeed(seed);
  return randomUniform(shape, { minval: low, maxval: high, dtype: 'float64' });
}

function assertClose(analytic: number, numeric: number, what: string): void {
  const scale = Math.max(1, Math.abs(analytic), Math.abs(numeric));
  assert.ok(Math.abs(analytic - numeric) <= TOLERANCE * scale, `${what}: analytic ${analytic} vs numeric ${numeric}`);
}

/**
 * Compares the gradient of L = sum(layer(x) * R) (R fixed random) with central differences, for the
 * input and every trainable weight, coordinate by coordinate. Each evaluation reseeds the generator so
 * that random layers (dropout) draw the same mask every time.
 */
export function checkLayerGradients(layer: Layer, x: Tensor, options: CallOptions = {}): void {
  const run = (input: Tensor): Tensor => {
    setSeed(99);
    return layer.apply(input, options);
  };
  const projection = float64Input([...run(x).shape], 3);
  const loss = (input: Tensor): Tensor => ops.sum(ops.mul(run(input), projection));

  const inputGrad = valueAndGrad(loss)(x).grads[0]!;
  const xs = storage(x) as Float64Array;
  for (let i = 0; i < xs.length; i++) {
    const saved = xs[i]!;
    xs[i] = saved + STEP;
    const plus = loss(x).item();
    xs[i] = saved - STEP;
    const minus = loss(x).item();
    xs[i] = saved;
    assertClose(storage(inputGrad)[i]!, (plus - minus) / (2 * STEP), `${layer.label}: d/dx[${i}]`);
  }

  const weights = layer.trainableWeights;
  const { grads } = variableGrads(() => loss(x), weights);
  for (const w of weights) {
    const g = storage(grads.get(w)!);
    const values = storage(w) as Float64Array;
    for (let i = 0; i < values.length; i++) {
      const saved = values[i]!;
      values[i] = saved + STEP;
      const plus = loss(x).item();
      values[i] = saved - STEP;
      const minus = loss(x).item();
      values[i] = saved;
      assertClose(g[i]!, (plus - minus) / (2 * STEP), `${layer.label}: d/d${w.name}[${i}]`);
    }
  }
}
