import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor, zeros } from '../tensor/creation.js';
import { setSeed } from '../util/random.js';
import { GRU } from './gru.js';
import { GRUCell } from './gru-cell.js';
import { Input } from './input-layer.js';
import { LSTM } from './lstm.js';
import { LSTMCell } from './lstm-cell.js';
import type { Matrix, ReferenceKind } from './recurrent-reference.js';
import { referenceRNN } from './recurrent-reference.js';
import type { RNN } from './rnn.js';
import { SimpleRNN } from './simple-rnn.js';
import { float64Input } from './testing.js';

const hardSigmoid = (v: number): number => Math.min(1, Math.max(0, 0.2 * v + 0.5));

/** The layer's weights as the reference takes them. */
function weightsOf(layer: RNN): { kernel: Matrix; recurrentKernel: Matrix; bias?: number[] | Matrix } {
  const [kernel, recurrentKernel, bias] = layer.getWeights().map((w) => w.toArray());
  return { kernel: kernel as Matrix, recurrentKernel: recurrentKernel as Matrix, ...(bias ? { bias: bias as number[] | Matrix } : {}) };
}

function maxDifference(a: unknown, b: unknown): number {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  const [x, y] = [flat(a), flat(b)];
  assert.equal(x.length, y.length, 'same number of values');
  return Math.max(0, ...x.map((v, i) => Math.abs(v - y[i]!)));
}

/** Random weights in a range where the gates are not saturated, so that differences show. */
function randomizeWeights(layer: RNN, seed: number): void {
  setSeed(seed);
  layer.setWeights(layer.getWeights().map((w) => float64Input([...w.shape], seed++, -0.6, 0.6)));
}

const KINDS: [ReferenceKind, (options: { returnSequences?: boolean; goBackwards?: boolean; zeroOutputForMask?: boolean }) => RNN][] = [
  ['simpleRNN', (o) => new SimpleRNN({ units: 3, dtype: 'float64', ...o })],
  ['lstm', (o) => new LSTM({ units: 3, dtype: 'float64', ...o })],
  ['gru', (o) => new GRU({ units: 3, resetAfter: false, dtype: 'float64', ...o })],
  ['gruResetAfter', (o) => new GRU({ units: 3, dtype: 'float64', ...o })],
];

