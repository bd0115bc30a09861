/**
 * The fused sequence ops against the composed form: an LSTM or GRU run as one op (unroll false, the
 * default) gives the outputs, final states and gradients of the same layer run step by step (unroll true),
 * for every setting the fused path takes (masks, backwards, initial states, zeroOutputForMask, input
 * dropout, hard sigmoid gates, both GRU forms), in float64.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { mul, sum } from '../ops/index.js';
import { tensor } from '../tensor/creation.js';
import { variableGrads } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../util/random.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RNN } from './rnn.js';
import { float64Input } from './testing.js';

interface Setting {
  returnSequences?: boolean;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
  dropout?: number;
  recurrentActivation?: 'sigmoid' | 'hardSigmoid';
}

const MAKERS: [string, (s: Setting & { unroll: boolean }) => RNN][] = [
  ['LSTM', (s) => new LSTM({ units: 3, returnState: true, dtype: 'float64', ...s })],
  ['GRU', (s) => new GRU({ units: 3, returnState: true, dtype: 'float64', ...s })],
  ['GRU reset before', (s) => new GRU({ units: 3, returnState: true, resetAfter: false, dtype: 'float64', ...s })],
];

const SETTINGS: [string, Setting, { masked: boolean; initial: boolean; training: boolean }][] = [
  ['last output', {}, { masked: false, initial: false, training: false }],
  ['sequences, masked', { returnSequences: true }, { masked: true, initial: false, training: false }],
  ['backwards, masked, initial states', { returnSequences: true, goBackwards: true }, { masked: true, initial: true, training: false }],
  ['last output, masked, initial states', {}, { masked: true, initial: true, training: false }],
  ['zeroOutputForMask', { returnSequences: true, zeroOutputForMask: true }, { masked: true, initial: true, training: false }],
  ['input dropout in training', { returnSequences: true, dropout: 0.4 }, { masked: true, initial: false, training: true }],
  ['hard sigmoid gates', { recurrentActivation: 'hardSigmoid' }, { masked: true, initial: false, training: false }],
];

function maxDifference(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return a.sub(b).abs().max().item();
}

describe('fused sequence ops equal the step-by-step form', () => {
  // Masks with leading masked steps, a fully masked row and a masked last step.
  const mask = tensor([[false, true, true, false, true], [true, true, false, true, false], [false, false, false, false, false]]);
  for (const [name, make] of MAKERS) {
    test(`${name}: outputs, states and every gradient`, () => {
      for (const [label, setting, { masked, initial, training }] of SETTINGS) {
        const fused = make({ ...setting, unroll: false });
        const composed = make({ ...setting, unroll: true });
        const x = float64Input([3, 5, 4], 2);
        fused.applyWithState(x);
        fused.setWeights(fused.getWeights().map((w, i) => float64Input([...w.shape], 30 + i, -0.8, 0.8)));
        composed.applyWithState(x);
        composed.setWeights(fused.getWeights());
        const states = initial ? fused.stateSizes.map((size, i) => float64Input([3, size], 60 + i)) : undefined;
        const run = (layer: RNN): Tensor[] => {
          setSeed(5);
          const { output, states: final } = layer.applyWithState(x, { ...(masked ? { mask } : {}), ...(states ? { initialState: states } : {}), training });
          return [output, ...final];
        };
        const [a, b] = [run(fused), run(composed)];
        a.forEach((t, i) => assert.ok(maxDifference(t, b[i]!) < 1e-12, `${name}, ${label}: output ${i} differs by ${maxDifference(t, b[i]!)}`));
        const projections = a.map((t, i) => float64Input([...t.shape], 90 + i));
        const gradients = (layer: RNN): Tensor[] => {
          const loss = (): Tensor => run(layer).map((t, i) => sum(mul(t, projections[i]!))).reduce((p, q) => p.add(q));
          const { grads } = variableGrads(loss, layer.trainableWeights);
          return layer.trainableWeights.map((w) => grads.get(w)!);
        };
        const [ga, gb] = [gradients(fused), gradients(composed)];
        ga.forEach((g, i) => assert.ok(maxDifference(g, gb[i]!) < 1e-11, `${name}, ${label}: gradient of weight ${i} differs by ${maxDifference(g, gb[i]!)}`));
      }
    });
  }

  test('recurrent dropout in training, relu activation or other gates run step by step; the results still agree', () => {
    const x = float64Input([2, 4, 3], 4);
    for (const options of [{ recurrentDropout: 0.3 }, { activation: 'relu' }, { recurrentActivation: 'tanh' }] as const) {
      const a = new LSTM({ units: 2, dtype: 'float64', ...options });
      const b = new LSTM({ units: 2, dtype: 'float64', unroll: true, ...options });
      a.apply(x);
      b.apply(x);
      b.setWeights(a.getWeights());
      setSeed(1);
      const ya = a.apply(x, { training: true });
      setSeed(1);
      assert.ok(maxDifference(ya, b.apply(x, { training: true })) < 1e-12);
    }
  });
});
