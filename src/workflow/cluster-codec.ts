/**
 * How a run's data, splits and results are stored in Redis. Tensors and index arrays go as raw bytes
 * (little-endian, as typed arrays hold them on every machine Node runs on); results as JSON in which
 * NaN and ±Infinity, which JSON cannot hold, are written as strings and read back exactly.
 */
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../util/dtype.js';
import { isDType } from '../util/dtype.js';
import type { FoldOutcome } from './fold-task.js';

export interface TensorMeta {
  dtype: DType;
  shape: number[];
}

/** Redis refuses a value over 512 MiB (its proto-max-bulk-len). */
export const MAX_VALUE_BYTES = 512 * 1024 * 1024;

export function tensorBytes(t: Tensor): { meta: TensorMeta; bytes: Buffer } {
  const data = t.data();
  return { meta: { dtype: t.dtype, shape: [...t.shape] }, bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}

export function bytesTensor(meta: TensorMeta, bytes: Buffer): Tensor {
  if (!isDType(meta.dtype)) throw new Error(`stored tensor has an unknown dtype ${String(meta.dtype)}`);
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const data =
    meta.dtype === 'float32' ? new Float32Array(copy)
    : meta.dtype === 'float64' ? new Float64Array(copy)
    : meta.dtype === 'int32' ? new Int32Array(copy)
    : new Uint8Array(copy);
  return tensor(data, { shape: meta.shape, dtype: meta.dtype });
}

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** [count, then per split: train length, test length, the train indices, the test indices] as int32. */
export function splitsBytes(splits: readonly Split[]): Buffer {
  const length = 1 + splits.reduce((n, s) => n + 2 + s.train.length + s.test.length, 0);
  const out = new Int32Array(length);
  let at = 0;
  out[at++] = splits.length;
  for (const s of splits) {
    out[at++] = s.train.length;
    out[at++] = s.test.length;
    out.set(s.train, at);
    at += s.train.length;
    out.set(s.test, at);
    at += s.test.length;
  }
  return Buffer.from(out.buffer);
}

export function bytesSplits(bytes: Buffer): Split[] {
  const all = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const splits: Split[] = [];
  let at = 1;
  for (let i = 0; i < all[0]!; i++) {
    const trainLength = all[at++]!, testLength = all[at++]!;
    const train = all.slice(at, at + trainLength);
    at += trainLength;
    const test = all.slice(at, at + testLength);
    at += testLength;
    splits.push({ train, test });
  }
  return splits;
}

type Stored = number | string;
export interface StoredOutcome {
  scores: Record<string, Stored>;
  history: Record<string, Stored[]>;
}

const store = (v: number): Stored => (Number.isFinite(v) ? v : String(v));
const load = (v: Stored): number => (typeof v === 'number' ? v : Number(v));

export function storeOutcome(o: FoldOutcome): StoredOutcome {
  return {
    scores: Object.fromEntries(Object.entries(o.scores).map(([k, v]) => [k, store(v)])),
    history: Object.fromEntries(Object.entries(o.history).map(([k, vs]) => [k, vs.map(store)])),
  };
}

export function loadOutcome(o: StoredOutcome): FoldOutcome {
  return {
    scores: Object.fromEntries(Object.entries(o.scores).map(([k, v]) => [k, load(v)])),
    history: Object.fromEntries(Object.entries(o.history).map(([k, vs]) => [k, vs.map(load)])),
  };
}
