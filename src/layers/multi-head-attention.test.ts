import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConfigReader } from './config.js';
import { EinsumDense } from './einsum-dense.js';
import { Input } from './input-layer.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { checkLayerGradients, float64Input } from './testing.js';

const maxDiff = (a: Tensor, b: Tensor): number => a.sub(b).abs().max().item();

test('MultiHeadAttention: output and score shapes, and weights named and shaped as Keras saves them', () => {
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, name: 'mha' });
  const [output, scores] = layer.apply(zeros([4, 5, 6]), zeros([4, 7, 8]), { returnAttentionScores: true });
  assert.deepEqual(output.shape, [4, 5, 6]);
  assert.deepEqual(scores.shape, [4, 2, 5, 7]);
  assert.deepEqual(layer.weights.map((w) => [w.name, w.shape]), [
    ['mha/query/kernel', [6, 2, 3]], ['mha/query/bias', [2, 3]], ['mha/key/kernel', [8, 2, 3]], ['mha/key/bias', [2, 3]],
    ['mha/value/kernel', [8, 2, 3]], ['mha/value/bias', [2, 3]], ['mha/attention_output/kernel', [2, 3, 6]], ['mha/attention_output/bias', [6]],
  ]);
  const symbolic = new MultiHeadAttention({ numHeads: 4, keyDim: 2, valueDim: 5, outputShape: 3 });
  const [o, s] = symbolic.apply(Input({ shape: [null, 6] }), Input({ shape: [9, 6] }), { returnAttentionScores: true });
  assert.deepEqual([o.shape, s.shape], [[null, null, 3], [null, 4, null, 9]]);
});

test('MultiHeadAttention: the probabilities sum to 1 over the keys the masks allow; causal and padding masks hide what they should', () => {
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, dtype: 'float64' });
  const x = float64Input([2, 4, 3]);
  const valueMask = tensor([[true, true, true, true], [true, true, false, false]], { dtype: 'bool' });
  const [, scores] = layer.apply(x, x, { returnAttentionScores: true, useCausalMask: true, valueMask });
  const p = scores.toArray() as number[][][][];
  for (let b = 0; b < 2; b++) {
    for (let h = 0; h < 2; h++) {
      for (let t = 0; t < 4; t++) {
        const row = p[b]![h]![t]!;
        assert.ok(Math.abs(row.reduce((a, v) => a + v, 0) - 1) < 1e-12);
        row.forEach((v, s) => { if (s > t || (b === 1 && s >= 2)) assert.equal(v, 0, `batch ${b} head ${h} query ${t} key ${s}`); });
      }
    }
  }
  // Causal: changing the last step leaves the earlier outputs unchanged.
  const later = x.toArray() as number[][][];
  later[0]![3] = [5, -5, 5];
  const y1 = layer.apply(x, x, { useCausalMask: true }), y2 = layer.apply(tensor(later, { dtype: 'float64' }), tensor(later, { dtype: 'float64' }), { useCausalMask: true });
  assert.ok(maxDiff(y1.slice([0, 0, 0], [1, 3, 3]), y2.slice([0, 0, 0], [1, 3, 3])) < 1e-14);
  assert.ok(maxDiff(y1.slice([0, 3, 0], [1, 1, 3]), y2.slice([0, 3, 0], [1, 1, 3])) > 1e-3);
  // An explicit attention mask equal to the causal one gives the same output.
  const causal = tensor([[[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]]);
  assert.ok(maxDiff(layer.apply(x, x, { attentionMask: causal }), y1) < 1e-14);
});

test('MultiHeadAttention: weight and input gradients match finite differences (self, cross with key, causal and masked)', () => {
  const make = (o: Partial<ConstructorParameters<typeof MultiHeadAttention>[0]> = {}) => new MultiHeadAttention({ numHeads: 2, keyDim: 2, dtype: 'float64', biasInitializer: 'randomNormal', ...o });
  checkLayerGradients(make(), [float64Input([2, 3, 4], 1), float64Input([2, 3, 4], 2)]);
  checkLayerGradients(make({ valueDim: 3, outputShape: 2 }), [float64Input([1, 2, 3], 3), float64Input([1, 4, 5], 4), float64Input([1, 4, 2], 5)]);
  checkLayerGradients(make({ numHeads: 1, useBias: false }), [float64Input([2, 3, 2], 6), float64Input([2, 2, 2], 7)], { masks: [null, tensor([[true, false], [true, true]], { dtype: 'bool' })] });
});

test('MultiHeadAttention: dropout drops probabilities only while training', () => {
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 0.5 });
  const x = float64Input([2, 5, 4]).cast('float32');
  assert.equal(maxDiff(layer.apply(x, x), layer.apply(x, x)), 0);
  const [, scores] = layer.apply(x, x, { training: true, returnAttentionScores: true });
  assert.ok([...scores.data()].every((v) => v >= 0), 'scores are returned before dropout');
  assert.ok(maxDiff(layer.apply(x, x, { training: true }), layer.apply(x, x)) > 0);
});

