/**
 * Save and load of the sequence and attention layers: a Sequential of every 1-D layer, and a functional
 * model whose MultiHeadAttention takes value, key and attention mask by keyword, as Keras 2 and
 * TensorFlow.js write such nodes and as Keras 3 writes them (`{ args, kwargs }`, inputs by position or keyword).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../ops/tensor-methods.js';
import type { JsonObject, JsonValue, Layer } from '../../layers/index.js';
import {
  Add, AveragePooling1D, Conv1D, Cropping1D, Dense, GlobalAveragePooling1D, GlobalMaxPooling1D, Input, LayerNormalization, MaxPooling1D,
  MultiHeadAttention, UpSampling1D, ZeroPadding1D,
} from '../../layers/index.js';
import { randomUniform } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { setSeed } from '../../util/random.js';
import { loadModel } from '../load-model.js';
import { Model } from '../model.js';
import { Sequential } from '../sequential.js';
import { memoryHandler } from './testing.js';

function maxDifference(a: Tensor, b: Tensor): number {
  return a.sub(b).abs().max().item();
}

async function saved(model: Model): Promise<ReturnType<typeof memoryHandler>> {
  const handler = memoryHandler();
  await model.save(handler);
  handler.artifacts = { ...handler.artifacts!, modelTopology: JSON.parse(JSON.stringify(handler.artifacts!.modelTopology)) };
  return handler;
}

async function predictions(model: Model, x: Tensor | Tensor[]): Promise<Tensor[]> {
  return model.predictAll(x);
}

async function assertSamePredictions(loaded: Model, model: Model, x: Tensor | Tensor[]): Promise<void> {
  const [a, b] = [await predictions(loaded, x), await predictions(model, x)];
  assert.equal(a.length, b.length);
  a.forEach((t, i) => assert.equal(maxDifference(t, b[i]!), 0, `output ${i}: identical predictions`));
}

describe('sequence and attention layers survive save and load', () => {
  test('a Sequential of every 1-D layer and LayerNormalization', async () => {
    setSeed(11);
    const model = new Sequential();
    const layers: Layer[] = [
      new Conv1D({ filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
      new MaxPooling1D({ poolSize: 2, padding: 'same' }),
      new ZeroPadding1D({ padding: [1, 2] }),
      new Cropping1D({ cropping: [2, 0] }),
      new UpSampling1D({ size: 3 }),
      new Conv1D({ filters: 4, kernelSize: 2, strides: 2, groups: 2, useBias: false }),
      new AveragePooling1D({ poolSize: 2, strides: 1 }),
      new LayerNormalization({ epsilon: 1e-5, gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 2 }),
    ];
    layers.forEach((l) => model.add(l));
    model.build([null, 9, 3]);
    const handler = await saved(model);
    const loaded = await loadModel(handler);
    assert.deepEqual(loaded.getConfig(), model.getConfig());
    assert.deepEqual(loaded.getWeights().map((w) => w.toArray()), model.getWeights().map((w) => w.toArray()));
    await assertSamePredictions(loaded, model, randomUniform([3, 9, 3]));
  });

  /** An encoder block with keyword inputs: attention with a key, an attention mask input, causal, scores as a second output. */
  function attentionModel(): Model {
    setSeed(12);
    const query = Input({ shape: [5, 8], name: 'query' });
    const context = Input({ shape: [6, 8], name: 'context' });
    const allowed = Input({ shape: [5, 6], name: 'allowed' });
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4, biasInitializer: 'randomNormal', name: 'mha' });
    const [attended, scores] = mha.apply(query, context, { key: context, attentionMask: allowed, useCausalMask: true, returnAttentionScores: true });
    const self = new MultiHeadAttention({ numHeads: 2, keyDim: 3, name: 'self' }).apply(query, query);
    const normed = new LayerNormalization({ name: 'norm' }).apply(new Add().apply([query, attended, self]));
    return new Model({ inputs: [query, context, allowed], outputs: [new GlobalMaxPooling1D().apply(normed), scores] });
  }

  function attentionInputs(): Tensor[] {
    setSeed(13);
    const allowed = randomUniform([2, 5, 6]).greater(0.3).cast('float32');
    return [randomUniform([2, 5, 8]), randomUniform([2, 6, 8]), allowed];
  }

  test('MultiHeadAttention in a functional model: keyword inputs and settings written as Keras 2 and TensorFlow.js write them', async () => {
    const model = attentionModel();
    const handler = await saved(model);
    const layers = (handler.artifacts!.modelTopology as { config: { layers: { name: string; inbound_nodes: JsonValue }[] } }).config.layers;
    assert.deepEqual(layers.find((l) => l.name === 'mha')!.inbound_nodes, [[['query', 0, 0, { value: ['context', 0, 0], key: ['context', 0, 0], attention_mask: ['allowed', 0, 0], use_causal_mask: true, return_attention_scores: true }]]]);
    assert.deepEqual(layers.find((l) => l.name === 'self')!.inbound_nodes, [[['query', 0, 0, { value: ['query', 0, 0] }]]]);
    const loaded = await loadModel(handler);
    assert.deepEqual(loaded.getConfig(), model.getConfig());
    await assertSamePredictions(loaded, model, attentionInputs());
  });

  test('MultiHeadAttention nodes as Keras 3 writes them: inputs by position and by keyword', async () => {
    const model = attentionModel();
    const handler = await saved(model);
    const tensorRef = (ref: JsonValue): JsonObject => ({ class_name: '__keras_tensor__', config: { shape: null, dtype: 'float32', keras_history: ref } });
    const topology = handler.artifacts!.modelTopology as { config: { layers: { name: string; inbound_nodes: JsonValue[] }[] } };
    for (const layer of topology.config.layers) {
      layer.inbound_nodes = layer.inbound_nodes.map((node) => {
        const refs = node as [string, number, number, JsonObject][];
        const kwargs = refs[0]![3];
        if (layer.name === 'mha') {
          // query and value by position, the rest by keyword.
          const { value, ...rest } = kwargs;
          const named = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Array.isArray(v) ? tensorRef(v) : v]));
          return { args: [tensorRef(refs[0]!.slice(0, 3) as JsonValue), tensorRef(value!)], kwargs: named };
        }
        if (layer.name === 'self') return { args: [tensorRef(refs[0]!.slice(0, 3) as JsonValue)], kwargs: { value: tensorRef(kwargs['value']!), training: false } };
        return { args: refs.length === 1 ? [tensorRef(refs[0]!.slice(0, 3) as JsonValue)] : [refs.map((r) => tensorRef(r.slice(0, 3) as JsonValue))], kwargs: {} };
      });
    }
    const loaded = await loadModel(handler);
    assert.deepEqual(loaded.getConfig(), model.getConfig(), 'read as the same calls');
    await assertSamePredictions(loaded, model, attentionInputs());
  });

  test('a node passing MultiHeadAttention an input it does not take is refused by name', async () => {
    const handler = await saved(attentionModel());
    const topology = handler.artifacts!.modelTopology as { config: { layers: { name: string; inbound_nodes: JsonValue }[] } };
    topology.config.layers.find((l) => l.name === 'self')!.inbound_nodes = [[['query', 0, 0, { value: ['query', 0, 0], bias: ['context', 0, 0] }]]];
    await assert.rejects(loadModel(handler), /MultiHeadAttention 'self': a node passes input 'bias'/);
  });
});
