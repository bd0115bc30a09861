import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { Input } from './input-layer.js';
import { Lambda } from './lambda.js';
import { layerFromConfig } from './serialization.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('Lambda runs its function; shapes come from running it, or from outputShape', () => {
  const double = new Lambda({ function: (x) => x.mul(2), name: 'double' });
  assert.deepEqual(double.apply(tensor([[1, 2]])).toArray(), [[2, 4]]);
  assert.deepEqual(new Lambda({ function: (x) => x.sum(-1, { keepDims: true }) }).apply(Input({ shape: [5, 3] })).shape, [null, 5, 1]);
  assert.deepEqual(new Lambda({ function: (x) => x, outputShape: [7] }).computeOutputShape([null, 7]), [null, 7]);
  assert.throws(() => new Lambda({ function: (() => 3) as never, name: 'bad_fn' }).apply(tensor([1])), /Lambda 'bad_fn': the function expected to return a Tensor, returned 3/);
  // @ts-expect-error: the function is required
  assert.throws(() => new Lambda({}), /option 'function' expected a function/);
  checkLayerGradients(new Lambda({ function: (x) => x.square().tanh(), dtype: 'float64' }), float64Input([2, 3]));
});

test('a saved Lambda keeps its source for the reader; loading it asks for the function by the layer name, and takes it', () => {
  const layer = new Lambda({ function: (x) => x.mul(3), name: 'triple' });
  const config = layer.getConfig();
  assert.deepEqual(config['function'], { class_name: '__lambda__', config: { code: '(x) => x.mul(3)' } });
  assert.throws(
    () => layerFromConfig('Lambda', config, 'model.json: modelTopology.config.layers[1]'),
    /layers\[1\].*the Lambda layer 'triple' needs its function \(saved source: \(x\) => x\.mul\(3\)\).*supply it when loading: loadModel\(path, \{ customLayers: \{ Lambda: Lambda\.withFunctions\(\{ triple: \(x\) => \.\.\. \}\) \} \}\)/,
  );
  const loaded = layerFromConfig('Lambda', config, 'here', { Lambda: Lambda.withFunctions({ triple: (x) => x.mul(3) }) });
  assert.deepEqual((loaded as Lambda).apply(tensor([1, 2])).toArray(), [3, 6]);
  assert.throws(() => layerFromConfig('Lambda', config, 'here', { Lambda: Lambda.withFunctions({ other: (x) => x }) }), /given functions for 'other', not for 'triple'/);
});

test('an unknown layer class is refused naming the layer and how to supply its class', () => {
  assert.throws(
    () => layerFromConfig('MyBlock', { name: 'block_1' }, 'model.json: modelTopology.config.layers[2]'),
    /layers\[2\]: unknown layer class 'MyBlock' of layer 'block_1' .*customLayers: \{ MyBlock: \(config\) => MyBlock\.fromConfig\(config\) \}/,
  );
});
