/** Level 4: datasets, batching, shuffling, label encoding, and preprocessing (vectorization, scaling, imputation, feature engineering, pipelines). */
export * as datasets from './datasets.js';
export * from './batching.js';
export * from './idx.js';
export type { MnistData, Split } from './mnist.js';
export * from './transformer.js';
export * from './scalers.js';
export * from './imputer.js';
export * from './vectorize.js';
export * from './text-vectorizer.js';
export * from './feature-engineering.js';
export * from './pipeline.js';
