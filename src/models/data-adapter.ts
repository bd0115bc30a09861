/**
 * What the loops need of training data, whatever holds it (Keras's data adapters): batches per epoch, and
 * a way to open an epoch — or continue one from a saved position — and read its batches. Tensors in
 * memory (array-data.ts) and Datasets (dataset-data.ts) both provide it, so fit, evaluate and predict are
 * one loop each.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { JsonObject } from '../util/json.js';

/** One batch: a tensor per input and per output (in the model's order), and sample weights per output. */
export interface Batch {
  x: Tensor[];
  y: Tensor[];
  sampleWeight: (Tensor | null)[];
}

/** Where training stands in its data, as a checkpoint stores it (plain JSON; each adapter reads its own). */
export type DataPosition = JsonObject;

/** The batches of one epoch. */
export interface EpochBatches {
  /** The next batch, or null at the end of the epoch. */
  next(): Promise<Batch | null>;
  /** Where the epoch stands: `open(epoch, position)` continues after the last batch handed out. */
  position(): DataPosition;
  /** Where the next epoch starts: null when it starts afresh, a position when it continues this one's stream. */
  following(): DataPosition | null;
  /** Milliseconds spent waiting for data so far in this epoch (decoding, reading files). */
  readonly waitedMs: number;
  /** Ends the epoch early (files and workers of a Dataset are closed). */
  close(): Promise<void>;
}

export interface TrainingData {
  /** Batches per epoch; null when not known until an epoch has been read. */
  readonly steps: number | null;
  /** Samples per epoch, when known. */
  readonly samples: number | null;
  /**
   * Opens epoch `epoch` (null: the data's next pass, for evaluate and predict), or continues it from a
   * position `EpochBatches.position()` gave.
   */
  open(epoch: number | null, from: DataPosition | null): EpochBatches;
  /** Releases what outlives an epoch (a Dataset stream that goes on across epochs). */
  close(): Promise<void>;
}
