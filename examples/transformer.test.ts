import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Input, loadModel, setSeed, zeros } from '../src/index.js';
import { PositionalEmbedding, encoderBlock, encoderClassifier, orderTask } from './transformer.js';

const folder = mkdtempSync(join(tmpdir(), 'layerwise-transformer-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('transformer example: the encoder classifier saves and loads with its positional embedding', async () => {
  setSeed(1);
  const model = encoderClassifier({ steps: 6, features: 3, width: 8, blocks: 2, heads: 2, classes: 2 });
  assert.deepEqual(model.outputShape, [null, 2]);
  const { x } = orderTask(4, 6, 3, 2);
  await model.save(join(folder, 'encoder'));
  await assert.rejects(loadModel(join(folder, 'encoder')), /PositionalEmbedding/);
  const loaded = await loadModel(join(folder, 'encoder'), { customLayers: { PositionalEmbedding: PositionalEmbedding.fromConfig } });
  assert.equal((await loaded.predict(x)).sub(await model.predict(x)).abs().max().item(), 0);
});

test('transformer example: the order task is balanced and the block keeps the shape', () => {
  const { y } = orderTask(400, 8, 2, 3);
  const positives = y.sum().item();
  assert.ok(positives > 150 && positives < 250, `${positives} of 400 labelled 1`);
  assert.deepEqual(encoderBlock(Input({ shape: [5, 12] }), { heads: 3 }).shape, [null, 5, 12]);
  assert.throws(() => encoderBlock(Input({ shape: [5, 10] }), { heads: 3 }), /'heads' \(3\) must divide the width 10/);
  assert.throws(() => new PositionalEmbedding({ maxLength: 4, name: 'pos' }).apply(zeros([1, 5, 2])), /PositionalEmbedding 'pos': sequences of 5 steps exceed option 'maxLength' \(4\)/);
});