describe('SimpleRNN, LSTM and GRU compute what Keras computes', () => {
  const x = float64Input([2, 5, 4], 11);
  const xs = x.toArray() as number[][][];
  for (const [kind, make] of KINDS) {
    test(`${kind}: last output, sequences, backwards, final states`, () => {
      for (const returnSequences of [false, true]) {
        for (const goBackwards of [false, true]) {
          const layer = make({ returnSequences, goBackwards });
          layer.apply(x);
          randomizeWeights(layer, 5);
          const y = layer.apply(x);
          const expected = referenceRNN(kind, weightsOf(layer), xs, { returnSequences, goBackwards });
          assert.deepEqual(y.shape, returnSequences ? [2, 5, 3] : [2, 3]);
          assert.ok(maxDifference(y.toArray(), expected.output) < 1e-12, `${kind} returnSequences ${returnSequences} goBackwards ${goBackwards}`);
        }
      }
    });

    test(`${kind}: masked timesteps carry the states and repeat the last output (zeros with zeroOutputForMask)`, () => {
      const mask = [[true, false, true, true, false], [false, false, true, false, true]];
      for (const zeroOutputForMask of [false, true]) {
        for (const goBackwards of [false, true]) {
          const layer = make({ returnSequences: true, zeroOutputForMask, goBackwards });
          layer.apply(x);
          randomizeWeights(layer, 9);
          const y = layer.apply(x, { mask: tensor(mask) });
          const expected = referenceRNN(kind, weightsOf(layer), xs, { returnSequences: true, mask, zeroOutputForMask, goBackwards });
          assert.ok(maxDifference(y.toArray(), expected.output) < 1e-12, `zeroOutputForMask ${zeroOutputForMask}, goBackwards ${goBackwards}`);
        }
      }
      // Sample 0 at step 1 is masked: without zeroOutputForMask it repeats step 0's output.
      const layer = make({ returnSequences: true });
      const y = layer.apply(x, { mask: tensor(mask) }).toArray() as number[][][];
      assert.deepEqual(y[0]![1], y[0]![0]);
      assert.deepEqual(y[1]![0], [0, 0, 0], 'before the first unmasked step the output is zeros');
      assert.deepEqual(layer.invokeNode([x], [tensor(mask)], {}).masks[0]!.toArray(), mask, 'a returned sequence keeps the mask');
    });
  }

  test('a fully masked sequence gives zeros and keeps its initial state', () => {
    const layer = new LSTM({ units: 2, returnState: true, dtype: 'float64' });
    const h0 = float64Input([2, 2], 1), c0 = float64Input([2, 2], 2);
    const { output, states } = layer.applyWithState(x, { mask: tensor([[false, false, false, false, false], [true, true, true, true, true]]), initialState: [h0, c0] });
    assert.deepEqual((output.toArray() as number[][])[0], [0, 0]);
    assert.deepEqual((states[0]!.toArray() as number[][])[0], (h0.toArray() as number[][])[0]);
    assert.deepEqual((states[1]!.toArray() as number[][])[0], (c0.toArray() as number[][])[0]);
  });

  test('TensorFlow.js defaults: hard sigmoid gates, no unit forget bias', () => {
    const layer = new LSTM({ units: 3, recurrentActivation: 'hardSigmoid', unitForgetBias: false, dtype: 'float64' });
    layer.apply(x);
    randomizeWeights(layer, 4);
    const expected = referenceRNN('lstm', weightsOf(layer), xs, { recurrentActivation: hardSigmoid });
    assert.ok(maxDifference(layer.apply(x).toArray(), expected.output) < 1e-12);
    const relu = new GRU({ units: 2, activation: 'relu', recurrentActivation: 'hardSigmoid', resetAfter: false, dtype: 'float64' });
    relu.apply(x);
    randomizeWeights(relu, 8);
    const expectedRelu = referenceRNN('gru', weightsOf(relu), xs, { activation: (v) => Math.max(0, v), recurrentActivation: hardSigmoid });
    assert.ok(maxDifference(relu.apply(x).toArray(), expectedRelu.output) < 1e-12);
  });

  test('initial states and returnState', () => {
    for (const [kind, make] of KINDS) {
      const layer = make({});
      layer.apply(x);
      randomizeWeights(layer, 3);
      const count = kind === 'lstm' ? 2 : 1;
      const initial = Array.from({ length: count }, (_, k) => float64Input([2, 3], 20 + k));
      const y = layer.apply(x, { initialState: initial });
      const expected = referenceRNN(kind, weightsOf(layer), xs, { initialState: initial.map((t) => t.toArray() as Matrix) });
      assert.ok(maxDifference(y.toArray(), expected.output) < 1e-12, kind);
    }
    const lstm = new LSTM({ units: 3, returnState: true, returnSequences: true, dtype: 'float64' });
    const { output, states } = lstm.applyWithState(x);
    const expected = referenceRNN('lstm', weightsOf(lstm), xs, { returnSequences: true });
    assert.deepEqual(output.shape, [2, 5, 3]);
    assert.ok(maxDifference(states.map((s) => s.toArray()), expected.states) < 1e-12, 'h and c');
    assert.throws(() => lstm.apply(x), /LSTM '.*': it gives several outputs \(returnState is true\), so apply\(\) cannot return one tensor; use applyWithState/);
    assert.throws(() => new LSTM({ units: 3 }).applyWithState(x), /applyWithState gives the final states, which needs the option returnState: true/);
  });
});

