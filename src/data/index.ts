/** Level 4: datasets, batching, shuffling and label encoding. */
export * as datasets from './datasets.js';
export * from './batching.js';
export * from './idx.js';
export type { MnistData, Split } from './mnist.js';
