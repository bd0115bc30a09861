/**
 * The TensorFlow.js Layers format, as its own types: `model.json` holds the topology (Keras's model
 * config), an optional training config and a weights manifest; the weights are raw little-endian bytes in
 * one or more files. `ModelArtifacts` is the same content in memory, shaped like TensorFlow.js's, so its
 * IO handlers (`tf.io.fromMemory`, `tf.io.withSaveHandler`) and layerwise's exchange models directly.
 */
import type { JsonObject, JsonValue } from '../../util/json.js';

/** Weight dtypes the format defines that layerwise reads (`string` and `complex64` never hold layer weights). */
export type WeightDType = 'float32' | 'int32' | 'bool';

/** How tensorflowjs_converter stored a quantized weight: value = byte * scale + min, or half floats. */
export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
}

export interface WeightSpec {
  /** `layer_name/weight_name` (`dense/kernel`); optimizer state has `group: 'optimizer'`. */
  name: string;
  shape: number[];
  dtype: WeightDType;
  group?: string;
  quantization?: WeightQuantization;
}

/** One group of the manifest: its weights lie back to back in the concatenation of its files. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** The training settings TensorFlow.js compiles a loaded model with. */
export interface TrainingConfig {
  /**
   * The loss: a name, or Keras's `{ class_name, config }` for a loss with other options than its defaults;
   * one for every output, or one per output (a list in output order, or by output name).
   */
  loss: JsonValue;
  metrics?: string[] | Record<string, string | string[]>;
  loss_weights?: number[] | Record<string, number>;
  optimizer_config: { class_name: string; config: JsonObject };
}

/** The content of model.json. */
export interface ModelJson {
  modelTopology: JsonObject;
  weightsManifest: WeightsManifestGroup[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: JsonObject;
}

/** A saved model in memory: what IO handlers save and load. */
export interface ModelArtifacts {
  modelTopology: JsonObject;
  weightSpecs?: WeightSpec[];
  /** The weights' bytes, in weightSpecs order (one buffer, or several to be read back to back). */
  weightData?: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: JsonObject;
}

/** Where a model goes or comes from (a TensorFlow.js IO handler works too). */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<unknown>;
  load?(): Promise<ModelArtifacts>;
}

export const FORMAT = 'layers-model';
export const GENERATED_BY = 'layerwise';

/** Bytes per element of each weight dtype, and of each quantized storage type. */
export const BYTES_PER_ELEMENT: Readonly<Record<WeightDType | WeightQuantization['dtype'], number>> = {
  float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2,
};
