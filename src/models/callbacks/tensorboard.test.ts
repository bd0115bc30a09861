/**
 * TensorBoard's event files, read back independently of the writer: a decoder written here (TFRecord
 * framing, CRC32C computed bit by bit, protobuf wire format by hand), and Python's protobuf runtime
 * (Debian's python3-protobuf) with event.proto's messages declared from their field numbers, which also
 * checks every CRC. Neither TensorBoard nor TensorFlow installs here (no Debian package, no access to
 * PyPI), so TensorBoard's own reader is not run; the Python part skips without python3-protobuf.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import '../../ops/tensor-methods.js';
import { Dense } from '../../layers/index.js';
import { randomNormal } from '../../tensor/creation.js';
import { setSeed } from '../../util/random.js';
import { Sequential } from '../sequential.js';
import { histogramOf } from './event-file.js';
import { TensorBoard } from './tensorboard.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-tb-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit. */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const masked = (bytes: Uint8Array) => ((((crc32c(bytes) >>> 15) | (crc32c(bytes) << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;

/** The records of a TFRecord file, each CRC checked. */
function records(file: string): Uint8Array[] {
  const bytes = new Uint8Array(readFileSync(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = Number(view.getBigUint64(at, true));
    assert.equal(view.getUint32(at + 8, true), masked(bytes.subarray(at, at + 8)), 'length CRC');
    const data = bytes.subarray(at + 12, at + 12 + length);
    assert.equal(view.getUint32(at + 12 + length, true), masked(data), 'data CRC');
    out.push(data);
    at += 16 + length;
  }
  return out;
}

type Field = { number: number; wire: number; value: bigint | Uint8Array | DataView };

/** The fields of a protobuf message (wire types 0, 1, 2, 5). */
function fields(msg: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n, shift = 0n;
    for (;;) {
      const b = msg[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) return v;
    }
  };
  while (at < msg.length) {
    const key = Number(varint());
    const wire = key & 7, number = key >>> 3;
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      out.push({ number, wire, value: new DataView(msg.buffer, msg.byteOffset + at, size) });
      at += size;
    } else if (wire === 2) {
      const n = Number(varint());
      out.push({ number, wire, value: msg.subarray(at, at + n) });
      at += n;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}
const one = (fs: Field[], n: number) => fs.find((f) => f.number === n)?.value;
const double = (v: unknown) => (v as DataView).getFloat64(0, true);
const packedDoubles = (v: unknown) => {
  const b = v as Uint8Array;
  return Array.from({ length: b.length / 8 }, (_, i) => new DataView(b.buffer, b.byteOffset + i * 8, 8).getFloat64(0, true));
};

interface Decoded {
  step: number;
  fileVersion?: string;
  scalars: Record<string, number>;
  histograms: Record<string, { min: number; max: number; num: number; sum: number; limits: number[]; counts: number[] }>;
}

function decode(file: string): Decoded[] {
  return records(file).map((r) => {
    const event = fields(r);
    const version = one(event, 3);
    const d: Decoded = { step: Number((one(event, 2) as bigint | undefined) ?? 0n), scalars: {}, histograms: {} };
    if (version) d.fileVersion = new TextDecoder().decode(version as Uint8Array);
    assert.ok(double(one(event, 1)) > 1.6e9, 'wall time in seconds');
    const summary = one(event, 5) as Uint8Array | undefined;
    for (const value of summary ? fields(summary).filter((f) => f.number === 1) : []) {
      const v = fields(value.value as Uint8Array);
      const tag = new TextDecoder().decode(one(v, 1) as Uint8Array);
      const simple = one(v, 2) as DataView | undefined;
      if (simple) d.scalars[tag] = simple.getFloat32(0, true);
      const histo = one(v, 5) as Uint8Array | undefined;
      if (histo) {
        const h = fields(histo);
        d.histograms[tag] = { min: double(one(h, 1)), max: double(one(h, 2)), num: double(one(h, 3)), sum: double(one(h, 4)), limits: packedDoubles(one(h, 6)), counts: packedDoubles(one(h, 7)) };
      }
    }
    return d;
  });
}

const PYTHON = '/usr/bin/python3';
// event.proto, summary.proto and histogram.proto's fields, declared for Python's protobuf runtime.
const PY_DECODE = String.raw`
import json, struct, sys
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
F = descriptor_pb2.FieldDescriptorProto
fd = descriptor_pb2.FileDescriptorProto(name='events.proto', package='tb')
def message(name, fields):
  m = fd.message_type.add(name=name)
  for fname, number, ftype, label, type_name in fields:
    f = m.field.add(name=fname, number=number, type=ftype, label=label)
    if type_name: f.type_name = type_name
  return m
O, R = F.LABEL_OPTIONAL, F.LABEL_REPEATED
message('HistogramProto', [('min', 1, F.TYPE_DOUBLE, O, None), ('max', 2, F.TYPE_DOUBLE, O, None), ('num', 3, F.TYPE_DOUBLE, O, None),
  ('sum', 4, F.TYPE_DOUBLE, O, None), ('sum_squares', 5, F.TYPE_DOUBLE, O, None), ('bucket_limit', 6, F.TYPE_DOUBLE, R, None), ('bucket', 7, F.TYPE_DOUBLE, R, None)])
message('Value', [('tag', 1, F.TYPE_STRING, O, None), ('simple_value', 2, F.TYPE_FLOAT, O, None), ('histo', 5, F.TYPE_MESSAGE, O, '.tb.HistogramProto')])
message('Summary', [('value', 1, F.TYPE_MESSAGE, R, '.tb.Value')])
message('Event', [('wall_time', 1, F.TYPE_DOUBLE, O, None), ('step', 2, F.TYPE_INT64, O, None), ('file_version', 3, F.TYPE_STRING, O, None),
  ('summary', 5, F.TYPE_MESSAGE, O, '.tb.Summary')])
pool = descriptor_pool.DescriptorPool()
pool.Add(fd)
Event = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName('tb.Event'))
def crc32c(data):
  crc = 0xFFFFFFFF
  for b in data:
    crc ^= b
    for _ in range(8):
      crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
  return crc ^ 0xFFFFFFFF
def masked(data):
  c = crc32c(data)
  return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF
out = []
for path in sys.argv[1:]:
  data, at, events = open(path, 'rb').read(), 0, []
  while at < len(data):
    (length,) = struct.unpack('<Q', data[at:at + 8])
    assert struct.unpack('<I', data[at + 8:at + 12])[0] == masked(data[at:at + 8])
    body = data[at + 12:at + 12 + length]
    assert struct.unpack('<I', data[at + 12 + length:at + 16 + length])[0] == masked(body)
    e = Event()
    e.ParseFromString(body)
    events.append({'step': e.step, 'file_version': e.file_version, 'scalars': {v.tag: v.simple_value for v in e.summary.value if v.HasField('simple_value')},
      'histograms': {v.tag: {'num': v.histo.num, 'sum': v.histo.sum, 'limits': list(v.histo.bucket_limit), 'counts': list(v.histo.bucket)} for v in e.summary.value if v.HasField('histo')}})
    at += 16 + length
  out.append(events)
print(json.dumps(out))
`;

function eventFile(folder: string): string {
  const files = readdirSync(folder).filter((f) => f.startsWith('events.out.tfevents.'));
  assert.equal(files.length, 1, `one event file in ${folder}`);
  return join(folder, files[0]!);
}

describe('TensorBoard', () => {
  test('train and validation event files: epoch scalars, batch scalars every 2 updates, weight histograms', async () => {
    setSeed(4);
    const model = new Sequential([new Dense({ units: 3, activation: 'relu', inputShape: [4], name: 'hidden' }), new Dense({ units: 1, name: 'out' })]);
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const logDir = join(root, 'run');
    const history = await model.fit(randomNormal([24, 4]), randomNormal([24, 1]), {
      epochs: 3, batchSize: 6, validationSplit: 0.25, verbose: 0, callbacks: [new TensorBoard({ logDir, histogramFreq: 2, updateFreq: 2 })],
    });
    const train = decode(eventFile(join(logDir, 'train')));
    const validation = decode(eventFile(join(logDir, 'validation')));
    assert.equal(train[0]!.fileVersion, 'brain.Event:2');
    assert.equal(validation[0]!.fileVersion, 'brain.Event:2');

    const f32 = (v: number) => Math.fround(v);
    const epochs = train.filter((e) => 'epoch_loss' in e.scalars);
    assert.deepEqual(epochs.map((e) => e.step), [0, 1, 2]);
    assert.deepEqual(epochs.map((e) => e.scalars['epoch_loss']), history.history['loss']!.map(f32));
    assert.deepEqual(epochs.map((e) => e.scalars['epoch_mae']), history.history['mae']!.map(f32));
    assert.ok(epochs.every((e) => e.scalars['epoch_learning_rate'] === f32(0.001)));
    const validationEpochs = validation.filter((e) => 'epoch_loss' in e.scalars);
    assert.deepEqual(validationEpochs.map((e) => e.scalars['epoch_loss']), history.history['val_loss']!.map(f32));
    assert.deepEqual(validation.filter((e) => 'evaluation_loss_vs_iterations' in e.scalars).map((e) => e.step), [3, 6, 9]);
    // 3 batches an epoch: updates 2, 4, 6, 8 carry batch values.
    assert.deepEqual(train.filter((e) => 'batch_loss' in e.scalars).map((e) => e.step), [2, 4, 6, 8]);

    // Histograms at epochs 0 and 2, one per weight, of the weights' values at that time (the last ones checked).
    const histograms = train.filter((e) => Object.keys(e.histograms).length > 0);
    assert.deepEqual(histograms.map((e) => e.step), [0, 0, 0, 0, 2, 2, 2, 2]);
    assert.deepEqual(histograms.slice(4).map((e) => Object.keys(e.histograms)[0]), ['hidden/kernel/histogram', 'hidden/bias/histogram', 'out/kernel/histogram', 'out/bias/histogram']);
    const kernel = Array.from(model.layers[0]!.weights[0]!.data() as Float32Array);
    const h = histograms[4]!.histograms['hidden/kernel/histogram']!;
    assert.equal(h.num, 12);
    assert.equal(h.counts.reduce((a, b) => a + b, 0), 12);
    assert.equal(h.min, Math.min(...kernel));
    assert.equal(h.max, Math.max(...kernel));
    assert.ok(Math.abs(h.sum - kernel.reduce((a, b) => a + b, 0)) < 1e-12);
    assert.equal(h.limits.length, 30);
    assert.equal(h.limits[29], h.max);

    if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import google.protobuf']).status !== 0) return;
    const py = spawnSync(PYTHON, ['-c', PY_DECODE, eventFile(join(logDir, 'train')), eventFile(join(logDir, 'validation'))], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const [pyTrain, pyValidation] = JSON.parse(py.stdout) as { step: number; file_version: string; scalars: Record<string, number>; histograms: Record<string, { num: number; counts: number[] }> }[][];
    assert.equal(pyTrain!.length, train.length);
    pyTrain!.forEach((e, i) => {
      assert.equal(e.step, train[i]!.step);
      assert.deepEqual(e.scalars, train[i]!.scalars);
      for (const [tag, hist] of Object.entries(e.histograms)) assert.deepEqual(hist.counts, train[i]!.histograms[tag]!.counts);
    });
    assert.deepEqual(pyValidation!.map((e) => e.scalars), validation.map((e) => e.scalars));
  });

  test('histograms: equal-width buckets from min to max, counts adding up', () => {
    const h = histogramOf([0, 1, 2, 3, 10], 5);
    assert.deepEqual(h.bucket_limit, [2, 4, 6, 8, 10]);
    assert.deepEqual(h.bucket, [2, 2, 0, 0, 1]);
    assert.deepEqual(histogramOf([4, 4, 4]).bucket, [3]);
  });

  test('options are checked', () => {
    assert.throws(() => new TensorBoard({ updateFreq: 'step' as never }), /TensorBoard: option 'updateFreq' expected one of "epoch", "batch" or a positive integer, received "step"/);
    assert.throws(() => new TensorBoard({ log_dir: 'x' } as never), /unknown option 'log_dir' \(did you mean 'logDir'\?\)/);
  });
});
