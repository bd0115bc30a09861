/**
 * The transformer of the sequence benchmark (the small encoder): 2 post-norm blocks, 4 heads, model
 * width 128, sequences of 128 steps of 128 features, feed-forward 512, dropout 0.1, batches of 32, Adam,
 * a two-class head. layerwise builds it from examples/transformer.ts's public layers;
 * bench/peers/pytorch-transformer.py builds the same with nn.TransformerEncoderLayer.
 */
export const TRANSFORMER = { seed: 1234, batch: 32, steps: 128, features: 128, width: 128, heads: 4, blocks: 2, feedForward: 512, dropout: 0.1, classes: 2 };
