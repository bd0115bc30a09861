/**
 * Layers from their saved form `{ class_name, config }`: a closed table of the built-in classes (by their
 * Keras names), extended per call by the caller's own classes.
 */
import { LayerwiseError, ValueError, describe } from '../util/errors.js';
import { isJsonObject } from '../util/json.js';
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
import { ActivityRegularization } from './activity-regularization.js';
import { AlphaDropout } from './alpha-dropout.js';
import { Average } from './average.js';
import { AveragePooling3D } from './average-pooling-3d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Conv3D } from './conv3d.js';
import { Conv3DTranspose } from './conv3d-transpose.js';
import { Cropping2D, Cropping3D } from './cropping.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { Dot } from './dot.js';
import { ELU } from './elu.js';
import { GaussianDropout } from './gaussian-dropout.js';
import { GaussianNoise } from './gaussian-noise.js';
import { GlobalAveragePooling3D } from './global-average-pooling-3d.js';
import { GlobalMaxPooling3D } from './global-max-pooling-3d.js';
import { GroupNormalization } from './group-normalization.js';
import { Lambda } from './lambda.js';
import { LeakyReLU } from './leaky-relu.js';
import { MaxPooling3D } from './max-pooling-3d.js';
import { Maximum } from './maximum.js';
import { Minimum } from './minimum.js';
import { Multiply } from './multiply.js';
import { PReLU } from './prelu.js';
import { Permute } from './permute.js';
import { ReLU } from './relu.js';
import { RepeatVector } from './repeat-vector.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { Softmax } from './softmax.js';
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './spatial-dropout.js';
import { Subtract } from './subtract.js';
import { ThresholdedReLU } from './thresholded-relu.js';
import { UnitNormalization } from './unit-normalization.js';
import { UpSampling2D, UpSampling3D } from './up-sampling.js';
import { ZeroPadding2D, ZeroPadding3D } from './zero-padding.js';
import { Bidirectional } from './bidirectional.js';
import { Embedding } from './embedding.js';
import { GRU } from './gru.js';
import { GRUCell } from './gru-cell.js';
import { LSTM } from './lstm.js';
import { LSTMCell } from './lstm-cell.js';
import { Masking } from './masking.js';
import { RNN } from './rnn.js';
import { SimpleRNN } from './simple-rnn.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import type { NestedLayerReader } from './stacked-rnn-cells.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';
import { TimeDistributed } from './time-distributed.js';
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

/**
 * Makes a layer from its config (for layer classes of your own, passed to loadModel). A wrapper reads the
 * layers inside it with `readLayer(entry, where)`, which knows the built-in classes and yours.
 */
