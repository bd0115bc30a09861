/**
 * What a dataset yields: a sample is a tensor, a number, a string, or a tuple or record of samples
 * (`{ x: Tensor; y: Tensor }`, `[Tensor, Tensor]`, `{ text: string; label: number }`). Batching stacks the
 * same leaf of many samples: tensors into one tensor with a leading batch axis (padded to the longest when
 * asked), numbers into a float32 vector, strings into an array of strings. Unbatching is the reverse.
 */
import { alloc } from '../backend/index.js';
import { Tensor, storage } from '../tensor/tensor.js';
import type { DType, TypedArray } from '../util/dtype.js';
import { newArray } from '../util/dtype.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { sizeOf } from '../util/shape.js';

export type Leaf = Tensor | number | string;

/** A sample: a leaf, a tuple of samples or a record of named samples. */
export type Sample = Leaf | readonly Sample[] | { readonly [key: string]: Sample };

/** The type of a batch of samples of type T. */
export type Batched<T> = T extends Tensor
  ? Tensor
  : T extends number
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Batched<T[K]> }
        : T extends object
          ? { [K in keyof T]: Batched<T[K]> }
          : never;

/** The type of one sample of a batch of type T (the inverse of Batched; numbers come back as scalar tensors). */
export type Unbatched<T> = T extends Tensor
  ? Tensor
  : T extends readonly string[]
    ? string
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Unbatched<T[K]> }
      : T extends object
        ? { [K in keyof T]: Unbatched<T[K]> }
        : never;

export interface PaddingOptions {
  /** The value padded positions get (default 0). */
  value?: number;
}

/** Where a leaf sits in a sample, for messages: `.x`, `[1]`, `.features[0]`, or 'the sample'. */
function at(path: string): string {
  return path === '' ? 'the sample' : path;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor) && !ArrayBuffer.isView(v);
}

/**
 * Stacks samples into one batch. Every sample must have the structure of the first; tensors the same
 * dtype and, without padding, the same shape.
 */
export function batchSamples(where: string, samples: readonly unknown[], padding: PaddingOptions | null): unknown {
  if (samples.length === 0) throw new ValueError(`${where}: cannot make a batch of no samples`);
  return batchAt(where, samples, '', padding);
}

function batchAt(where: string, samples: readonly unknown[], path: string, padding: PaddingOptions | null): unknown {
  const first = samples[0];
  const differs = (i: number, what: string): never => {
    throw new ShapeError(`${where}: sample ${i} of the batch differs from sample 0 at ${at(path)}: ${what}`);
  };
  if (first instanceof Tensor) {
    for (let i = 1; i < samples.length; i++) {
      const s = samples[i];
      if (!(s instanceof Tensor)) differs(i, `expected a Tensor, received ${describe(s)}`);
      const t = s as Tensor;
      if (t.dtype !== first.dtype) differs(i, `dtype ${t.dtype} vs ${first.dtype}`);
      if (t.rank !== first.rank) differs(i, `shape ${fmtShape(t.shape)} vs ${fmtShape(first.shape)} (different ranks)`);
      if (padding === null && t.shape.some((d, k) => d !== first.shape[k])) {
        differs(i, `shape ${fmtShape(t.shape)} vs ${fmtShape(first.shape)}; batch(size, { padding: true }) pads variable-length sequences`);
      }
    }
    return stackTensors(samples as readonly Tensor[], padding);
  }
  if (typeof first === 'number') {
    const out = alloc('float32', samples.length);
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      if (typeof s !== 'number') differs(i, `expected a number, received ${describe(s)}`);
      out[i] = s as number;
    }
    return new Tensor(out, [samples.length]);
  }
  if (typeof first === 'string') {
    for (let i = 1; i < samples.length; i++) if (typeof samples[i] !== 'string') differs(i, `expected a string, received ${describe(samples[i])}`);
    return [...(samples as readonly string[])];
  }
  if (Array.isArray(first)) {
    for (let i = 1; i < samples.length; i++) {
      const s = samples[i];
      if (!Array.isArray(s) || s.length !== first.length) differs(i, `expected a tuple of ${first.length}, received ${describe(s)}`);
    }
    return first.map((_, k) => batchAt(where, samples.map((s) => (s as unknown[])[k]), `${path}[${k}]`, padding));
  }
  if (isRecord(first)) {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    for (let i = 1; i < samples.length; i++) {
      const s = samples[i];
      if (!isRecord(s)) differs(i, `expected a record, received ${describe(s)}`);
      const other = Object.keys(s as object);
      if (other.length !== keys.length || keys.some((k) => !Object.hasOwn(s as object, k))) {
        differs(i, `keys ${other.join(', ')} vs ${keys.join(', ')}`);
      }
    }
    for (const k of keys) out[k] = batchAt(where, samples.map((s) => (s as Record<string, unknown>)[k]), `${path}.${k}`, padding);
    return out;
  }
  throw new ValueError(`${where}: ${at(path)} expected a Tensor, number, string, tuple or record, received ${describe(first)}`);
}

