/**
 * CategoryEncoding: integer category indices in [0, numTokens) to one-hot, multi-hot or count rows, as
 * Keras writes them. [batch] or [batch, 1] gives [batch, numTokens]; multiHot and count encode each row of
 * [batch, k] into one row; oneHot of [batch, k] gives [batch, k, numTokens]. The lookup and
 * discretization layers encode their indices the same way.
 */
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import { ShapeError, ValueError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';
import { layerSpec, oneOfKeras, snakeCase } from './preprocessing.js';

export const ENCODINGS = ['oneHot', 'multiHot', 'count'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface CategoryEncodingOptions extends LayerOptions {
  numTokens: number;
  /** 'multiHot' (default), 'oneHot' or 'count' (Keras's 'multi_hot', 'one_hot' too). */
  outputMode?: Encoding | 'one_hot' | 'multi_hot';
}

const OPTIONS = layerSpec({
  numTokens: is.positiveInteger,
  outputMode: oneOfKeras(ENCODINGS).default('multiHot'),
} satisfies SpecFor<Omit<CategoryEncodingOptions, keyof LayerOptions>>);

/** The output shape of encoding indices of `shape` into `depth` columns. */
export function encodedShape(label: string, shape: LayerShape, depth: number, mode: Encoding): LayerShape {
  if (shape.length === 0 || shape.length > 2) {
    throw new ShapeError(`${label}: expected indices of shape [batch] or [batch, k], received shape ${fmtLayerShape(shape)}`);
  }
  if (shape.length === 1 || (mode === 'oneHot' && shape[1] === 1)) return [shape[0]!, depth];
  return mode === 'oneHot' ? [shape[0]!, shape[1]!, depth] : [shape[0]!, depth];
}

/** Encodes integer `indices` (any numeric dtype, whole values in [0, depth)) into float32 rows of `depth`. */
export function encodeIndices(label: string, indices: Tensor, depth: number, mode: Encoding): Tensor {
  const shape = encodedShape(label, indices.shape, depth, mode) as number[];
  const values = indices.data();
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  // Each index goes to its own row for oneHot (and for [batch] input), else to the row of its sample.
  const perRow = mode === 'oneHot' || indices.rank === 1 ? 1 : indices.shape[1]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < depth)) {
      throw new ValueError(`${label}: expected whole-number indices in [0, ${depth}), received ${v} at position ${i} of input shape [${indices.shape.join(', ')}]`);
    }
    const o = Math.floor(i / perRow) * depth + v;
    out[o] = mode === 'count' ? out[o]! + 1 : 1;
  }
  return tensor(out, shape);
}

export class CategoryEncoding extends Layer {
  readonly numTokens: number;
  readonly outputMode: Encoding;

  constructor(options: CategoryEncodingOptions) {
    super(options);
    ({ numTokens: this.numTokens, outputMode: this.outputMode } = OPTIONS.parse(this.label, options));
  }

  call(x: Tensor): Tensor {
    return encodeIndices(this.label, x, this.numTokens, this.outputMode);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return encodedShape(this.label, inputShape, this.numTokens, this.outputMode);
  }

  override getConfig(): LayerConfig {
    return { num_tokens: this.numTokens, output_mode: snakeCase(this.outputMode), sparse: false, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): CategoryEncoding {
    if (c.boolean('sparse', false)) throw c.fail('sparse', 'false (layerwise has no sparse tensors)');
    return new CategoryEncoding({ ...c.base(), numTokens: c.integer('num_tokens'), outputMode: c.string('output_mode', 'multi_hot') as Encoding });
  }
}