test('MultiHeadAttention: wrong ranks, mismatched shapes, empty sequences and bad masks name the layer and the argument', () => {
  const layer = () => new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'att' });
  assert.throws(() => new MultiHeadAttention({ numHeads: 2, key_dim: 2 } as never), /MultiHeadAttention.*key_dim/);
  assert.throws(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2 }), /MultiHeadAttention.*numHeads/);
  assert.throws(() => new MultiHeadAttention({ numHeads: 1, keyDim: 2, dropout: 1 }), /MultiHeadAttention.*dropout/);
  assert.throws(() => layer().apply(zeros([2, 4]), zeros([2, 4])), /MultiHeadAttention 'att': query expected rank at least 3/);
  assert.throws(() => layer().apply(zeros([2, 3, 4]), zeros([2, 3, 4, 1])), /MultiHeadAttention 'att': value expected rank 3/);
  assert.throws(() => layer().apply(zeros([2, 3, 4]), zeros([2, 5, 4]), { key: zeros([2, 6, 4]) }), /MultiHeadAttention 'att': key expected the value's shape \[null, 5, 4\] on every axis but the last/);
  assert.throws(() => layer().apply(zeros([2, 3, 4]), zeros([3, 5, 4])), /MultiHeadAttention 'att': query, value and key expected one batch size/);
  assert.throws(() => layer().apply(zeros([2, 0, 4]), zeros([2, 3, 4])), /MultiHeadAttention 'att': query expected at least one step/);
  assert.throws(() => layer().apply(zeros([2, 3, 4]), zeros([2, 0, 4])), /MultiHeadAttention 'att': value expected at least one step/);
  assert.throws(() => layer().apply(zeros([2, 3, 4]), zeros([2, 5, 4]), { attentionMask: zeros([2, 5, 3]) }), /MultiHeadAttention 'att': attentionMask expected shape \[2, 3, 5\]/);
  assert.throws(() => layer().apply(zeros([2, 3, 4]), zeros([2, 5, 4]), { valueMask: zeros([2, 3]) }), /MultiHeadAttention 'att': the value mask expected shape \[2, 5\]/);
  assert.throws(() => layer().apply(zeros([2, 3, 4]), zeros([2, 5, 4]), { use_causal_mask: true } as never), /MultiHeadAttention 'att'.apply.*use_causal_mask/);
  assert.throws(() => layer().apply(Input({ shape: [3, 4] }), zeros([2, 5, 4]) as never), /all symbolic or all concrete/);
  const built = layer();
  built.apply(zeros([1, 3, 4]), zeros([1, 3, 4]));
  assert.throws(() => built.apply(zeros([1, 3, 5]), zeros([1, 3, 4])), /MultiHeadAttention 'att': query expected the rank and feature size it was built for/);
});

test('MultiHeadAttention and EinsumDense: Keras configs read back', () => {
  const layer = new MultiHeadAttention({ numHeads: 3, keyDim: 4, valueDim: 2, dropout: 0.1, outputShape: [5], useBias: false });
  layer.apply(zeros([1, 2, 6]), zeros([1, 3, 6]));
  const config = layer.getConfig();
  assert.deepEqual([config['query_shape'], config['value_shape']], [[null, 2, 6], [null, 3, 6]]);
  const { query_shape: _q, key_shape: _k, value_shape: _v, ...settings } = config;
  assert.deepEqual(MultiHeadAttention.fromConfig(new ConfigReader(config, 'mha')).getConfig(), settings, 'built from the file, it writes the same settings');
  const fresh = MultiHeadAttention.fromConfig(new ConfigReader(config, 'mha'));
  assert.deepEqual([fresh.numHeads, fresh.keyDim, fresh.valueDim, fresh.dropout, fresh.outputShape, fresh.useBias], [3, 4, 2, 0.1, [5], false]);
  assert.throws(() => MultiHeadAttention.fromConfig(new ConfigReader({ ...config, kernel_constraint: { class_name: 'MaxNorm', config: {} } }, 'mha')), /kernel_constraint/);
  const dense = new EinsumDense({ equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de' });
  assert.deepEqual(dense.apply(zeros([2, 5, 4])).shape, [2, 5, 2, 3]);
  assert.deepEqual(EinsumDense.fromConfig(new ConfigReader(dense.getConfig(), 'e')).getConfig(), dense.getConfig());
});

test('EinsumDense: a general equation matches the same product written out, and its gradients check', () => {
  // Bias on one letter only: not the fused dense path.
  const layer = new EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 3], biasAxes: 'b', dtype: 'float64', biasInitializer: 'randomNormal' });
  const x = float64Input([2, 4, 5]);
  const y = layer.apply(x);
  const [kernel, bias] = [layer.weights[0]!, layer.weights[1]!];
  assert.deepEqual(bias.shape, [4, 1]);
  assert.ok(maxDiff(y, x.reshape([8, 5]).matmul(kernel).reshape([2, 4, 3]).add(bias)) < 1e-12);
  checkLayerGradients(layer, x);
  checkLayerGradients(new EinsumDense({ equation: '...b,bc->...c', outputShape: 2, biasAxes: 'c', dtype: 'float64', activation: 'tanh' }), float64Input([2, 3, 3]));
  assert.throws(() => new EinsumDense({ equation: 'ab,bc->ac', outputShape: 2, biasAxes: 'z', name: 'e' }).apply(zeros([2, 3])), /EinsumDense 'e': option 'biasAxes' letter 'z'/);
  assert.throws(() => new EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 2], name: 'e' }).apply(zeros([2, 3])), /EinsumDense 'e'.*rank 3/);
});
