/**
 * Every loss is differentiable: the analytic gradient of each per-sample loss (with respect to the
 * predictions, and the targets where soft targets make sense) against central differences in float64.
 * Inputs are kept away from the kinks (clipping bounds, hinge corners, ties of a max).
 */
import { describe, test } from 'node:test';
import '../src/ops/tensor-methods.js';
import * as losses from '../src/losses/index.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { tensor } from '../src/tensor/creation.js';
import { checkGradients, rand } from './grad-check.js';

const shape = [3, 4];
const probabilities = (): Tensor => rand(shape, { low: 0.05, high: 0.95 });
const distribution = (): Tensor => {
  const p = rand(shape, { low: 0.1, high: 1 });
  return p.div(p.sum(-1, { keepDims: true }));
};
const oneHot = (): Tensor => tensor([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]], { dtype: 'float64' });
const binary = (): Tensor => tensor([[0, 1, 1, 0], [1, 0, 0, 1], [1, 1, 0, 0]], { dtype: 'float64' });
const signs = (): Tensor => binary().mul(2).sub(1);

interface Case {
  name: string;
  f: (yTrue: Tensor, yPred: Tensor) => Tensor;
  yTrue: () => Tensor;
  yPred: () => Tensor;
  /** Also differentiate with respect to the targets. */
  targets?: boolean;
}

const cases: Case[] = [
  { name: 'meanAbsolutePercentageError', f: losses.meanAbsolutePercentageError, yTrue: () => rand(shape, { low: 0.5, high: 2 }), yPred: () => rand(shape, { low: 2.2, high: 4 }) },
  { name: 'meanSquaredLogarithmicError', f: losses.meanSquaredLogarithmicError, yTrue: () => rand(shape, { low: 0.2, high: 3 }), yPred: () => rand(shape, { low: 0.2, high: 3 }), targets: true },
  { name: 'logCosh', f: losses.logCosh, yTrue: () => rand(shape), yPred: () => rand(shape), targets: true },
  { name: 'cosineSimilarity', f: losses.cosineSimilarity, yTrue: () => rand(shape), yPred: () => rand(shape), targets: true },
  { name: 'klDivergence', f: losses.klDivergence, yTrue: distribution, yPred: distribution, targets: true },
  { name: 'poisson', f: losses.poisson, yTrue: () => tensor([[0, 1, 2, 5], [3, 0, 1, 1], [2, 2, 0, 4]], { dtype: 'float64' }), yPred: () => rand(shape, { low: 0.3, high: 4 }) },
  // Scores away from +-1, where 1 - y * score has its corner.
  { name: 'hinge', f: losses.hinge, yTrue: signs, yPred: () => rand(shape, { kinks: [-1, 1], gap: 0.1 }) },
  { name: 'squaredHinge', f: losses.squaredHinge, yTrue: signs, yPred: () => rand(shape, { kinks: [-1, 1], gap: 0.1 }) },
  { name: 'categoricalHinge', f: losses.categoricalHinge, yTrue: oneHot, yPred: () => tensor([[0.3, 0.2, -0.6, 0.9], [1.5, -0.2, 0.4, 0.1], [0.2, 0.7, -0.3, 0.5]], { dtype: 'float64' }) },
  { name: 'binaryFocalCrossentropy', f: (t, p) => losses.binaryFocalCrossentropy(t, p, { applyClassBalancing: true, labelSmoothing: 0.1 }), yTrue: binary, yPred: probabilities },
  { name: 'binaryFocalCrossentropy (logits)', f: (t, p) => losses.binaryFocalCrossentropy(t, p, { fromLogits: true, gamma: 3 }), yTrue: binary, yPred: () => rand(shape, { low: -4, high: 4 }) },
  { name: 'categoricalFocalCrossentropy', f: (t, p) => losses.categoricalFocalCrossentropy(t, p, { gamma: 1.5 }), yTrue: oneHot, yPred: distribution },
  { name: 'categoricalFocalCrossentropy (logits, smoothing)', f: (t, p) => losses.categoricalFocalCrossentropy(t, p, { fromLogits: true, labelSmoothing: 0.2 }), yTrue: oneHot, yPred: () => rand(shape) },
  { name: 'binaryCrossentropy (label smoothing)', f: (t, p) => losses.binaryCrossentropy(t, p, { labelSmoothing: 0.2 }), yTrue: binary, yPred: probabilities },
  { name: 'categoricalCrossentropy (label smoothing, logits)', f: (t, p) => losses.categoricalCrossentropy(t, p, { labelSmoothing: 0.2, fromLogits: true }), yTrue: oneHot, yPred: () => rand(shape) },
];

describe('loss gradients (finite differences, float64)', () => {
  for (const c of cases) {
    test(c.name, () => {
      const yTrue = c.yTrue();
      checkGradients((p) => c.f(yTrue, p), [c.yPred()]);
      if (c.targets) {
        const yPred = c.yPred();
        checkGradients((t) => c.f(t, yPred), [c.yTrue()]);
      }
    });
  }
});
