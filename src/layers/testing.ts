/**
 * Checks shared by the layer tests: gradients of a layer's output with respect to its input and to each
 * weight, against central finite differences in float64 (build layers with `dtype: 'float64'`).
 */
import assert from 'node:assert/strict';
import * as ops from '../ops/index.js';
import { randomUniform } from '../tensor/creation.js';
import { valueAndGrad, variableGrads } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { storage } from '../tensor/tensor.js';
import { setSeed } from '../util/random.js';
import type { BaseLayer, CallOptions } from './base-layer.js';
import type { LayerShape } from './layer-shape.js';
import { layerFromConfig } from './serialization.js';

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

/** Central differences of `loss` along each element of `values` (perturbed in place, then restored). */
function checkAgainstDifferences(values: Float64Array, analytic: ArrayLike<number>, loss: () => number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const saved = values[i]!;
    values[i] = saved + STEP;
    const plus = loss();
    values[i] = saved - STEP;
    const minus = loss();
    values[i] = saved;
    assertClose(analytic[i]!, (plus - minus) / (2 * STEP), `${what}[${i}]`);
  }
}

/**
 * Compares the gradient of L = sum(layer(inputs) * R) (R fixed random) with central differences, for
 * each input and every trainable weight, coordinate by coordinate. Each evaluation reseeds the generator
 * so that random layers (dropout) draw the same mask every time.
 */
export function checkLayerGradients(layer: BaseLayer, input: Tensor | readonly Tensor[], options: CallOptions = {}): void {
  const inputs = Array.isArray(input) ? [...input] : [input as Tensor];
  const run = (xs: readonly Tensor[]): Tensor => {
    setSeed(99);
    return layer.invoke(xs, options);
  };
  const projection = float64Input([...run(inputs).shape], 3);
  const loss = (...xs: Tensor[]): Tensor => ops.sum(ops.mul(run(xs), projection));
  const value = (): number => loss(...inputs).item();

  const { grads } = valueAndGrad(loss)(...inputs);
  inputs.forEach((x, i) => checkAgainstDifferences(storage(x) as Float64Array, storage(grads[i]!), value, `${layer.label}: d/dinput${i}`));

  const weights = layer.trainableWeights;
  const weightGrads = variableGrads(() => loss(...inputs), weights).grads;
  for (const w of weights) checkAgainstDifferences(storage(w) as Float64Array, storage(weightGrads.get(w)!), value, `${layer.label}: d/d${w.name}`);
}

/**
 * The layer rebuilt from its saved config (through the table loadModel uses) writes the same config, and
 * (once built from the same input shape) has weights of the same names and shapes.
 */
export function assertConfigRoundTrip(layer: BaseLayer, inputShapes?: readonly LayerShape[]): BaseLayer {
  const config = layer.getConfig();
  const copy = layerFromConfig(layer.className, JSON.parse(JSON.stringify(config)), 'config');
  const { name: _a, ...mine } = config;
  const { name: _b, ...theirs } = copy.getConfig();
  assert.deepEqual(theirs, mine, `${layer.label}: the config survives a round trip`);
  if (inputShapes) {
    copy.buildFor(inputShapes);
    assert.deepEqual(copy.weights.map((w) => [w.name.split('/').pop(), w.shape]), layer.weights.map((w) => [w.name.split('/').pop(), w.shape]));
  }
  return copy;
}

/** The first three weights of a layer, for tests that know the layer has them. */
export function weightsOf(layer: BaseLayer): [Variable, Variable, Variable] {
  const [a, b, c] = layer.weights;
  return [a!, b!, c!];
}
