import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { add, concat, gather, linear, matmul, tanh } from '../ops/index.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { LayerShape } from './layer-shape.js';
import { Bidirectional } from './bidirectional.js';
import { Dense } from './dense.js';
import { GRU } from './gru.js';
import { GRUCell } from './gru-cell.js';
import { LSTM } from './lstm.js';
import { LSTMCell } from './lstm-cell.js';
import { RNN } from './rnn.js';
import type { CellOutput } from './rnn-cell.js';
import { RNNCell } from './rnn-cell.js';
import { SimpleRNN } from './simple-rnn.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import { TimeDistributed } from './time-distributed.js';
import { float64Input } from './testing.js';

function maxDifference(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return a.sub(b).abs().max().item();
}

/** A cell written as a user would: h' = tanh(x W + h U), two states of which the second counts steps. */
class CountingCell extends RNNCell {
  #w!: Variable;
  #u!: Variable;

  constructor(readonly units: number) {
    super({ dtype: 'float64' });
  }

  get stateSize(): readonly number[] {
    return [this.units, 1];
  }

  override build(shape: LayerShape): void {
    this.#w = this.addWeight({ name: 'w', shape: [shape[1]!, this.units] });
    this.#u = this.addWeight({ name: 'u', shape: [this.units, this.units] });
  }

  call(x: Tensor, [h, count]: readonly Tensor[]): CellOutput {
    const y = tanh(add(matmul(x, this.#w), matmul(h!, this.#u)));
    return { output: y, states: [y, count!.add(1)] };
  }
}

describe('RNN with any cell', () => {
  test('a cell of your own runs over time; its states come back with returnState', () => {
    const x = float64Input([2, 4, 3], 1);
    const cell = new CountingCell(2);
    const layer = new RNN({ cell, returnSequences: true, returnState: true, dtype: 'float64' });
    const { output, states } = layer.applyWithState(x);
    assert.deepEqual(output.shape, [2, 4, 2]);
    assert.deepEqual(states[1]!.toArray(), [[4], [4]], 'four steps counted');
    // The same loop by hand.
    const [w, u] = layer.weights as [Variable, Variable];
    let h = zeros([2, 2], 'float64');
    for (let t = 0; t < 4; t++) h = tanh(add(matmul(x.slice([0, t, 0], [2, 1, 3]).reshape([2, 3]), w), matmul(h, u)));
    assert.ok(maxDifference(states[0]!, h) < 1e-15);
    assert.deepEqual(layer.weights.map((v) => v.name), [`${layer.name}/w`, `${layer.name}/u`], 'the cell\'s weights are named after the layer');
    assert.throws(() => new Bidirectional({ layer }), /CountingCell '.*': this cell cannot be copied; give it a clone\(\) method/);
  });

  test('LSTM is RNN over LSTMCell; StackedRNNCells feeds each cell\'s output to the next', () => {
    const x = float64Input([3, 5, 4], 2);
    const lstm = new LSTM({ units: 3, dtype: 'float64' });
    const generic = new RNN({ cell: new LSTMCell({ units: 3, dtype: 'float64' }), dtype: 'float64' });
    lstm.apply(x);
    generic.apply(x);
    generic.setWeights(lstm.getWeights());
    assert.ok(maxDifference(generic.apply(x), lstm.apply(x)) < 1e-15);

    const stacked = new RNN({ cell: [new LSTMCell({ units: 3, dtype: 'float64' }), new GRUCell({ units: 2, dtype: 'float64' })], returnSequences: true, dtype: 'float64' });
    stacked.apply(x);
    assert.deepEqual(stacked.weights.map((w) => w.name.replace(stacked.name, 'rnn')), [
      'rnn/RNNCell_0/kernel', 'rnn/RNNCell_0/recurrent_kernel', 'rnn/RNNCell_0/bias', 'rnn/RNNCell_1/kernel', 'rnn/RNNCell_1/recurrent_kernel', 'rnn/RNNCell_1/bias',
    ]);
    const first = new LSTM({ units: 3, returnSequences: true, dtype: 'float64' });
    const second = new GRU({ units: 2, returnSequences: true, dtype: 'float64' });
    first.apply(x);
    second.apply(first.apply(x));
    const w = stacked.getWeights();
    first.setWeights(w.slice(0, 3));
    second.setWeights(w.slice(3));
    assert.ok(maxDifference(stacked.apply(x), second.apply(first.apply(x))) < 1e-15);
    assert.deepEqual(stacked.cell.stateSize, [3, 3, 2]);
  });
});

describe('Bidirectional', () => {
  const x = float64Input([2, 5, 3], 4);
  const mask = tensor([[true, true, true, false, false], [true, false, true, true, true]]);

  for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
    test(`mergeMode ${mergeMode}: a forward and a backward copy, the backward sequence put back in time order`, () => {
      const bi = new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true, dtype: 'float64' }), mergeMode, name: `bi_${mergeMode}` });
      const outputs = bi.outputs(x, { mask });
      const forward = new GRU({ units: 3, returnSequences: true, zeroOutputForMask: true, dtype: 'float64' });
      const backward = new GRU({ units: 3, returnSequences: true, zeroOutputForMask: true, goBackwards: true, dtype: 'float64' });
      forward.apply(x);
      backward.apply(x);
      forward.setWeights(bi.getWeights().slice(0, 3));
      backward.setWeights(bi.getWeights().slice(3));
      const f = forward.apply(x, { mask });
      const b = gather(backward.apply(x, { mask }), tensor([4, 3, 2, 1, 0], { dtype: 'int32' }), 1);
      const expected = { concat: [concat([f, b], -1)], sum: [f.add(b)], mul: [f.mul(b)], ave: [f.add(b).mul(0.5)], null: [f, b] }[String(mergeMode) as 'concat'];
      assert.equal(outputs.length, expected.length);
      outputs.forEach((o, i) => assert.ok(maxDifference(o, expected[i]!) < 1e-15));
      assert.deepEqual(bi.invokeNode([x], [mask], {}).masks.map((m) => m!.toArray()), outputs.map(() => mask.toArray()), 'the sequences keep the mask');
      assert.deepEqual((outputs[0]!.toArray() as number[][][])[0]![4], new Array(mergeMode === 'concat' ? 6 : 3).fill(0), 'zeros at masked steps');
      assert.deepEqual(bi.weights.map((v) => v.name), ['kernel', 'recurrent_kernel', 'bias'].flatMap((n) => [`bi_${mergeMode}/forward_${bi.layer.name}/${n}`]).concat(
        ['kernel', 'recurrent_kernel', 'bias'].map((n) => `bi_${mergeMode}/backward_${bi.layer.name}/${n}`),
      ));
    });
  }

  test('returnState gives forward then backward states; initial states go in the same order', () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 2, returnState: true, dtype: 'float64' }) });
    const initial = [0, 1, 2, 3].map((i) => float64Input([2, 2], 30 + i));
    const { output, states } = bi.applyWithState(x, { initialState: initial });
    assert.deepEqual(output.shape, [2, 4]);
    assert.equal(states.length, 4);
    const f = bi.forwardLayer.applyWithState(x, { initialState: initial.slice(0, 2) });
    const b = bi.backwardLayer.applyWithState(x, { initialState: initial.slice(2) });
    assert.ok(maxDifference(states[0]!, f.states[0]!) < 1e-15 && maxDifference(states[3]!, b.states[1]!) < 1e-15);
    assert.ok(maxDifference(output, concat([f.output, b.output], -1)) < 1e-15, 'last outputs are not reversed');
  });

  test('backwardLayer, and its checks', () => {
    const backward = new SimpleRNN({ units: 2, goBackwards: true, name: 'back' });
    const bi = new Bidirectional({ layer: new SimpleRNN({ units: 2 }), backwardLayer: backward });
    assert.equal(bi.backwardLayer, backward);
    assert.equal(bi.apply(zeros([1, 3, 2])).shape[1], 4);
    assert.throws(() => new Bidirectional({ layer: new SimpleRNN({ units: 2 }), backwardLayer: new SimpleRNN({ units: 2 }) }), /must read the other way than 'layer'/);
    assert.throws(
      () => new Bidirectional({ layer: new SimpleRNN({ units: 2 }), backwardLayer: new SimpleRNN({ units: 2, goBackwards: true, returnSequences: true }) }),
      /must have the same returnSequences as 'layer' \(false\), received true/,
    );
    assert.throws(() => new Bidirectional({ layer: new Dense({ units: 2 }) as never }), /Bidirectional: option 'layer' expected a recurrent layer \(LSTM, GRU, SimpleRNN, RNN\)/);
    assert.throws(() => new Bidirectional({ layer: new LSTM({ units: 2 }), mergeMode: 'max' as never }), /option 'mergeMode' expected one of "concat", "sum", "mul", "ave" or null/);
  });
});

