/**
 * A model to artifacts (topology, weights, training config, training state) and artifacts back to
 * checked parts. Reading validates everything a file can get wrong — structure, weight specs, byte
 * counts, training state — and says where, before anything is built or assigned.
 */
import type { BaseLayer } from '../../layers/index.js';
import type { Optimizer } from '../../optimizers/index.js';
import { ValueError, describe } from '../../util/errors.js';
import type { JsonObject } from '../../util/json.js';
import { isJsonObject, tooDeep } from '../../util/json.js';
import type { ModelArtifacts, TrainingConfig, WeightSpec } from './format.js';
import { FORMAT, GENERATED_BY } from './format.js';
import { OPTIMIZER_GROUP, optimizerConfig, optimizerWeights } from './optimizer-state.js';
import type { TrainingState } from './training-state.js';
import { readTrainingState, trainingStateMetadata } from './training-state.js';
import type { NamedTensor } from './weights.js';
import { checkWeightSpec, concatBuffers, decodeWeights, encodeWeights } from './weights.js';

/** How the model was compiled, as far as a file records it. */
export interface CompiledSetup {
  optimizer: Optimizer;
  /** The loss, metrics and loss weights part of the training config; null when a loss or metric is not a name. */
  loss: Omit<TrainingConfig, 'optimizer_config'> | null;
}

export interface ModelSnapshot {
  label: string;
  topology: JsonObject;
  layers: readonly BaseLayer[];
  setup: CompiledSetup | null;
  /** Present to save the optimizer's state and the training state along with the weights. */
  trainingState: TrainingState | null;
}

/**
 * The training config TensorFlow.js compiles with: the library's losses (by name, or as Keras's config
 * when their options differ from the defaults) and the metrics given by name. A loss of your own has no
 * saved form, so the config is left out.
 */
function trainingConfig(setup: CompiledSetup): TrainingConfig | undefined {
  if (!setup.loss) return undefined;
  return { ...setup.loss, optimizer_config: optimizerConfig(setup.optimizer) };
}

export function toArtifacts(snapshot: ModelSnapshot): ModelArtifacts {
  const { label, layers, setup, trainingState } = snapshot;
  const seen = new Map<string, BaseLayer>();
  for (const l of layers.filter((layer) => layer.weights.length > 0)) {
    const other = seen.get(l.name);
    if (other && other !== l) throw new ValueError(`${label}.save: two layers are named '${l.name}' (${other.label} and ${l.label}); weights are saved by name, so names must be unique`);
    seen.set(l.name, l);
  }
  const weights: NamedTensor[] = layers.flatMap((l) => l.weights.map((v) => ({ name: v.name, tensor: v })));
  if (trainingState) {
    if (!setup) throw new ValueError(`${label}.save: option 'includeTrainingState' needs a compiled model (its optimizer holds the state)`);
    weights.push(...optimizerWeights(setup.optimizer, layers.flatMap((l) => l.trainableWeights)));
  }
  const { specs, data } = encodeWeights(weights);
  const config = setup ? trainingConfig(setup) : undefined;
  return {
    modelTopology: snapshot.topology,
    format: FORMAT,
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
    ...(config ? { trainingConfig: config } : {}),
    ...(trainingState ? { userDefinedMetadata: trainingStateMetadata(trainingState) } : {}),
  };
}

/** Artifacts after every check: the topology, the decoded weights, and what training needs. */
export interface CheckedArtifacts {
  topology: JsonObject;
  weights: NamedTensor[];
  optimizerWeights: NamedTensor[];
  trainingConfig: JsonObject | null;
  trainingState: TrainingState | null;
}

function weightBuffers(data: unknown, where: string): ArrayBuffer[] {
  if (data === undefined || data === null) return [];
  if (data instanceof ArrayBuffer) return [data];
  if (ArrayBuffer.isView(data)) return [new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer];
  if (Array.isArray(data) && data.every((b) => b instanceof ArrayBuffer)) return data;
  throw new ValueError(`${where}: weightData expected an ArrayBuffer or an array of them, received ${describe(data)}`);
}

/** Checks artifacts from any source (a file, TensorFlow.js, a custom handler) and decodes their weights. */
/** Far deeper than any saved model (a model nested in a model adds about six levels), far shallower than the stack. */
const MAX_TOPOLOGY_DEPTH = 500;

export function checkArtifacts(raw: unknown, where: string): CheckedArtifacts {
  if (typeof raw !== 'object' || raw === null) {
    throw new ValueError(`${where}: expected model artifacts { modelTopology, weightSpecs, weightData }, received ${describe(raw)}`);
  }
  const a = raw as Record<string, unknown>;
  let topology = a['modelTopology'];
  if (topology instanceof ArrayBuffer || ArrayBuffer.isView(topology)) {
    throw new ValueError(`${where}: modelTopology is binary: this is a TensorFlow.js graph model (a frozen graph), not a layers model; layerwise reads layers models`);
  }
  if (!isJsonObject(topology)) throw new ValueError(`${where}: modelTopology expected an object ({ class_name, config }), received ${describe(topology)}`);
  const deep = tooDeep(topology, MAX_TOPOLOGY_DEPTH);
  if (deep !== null) {
    throw new ValueError(`${where}: modelTopology nests more than ${MAX_TOPOLOGY_DEPTH} levels of arrays and objects (at modelTopology${deep}); saved models nest a few dozen: is the file damaged?`);
  }
  // tensorflowjs_converter wraps Keras's model config: { keras_version, model_config, training_config }.
  const wrapped = isJsonObject(topology['model_config']) ? topology : null;
  if (wrapped) topology = wrapped['model_config'] as JsonObject;
  const specsRaw = a['weightSpecs'] ?? [];
  if (!Array.isArray(specsRaw)) throw new ValueError(`${where}: weightSpecs expected an array, received ${describe(specsRaw)}`);
  const specs: WeightSpec[] = specsRaw.map((s, i) => checkWeightSpec(s, `${where}: weightSpecs[${i}]`));
  const decoded = decodeWeights(specs, concatBuffers(weightBuffers(a['weightData'], where)), `${where}: weightData`);
  const configRaw = a['trainingConfig'] ?? wrapped?.['training_config'] ?? null;
  if (configRaw !== null && !isJsonObject(configRaw)) throw new ValueError(`${where}: trainingConfig expected an object, received ${describe(configRaw)}`);
  return {
    topology: topology as JsonObject,
    weights: decoded.filter((w) => w.group !== OPTIMIZER_GROUP),
    optimizerWeights: decoded.filter((w) => w.group === OPTIMIZER_GROUP),
    trainingConfig: configRaw as JsonObject | null,
    trainingState: readTrainingState(a['userDefinedMetadata'], where),
  };
}