describe('LSTM and GRU weights as Keras and TensorFlow.js lay them out', () => {
  test('shapes and names; unit forget bias; GRU resetAfter keeps two biases', () => {
    const lstm = new LSTM({ units: 4, name: 'lstm_w' });
    lstm.apply(zeros([1, 2, 3]));
    assert.deepEqual(lstm.weights.map((w) => [w.name, w.shape]), [['lstm_w/kernel', [3, 16]], ['lstm_w/recurrent_kernel', [4, 16]], ['lstm_w/bias', [16]]]);
    assert.deepEqual(lstm.weights[2]!.toArray(), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], 'the forget gate starts at 1');
    const gru = new GRU({ units: 2, name: 'gru_w' });
    gru.apply(zeros([1, 2, 3]));
    assert.deepEqual(gru.weights.map((w) => [w.name, w.shape]), [['gru_w/kernel', [3, 6]], ['gru_w/recurrent_kernel', [2, 6]], ['gru_w/bias', [2, 6]]]);
    const tfjsGru = new GRU({ units: 2, resetAfter: false });
    tfjsGru.apply(zeros([1, 2, 3]));
    assert.deepEqual(tfjsGru.weights[2]!.shape, [6]);
  });

  test('the recurrent kernel starts orthogonal', () => {
    const layer = new SimpleRNN({ units: 5, dtype: 'float64' });
    layer.apply(zeros([1, 1, 2], 'float64'));
    const u = layer.weights[1]!;
    const product = u.transpose().matmul(u).toArray() as number[][];
    product.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-12, `U^T U [${i}, ${j}] = ${v}`)));
  });
});

describe('cells', () => {
  test('a cell runs one step; its call gives the output and the states', () => {
    const cell = new LSTMCell({ units: 2, dtype: 'float64' });
    const xt = float64Input([3, 4], 1);
    const h = float64Input([3, 2], 2), c = float64Input([3, 2], 3);
    const y = cell.invoke([xt, h, c], {});
    const { output, states } = cell.call(xt, [h, c], {});
    assert.deepEqual(y.toArray(), output.toArray());
    assert.equal(states.length, 2);
    const layer = new LSTM({ units: 2, dtype: 'float64' });
    layer.apply(xt.reshape([3, 1, 4]));
    layer.setWeights(cell.getWeights());
    assert.ok(maxDifference(layer.apply(xt.reshape([3, 1, 4]), { initialState: [h, c] }).toArray(), output.toArray()) < 1e-15);
    assert.deepEqual(new GRUCell({ units: 3 }).stateSize, [3]);
    assert.deepEqual(cell.stateSize, [2, 2]);
  });
});

describe('dropout', () => {
  test('only in training; the same features dropped at every step; inference is deterministic', () => {
    const x = float64Input([4, 6, 8], 3);
    const layer = new SimpleRNN({ units: 3, dropout: 0.5, recurrentDropout: 0.3, returnSequences: true, dtype: 'float64' });
    const inference = layer.apply(x);
    assert.deepEqual(layer.apply(x).toArray(), inference.toArray());
    setSeed(1);
    const a = layer.apply(x, { training: true });
    setSeed(1);
    const b = layer.apply(x, { training: true });
    assert.deepEqual(a.toArray(), b.toArray(), 'seeded');
    assert.ok(maxDifference(a.toArray(), inference.toArray()) > 1e-3, 'training drops');
    // An input of ones with the input mask fixed per sequence: the step's input projection is the same at every step.
    const probe = new SimpleRNN({ units: 2, dropout: 0.5, returnSequences: true, dtype: 'float64', useBias: false });
    probe.apply(x);
    probe.setWeights([float64Input([8, 2], 4), zeros([2, 2], 'float64'), ]);
    const steps = probe.apply(tensor(Array.from({ length: 4 }, () => Array.from({ length: 6 }, () => new Array(8).fill(1))), { dtype: 'float64' }), { training: true }).toArray() as number[][][];
    for (const sample of steps) for (const s of sample) assert.deepEqual(s, sample[0], 'one dropout mask per sequence');
  });
});

