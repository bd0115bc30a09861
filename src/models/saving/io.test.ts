import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadArtifacts, saveArtifacts } from './io.js';
import { memoryHandler } from './testing.js';

test('without the Node entry (as in browsers) a path is refused with the alternative; IO handlers work', async () => {
  await assert.rejects(loadArtifacts('out/model', 'loadModel'), /^ValueError: loadModel: file paths work in Node \(20\.16 or newer\); elsewhere pass an IO handler such as TensorFlow\.js's tf\.io\.browserDownloads\(\)$/);
  const handler = memoryHandler();
  const artifacts = { modelTopology: { class_name: 'Sequential', config: { layers: [] } }, weightSpecs: [], weightData: new ArrayBuffer(0) };
  await saveArtifacts(handler, artifacts, 'save');
  assert.equal(await loadArtifacts(handler, 'loadModel'), artifacts);
  await assert.rejects(saveArtifacts({ load: handler.load }, artifacts, 'save'), /save: the IO handler has no save method/);
});
