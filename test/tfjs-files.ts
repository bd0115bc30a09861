/**
 * Moving models between TensorFlow.js 4.22 (pure JavaScript, CPU) and layerwise in tests: TensorFlow.js
 * has no file handler in pure-JS Node, so its saves are captured with tf.io.withSaveHandler and written as
 * its Node handler writes them (model.json + weights.bin), and layerwise's files reach it through
 * tf.io.fromMemory.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '../src/index.js';

/** Saves a TensorFlow.js model into `dir` as its Node file handler would. */
export async function saveTfjs(model: tf.LayersModel, dir: string, includeOptimizer = false): Promise<void> {
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    mkdirSync(dir, { recursive: true });
    const json = {
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer });
}

/** A folder saved by layerwise, loaded in TensorFlow.js. */
export async function loadInTfjs(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
  const data = Buffer.concat(json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(join(dir, p)))));
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: weights,
    weightData: new Uint8Array(data).buffer,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
  }));
}

/** TensorFlow.js's prediction for a layerwise tensor (float32). */
export function tfjsPredict(model: tf.LayersModel, x: Tensor): Float32Array {
  return (model.predict(tf.tensor(x.data() as Float32Array, [...x.shape])) as tf.Tensor).dataSync() as Float32Array;
}

export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxDifference: ${a.length} values against ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}