describe('TimeDistributed', () => {
  test('applies the layer to every timestep with one set of weights, named after the wrapper', () => {
    const x = float64Input([2, 4, 3], 6);
    const td = new TimeDistributed({ layer: new Dense({ units: 5, activation: 'relu', dtype: 'float64' }), name: 'td' });
    const y = td.apply(x);
    assert.deepEqual(y.shape, [2, 4, 5]);
    const [kernel, bias] = td.weights as [Variable, Variable];
    assert.ok(maxDifference(y, linear(x, kernel, { bias, activation: 'relu' })) < 1e-15);
    assert.deepEqual(td.weights.map((w) => w.name), ['td/kernel', 'td/bias']);
    assert.deepEqual(td.computeOutputShape([null, 7, 3]), [null, 7, 5]);
    const mask = tensor([[true, false, true, true], [true, true, false, false]]);
    assert.deepEqual(td.invokeNode([x], [mask], {}).masks[0]!.toArray(), mask.toArray(), 'the mask passes through');
    assert.throws(() => td.apply(zeros([2, 3])), /TimeDistributed 'td': expected a sequence of rank at least 3 \[batch, timesteps, \.\.\.\], received shape \[2, 3\]/);
  });

  test('wraps a recurrent layer over sequences of sequences', () => {
    const x = float64Input([2, 3, 4, 2], 7);
    const td = new TimeDistributed({ layer: new SimpleRNN({ units: 3, dtype: 'float64' }) });
    const y = td.apply(x);
    assert.deepEqual(y.shape, [2, 3, 3]);
    const inner = new SimpleRNN({ units: 3, dtype: 'float64' });
    inner.apply(x.reshape([6, 4, 2]));
    inner.setWeights(td.getWeights());
    assert.ok(maxDifference(y.reshape([6, 3]), inner.apply(x.reshape([6, 4, 2]))) < 1e-15);
  });
});

describe('clones for Bidirectional keep the settings', () => {
  test('every built-in cell', () => {
    for (const cell of [new SimpleRNNCell({ units: 2, activation: 'relu' }), new LSTMCell({ units: 2, unitForgetBias: false }), new GRUCell({ units: 2, resetAfter: false })]) {
      const copy = cell.clone();
      assert.notEqual(copy, cell);
      const { name: _a, ...mine } = cell.getConfig();
      const { name: _b, ...theirs } = copy.getConfig();
      assert.deepEqual(theirs, mine);
    }
  });
});
