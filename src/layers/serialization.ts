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
import { CategoryEncoding } from './category-encoding.js';
import { CenterCrop } from './center-crop.js';
import { Discretization } from './discretization.js';
import { Hashing } from './hashing.js';
import { IntegerLookup } from './index-lookup.js';
import { Rescaling } from './rescaling.js';
import { Resizing } from './resizing.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomContrast } from './random-contrast.js';
import { RandomCrop } from './random-crop.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';
import { RandomTranslation } from './random-translation.js';
import { RandomZoom } from './random-zoom.js';

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
  Rescaling: (c) => Rescaling.fromConfig(c),
  Resizing: (c) => Resizing.fromConfig(c),
  CenterCrop: (c) => CenterCrop.fromConfig(c),
  CategoryEncoding: (c) => CategoryEncoding.fromConfig(c),
  Discretization: (c) => Discretization.fromConfig(c),
  IntegerLookup: (c) => IntegerLookup.fromConfig(c),
  Hashing: (c) => Hashing.fromConfig(c),
  RandomFlip: (c) => RandomFlip.fromConfig(c),
  RandomRotation: (c) => RandomRotation.fromConfig(c),
  RandomZoom: (c) => RandomZoom.fromConfig(c),
  RandomTranslation: (c) => RandomTranslation.fromConfig(c),
  RandomContrast: (c) => RandomContrast.fromConfig(c),
  RandomBrightness: (c) => RandomBrightness.fromConfig(c),
  RandomCrop: (c) => RandomCrop.fromConfig(c),
} satisfies Record<string, LayerFactory>;

/** Keras's other spellings of the same classes. */
const ALIASES: Readonly<Record<string, keyof typeof BUILT_IN>> = {
  Convolution2D: 'Conv2D', MaxPool2D: 'MaxPooling2D', AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D', GlobalMaxPool2D: 'GlobalMaxPooling2D',
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
