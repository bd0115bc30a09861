/**
 * loadModel: a model saved by layerwise, TensorFlow.js or Keras (through tensorflowjs_converter), from a
 * folder, a model.json path or an IO handler. The model is built and every weight checked before any is
 * assigned; a file with a training config comes back compiled, with its optimizer's state when saved.
 */
import type { LayerFactory } from '../layers/index.js';
import { ValueError } from '../util/errors.js';
import { compileSetup, lossFromConfig } from './compile-setup.js';
import type { JsonObject } from '../util/json.js';
import type { Model } from './model.js';
import { checkArtifacts } from './saving/artifacts.js';
import type { ModelLocation } from './saving/io.js';
import { loadArtifacts } from './saving/io.js';
import { optimizerFromConfig, planOptimizerRestore } from './saving/optimizer-state.js';
import { planWeights } from './saving/weight-matching.js';
import { modelFromTopology } from './topology-read.js';

export interface LoadModelOptions {
  /** Your own layer classes by the class name the file uses: `{ MyLayer: (config) => new MyLayer({...}) }`. */
  customLayers?: Readonly<Record<string, LayerFactory>>;
  /** Compile with the file's training config when it has one (default true). */
  compile?: boolean;
}

/** The model of the topology; sizes too large to allocate (a damaged shape) become a ValueError. */
function buildModel(topology: JsonObject, where: string, custom: Readonly<Record<string, LayerFactory>>): Model {
  try {
    return modelFromTopology(topology, where, custom);
  } catch (error) {
    if (error instanceof RangeError) throw new ValueError(`${where}: the topology describes weights too large to create (${error.message}); is the file damaged?`);
    throw error;
  }
}

export async function loadModel(location: ModelLocation, options: LoadModelOptions = {}): Promise<Model> {
  const where = typeof location === 'string' ? `loadModel('${location}')` : 'loadModel';
  const artifacts = checkArtifacts(await loadArtifacts(location, where), where);
  const model = buildModel(artifacts.topology, where, options.customLayers ?? {});
  const weights = planWeights(model.flatLayers, artifacts.weights, where);
  const config = options.compile === false ? null : artifacts.trainingConfig;
  if (config) {
    const at = `${where}: trainingConfig`;
    const lossAndMetrics = lossFromConfig(config, where);
    // Checked (losses, metrics, outputs) before any weight is assigned.
    compileSetup(at, lossAndMetrics, { names: model.outputNames, role: 'output' });
    const optimizer = optimizerFromConfig(config['optimizer_config'], `${at}.optimizer_config`);
    const trainable = new Set(model.trainableWeights);
    const restoreOptimizer = artifacts.optimizerWeights.length > 0
      ? planOptimizerRestore(optimizer, new Map([...weights.savedNames].filter(([v]) => trainable.has(v))), artifacts.optimizerWeights, where)
      : () => undefined;
    weights.apply();
    restoreOptimizer();
    model.compile({ ...lossAndMetrics, optimizer });
  } else {
    weights.apply();
  }
  return model;
}
