/** Level 4: datasets (the lazy Dataset pipeline and its browser-side loaders: CSV from URLs and files, images from picked files), batching, shuffling, label encoding, and preprocessing (vectorization, scaling, imputation, feature engineering, pipelines). */
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
export { Dataset, DatasetIterator } from './dataset.js';
export type {
  DatasetPosition, IterateOptions, MapOptions, BatchOptions, CacheOptions, ShuffleOptions, DataWait, DatasetSource, Slices, SliceStructure, SliceOf,
} from './dataset.js';
export type { Sample, Leaf, Batched, Unbatched, PaddingOptions } from './sample.js';
export type { OnError } from './options.js';
export type { ColumnType, TableRow, LabeledRow, TableOptions } from './table.js';
export type { FolderOptions, LabelMode } from './folder.js';
export { csvDataset } from './csv-web.js';
export type { CsvSource } from './csv-web.js';
export type { CsvOptions } from './csv-core.js';
export { imageDatasetFromDirectory } from './image-folder.js';
export type { ImageFolderOptions, LabeledImage, Interpolation, PickedFile } from './image-folder.js';
export type { TextFolderOptions, LabeledText, LabeledTexts } from './text-folder.js';
