/**
 * Layers from their saved form `{ class_name, config }`: a closed table of the built-in classes (by their
 * Keras names), extended per call by the caller's own classes.
 */
import { LayerwiseError, ValueError } from '../util/errors.js';
import { Activation } from './activation.js';
import { Add } from './add.js';
import { AveragePooling2D } from './average-pooling-2d.js';
import type { BaseLayer } from './base-layer.js';
import { BatchNormalization } from './batch-normalization.js';
import { Concatenate } from './concatenate.js';
import type { JsonObject } from './config.js';
import { ConfigReader } from './config.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D } from './global-average-pooling-2d.js';
import { GlobalMaxPooling2D } from './global-max-pooling-2d.js';
import { MaxPooling2D } from './max-pooling-2d.js';
import { Normalization } from './normalization.js';
import { Reshape } from './reshape.js';
import { AveragePooling1D } from './average-pooling-1d.js';
import { Conv1D } from './conv1d.js';
import { Cropping1D } from './cropping-1d.js';
import { EinsumDense } from './einsum-dense.js';
import { GlobalAveragePooling1D } from './global-average-pooling-1d.js';
import { GlobalMaxPooling1D } from './global-max-pooling-1d.js';
import { LayerNormalization } from './layer-normalization.js';
import { MaxPooling1D } from './max-pooling-1d.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { UpSampling1D } from './up-sampling-1d.js';
import { ZeroPadding1D } from './zero-padding-1d.js';

/** Makes a layer from its config (for layer classes of your own, passed to loadModel). */
export type LayerFactory = (config: ConfigReader) => BaseLayer;

const BUILT_IN = {
  Dense: (c) => Dense.fromConfig(c),
  Conv2D: (c) => Conv2D.fromConfig(c),
  MaxPooling2D: (c) => MaxPooling2D.fromConfig(c),
  AveragePooling2D: (c) => AveragePooling2D.fromConfig(c),
  GlobalAveragePooling2D: (c) => GlobalAveragePooling2D.fromConfig(c),
  GlobalMaxPooling2D: (c) => GlobalMaxPooling2D.fromConfig(c),
  Flatten: (c) => Flatten.fromConfig(c),
  Reshape: (c) => Reshape.fromConfig(c),
  Dropout: (c) => Dropout.fromConfig(c),
  Activation: (c) => Activation.fromConfig(c),
  BatchNormalization: (c) => BatchNormalization.fromConfig(c),
  Add: (c) => Add.fromConfig(c),
  Concatenate: (c) => Concatenate.fromConfig(c),
  Normalization: (c) => Normalization.fromConfig(c),
  Conv1D: (c) => Conv1D.fromConfig(c),
  MaxPooling1D: (c) => MaxPooling1D.fromConfig(c),
  AveragePooling1D: (c) => AveragePooling1D.fromConfig(c),
  GlobalAveragePooling1D: (c) => GlobalAveragePooling1D.fromConfig(c),
  GlobalMaxPooling1D: (c) => GlobalMaxPooling1D.fromConfig(c),
  UpSampling1D: (c) => UpSampling1D.fromConfig(c),
  ZeroPadding1D: (c) => ZeroPadding1D.fromConfig(c),
  Cropping1D: (c) => Cropping1D.fromConfig(c),
  LayerNormalization: (c) => LayerNormalization.fromConfig(c),
  EinsumDense: (c) => EinsumDense.fromConfig(c),
  MultiHeadAttention: (c) => MultiHeadAttention.fromConfig(c),
} satisfies Record<string, LayerFactory>;

/** Keras's other spellings of the same classes. */
const ALIASES: Readonly<Record<string, keyof typeof BUILT_IN>> = {
  Convolution2D: 'Conv2D', MaxPool2D: 'MaxPooling2D', AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D', GlobalMaxPool2D: 'GlobalMaxPooling2D',
  Convolution1D: 'Conv1D', MaxPool1D: 'MaxPooling1D', AvgPool1D: 'AveragePooling1D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalMaxPool1D: 'GlobalMaxPooling1D',
};

/** The Keras class names layerwise reads. */
export function layerClassNames(): string[] {
  return Object.keys(BUILT_IN);
}

/**
 * A layer from `className` and `config`; `where` names its place in the file. Errors from the layer's own
 * checks are re-raised with that place in front.
 */
export function layerFromConfig(className: string, config: JsonObject, where: string, custom: Readonly<Record<string, LayerFactory>> = {}): BaseLayer {
  const factory: LayerFactory | undefined = custom[className] ?? (BUILT_IN as Record<string, LayerFactory>)[ALIASES[className] ?? className];
  if (!factory) {
    throw new ValueError(
      `${where}: unknown layer class '${className}' (layerwise reads ${[...layerClassNames(), ...Object.keys(custom)].join(', ')}; pass your own classes as loadModel's 'customLayers')`,
    );
  }
  try {
    return factory(new ConfigReader(config, `${where}.config`));
  } catch (error) {
    if (error instanceof LayerwiseError && !error.message.startsWith(where)) {
      throw new ValueError(`${where} (${className}): ${error.message}`);
    }
    throw error;
  }
}