/** One tensor [n, ...shape]; with padding, each axis as long as the longest sample's. */
function stackTensors(samples: readonly Tensor[], padding: PaddingOptions | null): Tensor {
  const first = samples[0]!;
  const shape = [...first.shape];
  if (padding !== null) for (const t of samples) t.shape.forEach((d, k) => (shape[k] = Math.max(shape[k]!, d)));
  const size = sizeOf(shape);
  const out = alloc(first.dtype, samples.length * size);
  const same = samples.every((t) => t.shape.every((d, k) => d === shape[k]));
  if (!same) out.fill(padding?.value ?? 0);
  for (let i = 0; i < samples.length; i++) {
    const t = samples[i]!;
    if (t.shape.every((d, k) => d === shape[k])) out.set(storage(t), i * size);
    else copyPadded(storage(t), t.shape, out, i * size, shape);
  }
  return new Tensor(out, [samples.length, ...shape]);
}

/** Copies a row-major block of `from` shape into the top-left corner of a block of `to` shape at `offset`. */
function copyPadded(src: TypedArray, from: readonly number[], out: TypedArray, offset: number, to: readonly number[]): void {
  if (from.length === 0) {
    out[offset] = src[0]!;
    return;
  }
  const rank = from.length;
  const inner = from[rank - 1]!;
  const rows = sizeOf(from.slice(0, -1));
  const index = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let dst = offset;
    let stride = to[rank - 1]!;
    for (let k = rank - 2; k >= 0; k--) {
      dst += index[k]! * stride;
      stride *= to[k]!;
    }
    out.set(src.subarray(r * inner, (r + 1) * inner), dst);
    for (let k = rank - 2; k >= 0; k--) {
      if (++index[k]! < from[k]!) break;
      index[k] = 0;
    }
  }
}

/** Splits a batch into its samples: every tensor along its first axis, every string array by element. */
export function unbatchSample(where: string, batch: unknown): unknown[] {
  const n = batchLength(where, batch, '');
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = sampleAt(batch, i);
  return out;
}

function batchLength(where: string, batch: unknown, path: string): number {
  const lengths: [string, number][] = [];
  const visit = (v: unknown, p: string): void => {
    if (v instanceof Tensor) {
      if (v.rank === 0) throw new ShapeError(`${where}: ${at(p)} is a scalar tensor; unbatch needs a batch axis`);
      lengths.push([p, v.shape[0]!]);
    } else if (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string')) {
      lengths.push([p, v.length]);
    } else if (Array.isArray(v)) {
      v.forEach((s, k) => visit(s, `${p}[${k}]`));
    } else if (isRecord(v)) {
      for (const [k, s] of Object.entries(v)) visit(s, `${p}.${k}`);
    } else {
      throw new ValueError(`${where}: ${at(p)} expected a batched Tensor, an array of strings, a tuple or a record, received ${describe(v)}`);
    }
  };
  visit(batch, path);
  if (lengths.length === 0) throw new ValueError(`${where}: the batch holds no tensors or strings to split`);
  const [p0, n] = lengths[0]!;
  for (const [p, m] of lengths) {
    if (m !== n) throw new ShapeError(`${where}: the parts of a batch must hold as many samples each: ${at(p0)} holds ${n}, ${at(p)} holds ${m}`);
  }
  return n;
}

function sampleAt(batch: unknown, i: number): unknown {
  if (batch instanceof Tensor) return rowOf(batch, i);
  if (Array.isArray(batch)) {
    if (batch.length > 0 && batch.every((s) => typeof s === 'string')) return batch[i];
    return batch.map((s) => sampleAt(s, i));
  }
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(batch as Record<string, unknown>)) out[k] = sampleAt(s, i);
  return out;
}

/** Row i of a tensor along its first axis, copied (a view would keep the whole batch alive). */
export function rowOf(t: Tensor, i: number): Tensor {
  const rowShape = t.shape.slice(1);
  const row = sizeOf(rowShape);
  return new Tensor(storage(t).slice(i * row, (i + 1) * row), rowShape);
}

/** A plain, structured-clone-able form of a sample (tensors as { $tensor: data, shape }): for workers and cache files. */
export type PlainSample = number | string | PlainTensor | PlainSample[] | { [key: string]: PlainSample };
export interface PlainTensor {
  $tensor: TypedArray;
  shape: number[];
}

export function toPlain(where: string, sample: unknown, path = ''): PlainSample {
  if (sample instanceof Tensor) return { $tensor: storage(sample).slice(), shape: [...sample.shape] };
  if (typeof sample === 'number' || typeof sample === 'string') return sample;
  if (Array.isArray(sample)) return sample.map((s, k) => toPlain(where, s, `${path}[${k}]`));
  if (isRecord(sample)) {
    const out: Record<string, PlainSample> = {};
    for (const [k, s] of Object.entries(sample)) out[k] = toPlain(where, s, `${path}.${k}`);
    return out;
  }
  throw new ValueError(`${where}: ${at(path)} expected a Tensor, number, string, tuple or record, received ${describe(sample)}`);
}

export function fromPlain(plain: PlainSample): unknown {
  if (typeof plain === 'number' || typeof plain === 'string') return plain;
  if (Array.isArray(plain)) return plain.map(fromPlain);
  if (isPlainTensor(plain)) return new Tensor(plain.$tensor, plain.shape);
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(plain)) out[k] = fromPlain(s);
  return out;
}

function isPlainTensor(v: object): v is PlainTensor {
  return '$tensor' in v && ArrayBuffer.isView((v as PlainTensor).$tensor);
}

/** A scalar tensor of one value (on the heap: per-sample tensors are small). */
export function scalarOf(value: number, dtype: DType): Tensor {
  const data = newArray(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}
