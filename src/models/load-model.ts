/**
 * loadModel: a model saved by layerwise, TensorFlow.js or Keras (through tensorflowjs_converter), from a
 * folder, a model.json path or an IO handler. The model is built and every weight checked before any is
 * assigned; a file with a training config comes back compiled, with its optimizer's state when saved.
 */
import type { BaseLayer, LayerFactory } from '../layers/index.js';
import { checkingWeights } from '../layers/index.js';
import { storage } from '../tensor/tensor.js';
import { ValueError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import { compileSetup, lossFromConfig } from './compile-setup.js';
import type { JsonObject } from '../util/json.js';
import type { Model } from './model.js';
import { checkArtifacts } from './saving/artifacts.js';
import type { ModelLocation } from './saving/io.js';
import { loadArtifacts } from './saving/io.js';
import { optimizerFromConfig, planOptimizerRestore } from './saving/optimizer-state.js';
import { planWeights } from './saving/weight-matching.js';
import type { NamedTensor } from './saving/weights.js';
import { modelFromTopology } from './topology-read.js';

export interface LoadModelOptions {
  /** Your own layer classes by the class name the file uses: `{ MyLayer: (config) => new MyLayer({...}) }`. */
  customLayers?: Readonly<Record<string, LayerFactory>>;
  /** Compile with the file's training config when it has one (default true). */
  compile?: boolean;
}

/**
 * The model of the topology, every weight checked against the file's before it is allocated: loading
 * matches each weight to a saved one of the same shape, so a weight whose shape no saved weight has (a
 * damaged or crafted size, `units: 3e8`) is refused at once, naming the layer and the config field that
 * sets it. Sizes too large to allocate become a ValueError as well.
 */
function buildModel(topology: JsonObject, saved: readonly NamedTensor[], where: string, custom: Readonly<Record<string, LayerFactory>>): Model {
  const savedShapes = saved.map((w) => w.tensor.shape);
  const check = (layer: BaseLayer, name: string, shape: readonly number[]): void => {
    if (savedShapes.some((s) => shapesEqual(s, shape))) return;
    const savedDims = new Set(savedShapes.flat());
    const config = layer.getConfig();
    const fields = Object.entries(config).filter(([, v]) => typeof v === 'number' && shape.includes(v) && !savedDims.has(v)).map(([k, v]) => `'${k}': ${v}`);
    const listed = saved.slice(0, 6).map((w) => `'${w.name}' ${fmtShape(w.tensor.shape)}`).join(', ') + (saved.length > 6 ? ', …' : '');
    throw new ValueError(
      `${where}: modelTopology: ${layer.label}${fields.length > 0 ? ` (config ${fields.join(', ')})` : ''} makes weight '${name}' of shape ${fmtShape(shape)}, ` +
        `but no weight of the file has that shape (it has ${listed}); the topology and the weights manifest disagree: is model.json damaged?`,
    );
  };
  try {
    return checkingWeights(check, () => modelFromTopology(topology, where, custom));
  } catch (error) {
    if (error instanceof RangeError) throw new ValueError(`${where}: the topology describes weights too large to create (${error.message}); is the file damaged?`);
    throw error;
  }
}

/** A warning for saved weights holding NaN or ±Infinity: they load (as in Keras and TensorFlow.js), but predictions through them are not numbers. */
function warnNonFinite(saved: readonly NamedTensor[], where: string): void {
  const bad: string[] = [];
  for (const w of saved) {
    if (w.group !== undefined || (w.tensor.dtype !== 'float32' && w.tensor.dtype !== 'float64')) continue;
    const values = storage(w.tensor);
    let n = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) n++;
    if (n > 0) bad.push(`'${w.name}' (${n} of ${values.length} values)`);
  }
  if (bad.length > 0) {
    console.warn(`layerwise: ${where}: weights hold NaN or Infinity: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}; the model loads, but what it computes through them is not a number (was it saved after training diverged?)`);
  }
}

export async function loadModel(location: ModelLocation, options: LoadModelOptions = {}): Promise<Model> {
  const where = typeof location === 'string' ? `loadModel('${location}')` : 'loadModel';
  const artifacts = checkArtifacts(await loadArtifacts(location, where), where);
  warnNonFinite(artifacts.weights, where);
  const model = buildModel(artifacts.topology, artifacts.weights, where, options.customLayers ?? {});
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