describe('stateful layers', () => {
  test('carry the final states into the next batch; resetStates starts over or sets them', () => {
    const x = float64Input([2, 6, 3], 5);
    const whole = new GRU({ units: 3, dtype: 'float64' });
    whole.apply(x);
    const stateful = new GRU({ units: 3, stateful: true, dtype: 'float64' });
    stateful.apply(x.slice([0, 0, 0], [2, 3, 3]));
    stateful.setWeights(whole.getWeights());
    stateful.resetStates();
    stateful.apply(x.slice([0, 0, 0], [2, 3, 3]));
    const second = stateful.apply(x.slice([0, 3, 0], [2, 3, 3]));
    assert.ok(maxDifference(second.toArray(), whole.apply(x).toArray()) < 1e-12, 'two halves equal the whole sequence');
    stateful.resetStates();
    assert.equal(stateful.states, null);
    assert.throws(() => {
      stateful.apply(x.slice([0, 0, 0], [2, 3, 3]));
      stateful.apply(x.slice([0, 0, 0], [1, 3, 3]));
    }, /GRU '.*': it is stateful and holds states for batches of 2, but received a batch of 1/);
    stateful.resetStates([zeros([1, 3], 'float64')]);
    assert.deepEqual(stateful.states![0]!.shape, [1, 3]);
    assert.throws(() => whole.resetStates(), /resetStates needs a stateful layer/);
  });
});

describe('errors name the layer and the argument', () => {
  const lstm = (): LSTM => new LSTM({ units: 2, name: 'lstm_errors' });
  test('wrong rank, sequences of length 0, bad masks, bad initial states', () => {
    assert.throws(() => lstm().apply(zeros([2, 3])), /LSTM 'lstm_errors': argument 'x' expected a sequence of rank 3 \[batch, timesteps, features\], received shape \[null, 3\]/);
    assert.throws(() => lstm().apply(zeros([2, 0, 3])), /LSTM 'lstm_errors': argument 'x' holds sequences of length 0 \(shape \[null, 0, 3\]\); a recurrent layer needs at least one timestep/);
    assert.throws(() => lstm().apply(zeros([2, 4, 3]), { mask: tensor([[true, false]]) }), /LSTM 'lstm_errors': argument 'mask' expected a mask of shape \[2, 4\] \(batch, timesteps\), received shape \[1, 2\]/);
    assert.throws(() => lstm().apply(zeros([2, 4, 3]), { initialState: [zeros([2, 2])] }), /LSTM 'lstm_errors': option 'initialState' expected 2 tensors \(\[2, 2\], \[2, 2\]\), received 1/);
    assert.throws(() => lstm().apply(zeros([2, 4, 3]), { initialState: [zeros([2, 2]), zeros([2, 3])] }), /option 'initialState\[1\]' expected shape \[2, 2\] \(batch, state size\), received \[2, 3\]/);
    const built = lstm();
    built.apply(zeros([2, 4, 3]));
    assert.throws(() => built.apply(zeros([2, 4, 5])), /LSTM 'lstm_errors': expected input with last dimension 3, received shape \[null, 4, 5\]/);
  });

  test('unknown and wrong options', () => {
    assert.throws(() => new LSTM({ units: 2, returnSequence: true } as never), /LSTM: unknown option 'returnSequence' \(did you mean 'returnSequences'\?\)/);
    assert.throws(() => new GRU({ units: 0 }), /GRU: option 'units' expected a positive integer, received 0/);
    assert.throws(() => new SimpleRNN({ units: 2, dropout: 1 }), /SimpleRNN: option 'dropout' expected a number in \[0, 1\), received 1/);
    assert.throws(() => new LSTM({ units: 2, name: 'named', recurrentActivation: 'sigmod' }), /LSTM 'named'.*recurrentActivation|LSTM 'named'.*sigmod/);
    assert.throws(() => new LSTMCell({ units: 2, resetAfter: true } as never), /LSTMCell: unknown option 'resetAfter'/);
  });

  test('a symbolic graph records initial states as inputs and states as outputs', () => {
    const input = Input({ shape: [4, 3] });
    const encoder = new LSTM({ units: 2, returnState: true });
    const { output, states } = encoder.applyWithState(input);
    assert.deepEqual(output.shape, [null, 2]);
    assert.deepEqual(states.map((s) => [s.shape, s.index]), [[[null, 2], 1], [[null, 2], 2]]);
    const decoded = new LSTM({ units: 2, returnSequences: true }).apply(input, { initialState: states });
    assert.deepEqual(decoded.node.inputs, [input, ...states]);
    assert.throws(() => new LSTM({ units: 3 }).apply(input, { initialState: states }), /initial state 0 expected shape \[batch, 3\], received \[null, 2\]/);
  });
});
