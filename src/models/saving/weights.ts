/**
 * Weights to bytes and back. Encoding lays each tensor's values back to back (float32, int32 or bool
 * bytes, little-endian as TensorFlow.js writes them); decoding checks every spec and the byte count
 * before it makes any tensor, and reads tensorflowjs_converter's quantized weights too.
 */
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { storage } from '../../tensor/tensor.js';
import { ValueError, describe } from '../../util/errors.js';
import { isJsonObject } from '../../util/json.js';
import { sizeOf } from '../../util/shape.js';
import type { WeightDType, WeightQuantization, WeightSpec } from './format.js';
import { BYTES_PER_ELEMENT } from './format.js';

export interface NamedTensor {
  name: string;
  tensor: Tensor;
  /** 'optimizer' for optimizer state; absent for model weights. */
  group?: string;
}

/** The bytes a weight takes in the file. */
export function byteLength(spec: WeightSpec): number {
  return sizeOf(spec.shape) * BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype];
}

/** Specs and one buffer holding every tensor's values in order (float64 is stored as float32, as the format has no float64). */
export function encodeWeights(weights: readonly NamedTensor[]): { specs: WeightSpec[]; data: ArrayBuffer } {
  const specs: WeightSpec[] = weights.map(({ name, tensor: t, group }) => ({
    name,
    shape: [...t.shape],
    dtype: t.dtype === 'int32' ? 'int32' : t.dtype === 'bool' ? 'bool' : 'float32',
    ...(group ? { group } : {}),
  }));
  const data = new Uint8Array(specs.reduce((n, s) => n + byteLength(s), 0));
  let offset = 0;
  weights.forEach(({ tensor: t }, i) => {
    const spec = specs[i]!;
    const values = storage(t);
    const size = values.length;
    const view = spec.dtype === 'float32' ? new Float32Array(data.buffer, offset, size) : spec.dtype === 'int32' ? new Int32Array(data.buffer, offset, size) : new Uint8Array(data.buffer, offset, size);
    view.set(values);
    offset += byteLength(spec);
  });
  return { specs, data: data.buffer };
}

/** Checks one manifest entry; `where` names it (`model.json: weightsManifest[0].weights[3]`). */
export function checkWeightSpec(v: unknown, where: string): WeightSpec {
  if (!isJsonObject(v)) throw new ValueError(`${where}: expected a weight entry { name, shape, dtype }, received ${describe(v)}`);
  const { name, shape, dtype, group, quantization } = v;
  if (typeof name !== 'string' || name === '') throw new ValueError(`${where}.name expected a non-empty string, received ${describe(name)}`);
  const at = `${where} ('${name}')`;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`${at}.shape expected an array of non-negative integers, received ${describe(shape)}`);
  }
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
    throw new ValueError(`${at}.dtype expected "float32", "int32" or "bool" (the dtypes layer weights have), received ${describe(dtype)}`);
  }
  if (group !== undefined && group !== null && typeof group !== 'string') throw new ValueError(`${at}.group expected a string, received ${describe(group)}`);
  const spec: WeightSpec = { name, shape: shape as number[], dtype: dtype as WeightDType, ...(typeof group === 'string' ? { group } : {}) };
  if (quantization !== undefined && quantization !== null) spec.quantization = checkQuantization(quantization, `${at}.quantization`, spec.dtype);
  return spec;
}

function checkQuantization(v: unknown, where: string, dtype: WeightDType): WeightQuantization {
  if (!isJsonObject(v) || !['uint8', 'uint16', 'float16'].includes(v['dtype'] as string)) {
    throw new ValueError(`${where} expected { dtype: "uint8" | "uint16" | "float16", scale, min }, received ${describe(v)}`);
  }
  const q = v['dtype'] as WeightQuantization['dtype'];
  if (q === 'float16') {
    if (dtype !== 'float32') throw new ValueError(`${where}: float16 storage needs a float32 weight, the entry says ${dtype}`);
    return { dtype: q };
  }
  const { scale, min } = v;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || typeof min !== 'number' || !Number.isFinite(min)) {
    throw new ValueError(`${where}: ${q} storage expected finite 'scale' and 'min', received scale ${describe(scale)} and min ${describe(min)}`);
  }
  return { dtype: q, scale, min };
}

/** Concatenates buffers (a weights group split over several files, or TensorFlow.js's list of buffers). */
export function concatBuffers(buffers: readonly ArrayBuffer[]): Uint8Array {
  if (buffers.length === 1) return new Uint8Array(buffers[0]!);
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

/**
 * Tensors from checked specs and their bytes. The byte count must match the specs exactly: a shorter
 * buffer is a truncated file, a longer one a manifest that does not describe it.
 */
export function decodeWeights(specs: readonly WeightSpec[], bytes: Uint8Array, where: string): NamedTensor[] {
  const needed = specs.reduce((n, s) => n + byteLength(s), 0);
  if (bytes.byteLength !== needed) {
    const problem = bytes.byteLength < needed ? 'is truncated or not the file the manifest describes' : 'holds more than the manifest describes';
    throw new ValueError(`${where}: the weight data has ${bytes.byteLength} bytes but its ${specs.length} weights take ${needed}; it ${problem}`);
  }
  let offset = 0;
  return specs.map((spec) => {
    const size = sizeOf(spec.shape);
    const values = readValues(bytes, offset, size, spec);
    offset += byteLength(spec);
    return { name: spec.name, tensor: tensor(values, { shape: spec.shape, dtype: spec.dtype }), ...(spec.group ? { group: spec.group } : {}) };
  });
}

function readValues(bytes: Uint8Array, offset: number, size: number, spec: WeightSpec): Float32Array | Int32Array | Uint8Array {
  const start = bytes.byteOffset + offset;
  const q = spec.quantization;
  if (!q) {
    // slice() copies: an unaligned offset (after a bool weight) cannot back a Float32Array view.
    const raw = bytes.buffer.slice(start, start + size * BYTES_PER_ELEMENT[spec.dtype]);
    return spec.dtype === 'float32' ? new Float32Array(raw) : spec.dtype === 'int32' ? new Int32Array(raw) : new Uint8Array(raw);
  }
  const raw = bytes.buffer.slice(start, start + size * BYTES_PER_ELEMENT[q.dtype]);
  const stored = q.dtype === 'uint8' ? new Uint8Array(raw) : new Uint16Array(raw);
  const out = spec.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  if (q.dtype === 'float16') for (let i = 0; i < size; i++) out[i] = halfToFloat(stored[i]!);
  else for (let i = 0; i < size; i++) out[i] = stored[i]! * q.scale! + q.min!;
  if (spec.dtype === 'bool') return Uint8Array.from(out, (v) => (v ? 1 : 0));
  return out;
}

/** IEEE 754 half precision to a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
