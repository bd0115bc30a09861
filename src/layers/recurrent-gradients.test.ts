/**
 * Gradients through time, against central differences in float64: every recurrent layer with respect to
 * its input sequence, its initial states and every weight, masked and not, backwards and not, with
 * dropout in training (the masks drawn from the same seed at every evaluation).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { mul, sum } from '../ops/index.js';
import { tensor } from '../tensor/creation.js';
import { variableGrads } from '../tensor/tape.js';
import { storage } from '../tensor/tensor.js';
import { Bidirectional } from './bidirectional.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { GRU } from './gru.js';
import { GRUCell } from './gru-cell.js';
import { LSTM } from './lstm.js';
import { LSTMCell } from './lstm-cell.js';
import type { RNN } from './rnn.js';
import { RNN as GenericRNN } from './rnn.js';
import { SimpleRNN } from './simple-rnn.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import { TimeDistributed } from './time-distributed.js';
import { checkLayerGradients, float64Input } from './testing.js';

const mask = tensor([[true, false, true, true], [false, true, true, false]]);

const LAYERS: [string, (o: { returnSequences: boolean; goBackwards: boolean }) => RNN][] = [
  ['SimpleRNN', (o) => new SimpleRNN({ units: 3, dtype: 'float64', ...o })],
  ['LSTM', (o) => new LSTM({ units: 3, dtype: 'float64', ...o })],
  ['GRU (resetAfter)', (o) => new GRU({ units: 3, dtype: 'float64', ...o })],
  ['GRU (reset before)', (o) => new GRU({ units: 3, resetAfter: false, dtype: 'float64', ...o })],
  ['RNN over stacked cells', (o) => new GenericRNN({ cell: [new SimpleRNNCell({ units: 2, dtype: 'float64' }), new LSTMCell({ units: 2, dtype: 'float64' })], dtype: 'float64', ...o })],
];

describe('recurrent layers: gradients through time match finite differences', () => {
  for (const [name, make] of LAYERS) {
    test(`${name}: unmasked and masked, last output and sequences, forwards and backwards`, () => {
      for (const [returnSequences, goBackwards, masked] of [[false, false, false], [true, false, true], [false, true, true], [true, true, false]] as const) {
        const layer = make({ returnSequences, goBackwards });
        checkLayerGradients(layer, float64Input([2, 4, 3], 17), masked ? { mask } : {});
      }
    });
  }

  test('initial states receive their gradients', () => {
    const layer = new LSTM({ units: 2, dtype: 'float64' });
    checkLayerGradients(layer, [float64Input([2, 3, 3], 1), float64Input([2, 2], 2), float64Input([2, 2], 3)], { mask: tensor([[true, false, true], [false, false, true]]) });
  });

  test('dropout and recurrent dropout in training', () => {
    checkLayerGradients(new LSTM({ units: 3, dropout: 0.3, recurrentDropout: 0.4, dtype: 'float64' }), float64Input([2, 4, 3], 5), { training: true });
    checkLayerGradients(new GRU({ units: 2, dropout: 0.2, recurrentDropout: 0.5, resetAfter: false, dtype: 'float64' }), float64Input([2, 3, 3], 6), { training: true });
  });

  test('Bidirectional (every merge mode) and TimeDistributed', () => {
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const) {
      checkLayerGradients(new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true, dtype: 'float64' }), mergeMode }), float64Input([2, 4, 3], 8), { mask });
    }
    checkLayerGradients(new Bidirectional({ layer: new LSTM({ units: 2, dtype: 'float64' }) }), float64Input([2, 4, 3], 9), { mask });
    checkLayerGradients(new TimeDistributed({ layer: new Dense({ units: 2, activation: 'tanh', dtype: 'float64' }) }), float64Input([2, 3, 4], 10));
  });

  test('Embedding: the rows the indices pick get the gradient, others none', () => {
    const layer = new Embedding({ inputDim: 5, outputDim: 2, dtype: 'float64' });
    const indices = tensor([[1, 3, 1], [0, 4, 4]], { dtype: 'int32' });
    const projection = float64Input([2, 3, 2], 4);
    const loss = () => sum(mul(layer.apply(indices), projection));
    loss();
    const table = layer.embeddings!;
    const grad = storage(variableGrads(loss, [table]).grads.get(table)!);
    const values = storage(table) as Float64Array;
    for (let i = 0; i < values.length; i++) {
      const saved = values[i]!;
      values[i] = saved + 1e-6;
      const plus = loss().item();
      values[i] = saved - 1e-6;
      const minus = loss().item();
      values[i] = saved;
      assert.ok(Math.abs((plus - minus) / 2e-6 - grad[i]!) < 1e-6, `row ${Math.floor(i / 2)}`);
    }
    assert.deepEqual([...grad.slice(4, 6)], [0, 0], 'index 2 is never used');
  });

  test('cells of every kind, one step', () => {
    for (const cell of [new SimpleRNNCell({ units: 2, dtype: 'float64' }), new GRUCell({ units: 2, dtype: 'float64' }), new LSTMCell({ units: 2, dtype: 'float64' })]) {
      const states = cell.stateSize.map((s, i) => float64Input([3, s], 40 + i));
      checkLayerGradients(cell, [float64Input([3, 4], 12), ...states]);
    }
  });
});