export type LayerFactory = (config: ConfigReader, readLayer: NestedLayerReader) => BaseLayer;

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
  // Convolution and pooling
  Conv2DTranspose: (c) => Conv2DTranspose.fromConfig(c),
  DepthwiseConv2D: (c) => DepthwiseConv2D.fromConfig(c),
  SeparableConv2D: (c) => SeparableConv2D.fromConfig(c),
  Conv3D: (c) => Conv3D.fromConfig(c),
  Conv3DTranspose: (c) => Conv3DTranspose.fromConfig(c),
  MaxPooling3D: (c) => MaxPooling3D.fromConfig(c),
  AveragePooling3D: (c) => AveragePooling3D.fromConfig(c),
  GlobalMaxPooling3D: (c) => GlobalMaxPooling3D.fromConfig(c),
  GlobalAveragePooling3D: (c) => GlobalAveragePooling3D.fromConfig(c),
  // Reshaping
  UpSampling2D: (c) => UpSampling2D.fromConfig(c),
  UpSampling3D: (c) => UpSampling3D.fromConfig(c),
  ZeroPadding2D: (c) => ZeroPadding2D.fromConfig(c),
  ZeroPadding3D: (c) => ZeroPadding3D.fromConfig(c),
  Cropping2D: (c) => Cropping2D.fromConfig(c),
  Cropping3D: (c) => Cropping3D.fromConfig(c),
  Permute: (c) => Permute.fromConfig(c),
  RepeatVector: (c) => RepeatVector.fromConfig(c),
  // Merging
  Subtract: (c) => Subtract.fromConfig(c),
  Multiply: (c) => Multiply.fromConfig(c),
  Average: (c) => Average.fromConfig(c),
  Maximum: (c) => Maximum.fromConfig(c),
  Minimum: (c) => Minimum.fromConfig(c),
  Dot: (c) => Dot.fromConfig(c),
  // Activations
  ReLU: (c) => ReLU.fromConfig(c),
  LeakyReLU: (c) => LeakyReLU.fromConfig(c),
  PReLU: (c) => PReLU.fromConfig(c),
  ELU: (c) => ELU.fromConfig(c),
  Softmax: (c) => Softmax.fromConfig(c),
  ThresholdedReLU: (c) => ThresholdedReLU.fromConfig(c),
  // Regularization
  SpatialDropout1D: (c) => SpatialDropout1D.fromConfig(c),
  SpatialDropout2D: (c) => SpatialDropout2D.fromConfig(c),
  SpatialDropout3D: (c) => SpatialDropout3D.fromConfig(c),
  GaussianNoise: (c) => GaussianNoise.fromConfig(c),
  GaussianDropout: (c) => GaussianDropout.fromConfig(c),
  AlphaDropout: (c) => AlphaDropout.fromConfig(c),
  ActivityRegularization: (c) => ActivityRegularization.fromConfig(c),
  // Normalization and code
  GroupNormalization: (c) => GroupNormalization.fromConfig(c),
  UnitNormalization: (c) => UnitNormalization.fromConfig(c),
  Lambda: (c) => Lambda.refuse(c),
  Embedding: (c) => Embedding.fromConfig(c),
  Masking: (c) => Masking.fromConfig(c),
  SimpleRNN: (c) => SimpleRNN.fromConfig(c),
  LSTM: (c) => LSTM.fromConfig(c),
  GRU: (c) => GRU.fromConfig(c),
  RNN: (c, read) => RNN.fromConfig(c, read),
  SimpleRNNCell: (c) => SimpleRNNCell.fromConfig(c),
  LSTMCell: (c) => LSTMCell.fromConfig(c),
  GRUCell: (c) => GRUCell.fromConfig(c),
  StackedRNNCells: (c, read) => StackedRNNCells.fromConfig(c, read),
  Bidirectional: (c, read) => Bidirectional.fromConfig(c, read),
  TimeDistributed: (c, read) => TimeDistributed.fromConfig(c, read),
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
  Convolution2DTranspose: 'Conv2DTranspose', Deconvolution2D: 'Conv2DTranspose', Deconv2D: 'Conv2DTranspose',
  Convolution3D: 'Conv3D', Convolution3DTranspose: 'Conv3DTranspose', Deconvolution3D: 'Conv3DTranspose', Deconv3D: 'Conv3DTranspose',
  SeparableConvolution2D: 'SeparableConv2D', MaxPool3D: 'MaxPooling3D', AvgPool3D: 'AveragePooling3D',
  GlobalMaxPool3D: 'GlobalMaxPooling3D', GlobalAvgPool3D: 'GlobalAveragePooling3D',
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
    const name = typeof config['name'] === 'string' ? ` of layer '${config['name']}'` : '';
    throw new ValueError(
      `${where}: unknown layer class '${className}'${name} (layerwise reads ${[...layerClassNames(), ...Object.keys(custom)].join(', ')}); ` +
        `a layer class of your own is given to loadModel as customLayers: { ${className}: (config) => ${className}.fromConfig(config) }`,
    );
  }
  const readLayer: NestedLayerReader = (entry, at) => {
    if (!isJsonObject(entry) || typeof entry['class_name'] !== 'string' || !isJsonObject(entry['config'])) {
      throw new ValueError(`${at} expected a layer { class_name, config }, received ${describe(entry)}`);
    }
    return layerFromConfig(entry['class_name'], entry['config'], at, custom);
  };
  try {
    return factory(new ConfigReader(config, `${where}.config`), readLayer);
  } catch (error) {
    if (error instanceof LayerwiseError && !error.message.startsWith(where)) {
      throw new ValueError(`${where} (${className}): ${error.message}`);
    }
    throw error;
  }
}
