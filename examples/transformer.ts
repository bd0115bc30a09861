/**
 * A transformer encoder assembled from public layers only: a learned positional embedding (a layer of
 * your own, saved and loaded like the built-in ones) and an encoder block — self-attention, residual,
 * LayerNormalization, a two-layer feed-forward network, residual, LayerNormalization (the post-norm block
 * of "Attention Is All You Need", as Keras's TransformerEncoder and PyTorch's nn.TransformerEncoderLayer
 * build it by default). The benchmark trains the same model (bench/peers/transformer-layerwise.ts).
 *
 * Run it: `npm run build && node dist/examples/transformer.js` trains a small classifier on sequences
 * whose label is whether a marker vector comes before or after another: a task that needs attention
 * across positions, which a bag of steps cannot solve.
 */
import { fileURLToPath } from 'node:url';
import type { ConfigReader, LayerConfig, LayerOptions, LayerShape, SymbolicTensor, Tensor, Variable } from '../src/index.js';
import {
  Add, Dense, Dropout, GlobalAveragePooling1D, Input, Layer, LayerNormalization, Model, MultiHeadAttention, randomNormal, randomUniform, setSeed, tensor,
} from '../src/index.js';

export interface PositionalEmbeddingOptions extends LayerOptions {
  /** The longest sequence the layer accepts: one learned vector per position. */
  maxLength: number;
}

/**
 * Adds a learned vector per position to [batch, steps, width] inputs (steps <= maxLength), so that
 * attention, which by itself ignores order, can tell positions apart. Masks pass through.
 */
export class PositionalEmbedding extends Layer {
  readonly maxLength: number;
  #positions: Variable | null = null;

  constructor(options: PositionalEmbeddingOptions) {
    super(options);
    if (!Number.isInteger(options.maxLength) || options.maxLength < 1) {
      throw new Error(`${this.label}: option 'maxLength' expected a positive integer, received ${String(options.maxLength)}`);
    }
    this.maxLength = options.maxLength;
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape): void {
    const width = inputShape[2];
    if (inputShape.length !== 3 || width === null || width === undefined) {
      throw new Error(`${this.label}: expected inputs [batch, steps, width] with a known width, received [${inputShape.join(', ')}]`);
    }
    this.#positions = this.addWeight({ name: 'positions', shape: [this.maxLength, width], initializer: 'randomNormal' });
  }

  call(x: Tensor): Tensor {
    const steps = x.shape[1]!;
    if (steps > this.maxLength) throw new Error(`${this.label}: sequences of ${steps} steps exceed option 'maxLength' (${this.maxLength})`);
    return x.add(this.#positions!.slice([0, 0], [steps, -1]));
  }

  override getConfig(): LayerConfig {
    return { max_length: this.maxLength, ...super.getConfig() };
  }

  /** For `loadModel(path, { customLayers: { PositionalEmbedding: PositionalEmbedding.fromConfig } })`. */
  static fromConfig(this: void, c: ConfigReader): PositionalEmbedding {
    return new PositionalEmbedding({ ...c.base(), maxLength: c.integer('max_length') });
  }
}

export interface EncoderBlockOptions {
  heads: number;
  /** Hidden units of the feed-forward network (default 4 × the model width). */
  feedForward?: number;
  /** Dropout after attention and after the feed-forward network (default 0.1). */
  dropout?: number;
  /** Passed to the attention: a causal encoder (a decoder without cross-attention) sees only earlier steps. */
  causal?: boolean;
}

/** One post-norm encoder block on a [batch, steps, width] symbolic tensor; returns the same shape. */
export function encoderBlock(x: SymbolicTensor, options: EncoderBlockOptions): SymbolicTensor {
  const width = x.shape[2];
  if (width === null || width === undefined) throw new Error(`encoderBlock: expected a known width, received shape [${x.shape.join(', ')}]`);
  if (width % options.heads !== 0) throw new Error(`encoderBlock: option 'heads' (${options.heads}) must divide the width ${width}`);
  const rate = options.dropout ?? 0.1;
  const attention = new MultiHeadAttention({ numHeads: options.heads, keyDim: width / options.heads }).apply(x, x, { useCausalMask: options.causal ?? false });
  const first = new LayerNormalization({ epsilon: 1e-5 }).apply(new Add().apply([x, new Dropout({ rate }).apply(attention)]));
  const hidden = new Dense({ units: options.feedForward ?? 4 * width, activation: 'relu' }).apply(first);
  const back = new Dropout({ rate }).apply(new Dense({ units: width }).apply(hidden));
  return new LayerNormalization({ epsilon: 1e-5 }).apply(new Add().apply([first, back]));
}

export interface EncoderClassifierOptions extends EncoderBlockOptions {
  steps: number;
  /** Features per input step, projected to `width` by a Dense layer. */
  features: number;
  width: number;
  blocks: number;
  classes: number;
}

/** Steps → Dense to the model width → positional embedding → encoder blocks → mean over steps → softmax. */
export function encoderClassifier(options: EncoderClassifierOptions): Model {
  const input = Input({ shape: [options.steps, options.features] });
  let x = new PositionalEmbedding({ maxLength: options.steps }).apply(new Dense({ units: options.width }).apply(input));
  for (let b = 0; b < options.blocks; b++) x = encoderBlock(x, options);
  const pooled = new GlobalAveragePooling1D().apply(x);
  return new Model({ inputs: input, outputs: new Dense({ units: options.classes, activation: 'softmax' }).apply(pooled), name: 'transformer_encoder' });
}

/**
 * Sequences of noise with two marker steps, A = [1, 0, ...] and B = [0, 1, ...] placed at random; the
 * label says whether A comes before B. The mean over steps is the same either way: only attention with
 * positions separates the classes.
 */
export function orderTask(n: number, steps: number, features: number, seed: number): { x: Tensor; y: Tensor } {
  setSeed(seed);
  const noise = randomNormal([n, steps, features], { stddev: 0.3 }).toArray() as number[][][];
  const places = randomUniform([n, 2]).data();
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.floor(places[2 * i]! * steps);
    let b = Math.floor(places[2 * i + 1]! * (steps - 1));
    if (b >= a) b++;
    noise[i]![a] = noise[i]![a]!.map((_, f) => (f === 0 ? 3 : 0));
    noise[i]![b] = noise[i]![b]!.map((_, f) => (f === 1 ? 3 : 0));
    labels.push(a < b ? 1 : 0);
  }
  return { x: tensor(noise), y: tensor(labels) };
}

async function main(): Promise<void> {
  const [steps, features] = [16, 4];
  const train = orderTask(2000, steps, features, 1);
  const test = orderTask(500, steps, features, 2);
  setSeed(3);
  const model = encoderClassifier({ steps, features, width: 32, blocks: 2, heads: 4, classes: 2, dropout: 0 });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  model.summary();
  await model.fit(train.x, train.y, { epochs: 12, batchSize: 32, validationData: [test.x, test.y] });
  const [loss, accuracy] = (await model.evaluate(test.x, test.y)) as number[];
  console.log(`held-out accuracy ${(accuracy! * 100).toFixed(1)}% (loss ${loss!.toFixed(3)}); a model blind to order scores 50%`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
