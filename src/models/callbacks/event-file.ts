/**
 * TensorBoard's event files (`events.out.tfevents.*`): a sequence of TFRecords, each a little-endian
 * 64-bit length, the masked CRC32C of those 8 bytes, the data and its masked CRC32C; the data is an
 * `Event` protocol buffer (tensorflow/core/util/event.proto). The first event names the format
 * (`brain.Event:2`); the others carry a `Summary` of scalars (`simple_value`) or histograms
 * (`HistogramProto`), the forms TensorBoard has always read. Each record is written with one write, so a
 * killed process leaves whole records (TensorBoard also skips a torn last one).
 */
import crc32c from 'crc-32/crc32c.js';
import protobuf from 'protobufjs/light.js';
import { makeFolder } from '../../util/atomic-file.js';
import type { NodeHost } from '../../util/node-host.js';

/** The parts of event.proto, summary.proto and histogram.proto that are written, with their field numbers. */
const PROTOS = protobuf.Root.fromJSON({
  nested: {
    Event: {
      fields: {
        wall_time: { type: 'double', id: 1 },
        step: { type: 'int64', id: 2 },
        file_version: { type: 'string', id: 3 },
        summary: { type: 'Summary', id: 5 },
      },
    },
    Summary: {
      fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
      nested: {
        Value: {
          fields: {
            tag: { type: 'string', id: 1 },
            simple_value: { type: 'float', id: 2 },
            histo: { type: 'HistogramProto', id: 5 },
          },
        },
      },
    },
    HistogramProto: {
      fields: {
        min: { type: 'double', id: 1 },
        max: { type: 'double', id: 2 },
        num: { type: 'double', id: 3 },
        sum: { type: 'double', id: 4 },
        sum_squares: { type: 'double', id: 5 },
        bucket_limit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
        bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
      },
    },
  },
});
const EVENT = PROTOS.lookupType('Event');

/** TFRecord's checksum: CRC32C rotated right by 15 bits plus a constant. */
function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c.buf(bytes) >>> 0;
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** One TFRecord around `data`. */
function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sum_squares: number;
  /** The right edge of each bucket (TensorBoard reads the last as max). */
  bucket_limit: number[];
  bucket: number[];
}

/** 30 buckets of equal width from min to max, as TensorFlow 2's histogram summaries; one bucket when all values are equal. */
export function histogramOf(values: ArrayLike<number>, buckets = 30): Histogram {
  let min = Infinity, max = -Infinity, sum = 0, sumSquares = 0, num = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    sumSquares += v * v;
    num++;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sum_squares: 0, bucket_limit: [0], bucket: [0] };
  if (min === max) return { min, max, num, sum, sum_squares: sumSquares, bucket_limit: [max], bucket: [num] };
  const width = (max - min) / buckets;
  const counts = new Array<number>(buckets).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[Math.min(buckets - 1, Math.floor((v - min) / width))]!++;
  }
  const limits = counts.map((_, b) => (b === buckets - 1 ? max : min + (b + 1) * width));
  return { min, max, num, sum, sum_squares: sumSquares, bucket_limit: limits, bucket: counts };
}

let files = 0;

/** One event file in a folder (train/ or validation/ of a log folder). */
export class EventFileWriter {
  readonly file: string;
  #fd: number;

  constructor(
    private readonly host: NodeHost,
    folder: string,
  ) {
    const { fs, path, os } = host;
    makeFolder(host, folder, 'TensorBoard');
    this.file = path.join(folder, `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${os.hostname()}.${host.pid}.${files++}.v2`);
    this.#fd = fs.openSync(this.file, 'a');
    this.#write({ wall_time: Date.now() / 1000, step: 0, file_version: 'brain.Event:2' });
  }

  scalars(values: Readonly<Record<string, number>>, step: number): void {
    const value = Object.entries(values).map(([tag, v]) => ({ tag, simple_value: v }));
    if (value.length > 0) this.#write({ wall_time: Date.now() / 1000, step, summary: { value } });
  }

  histogram(tag: string, values: ArrayLike<number>, step: number): void {
    this.#write({ wall_time: Date.now() / 1000, step, summary: { value: [{ tag, histo: histogramOf(values) }] } });
  }

  /** Flushes what was written to the disk. */
  flush(): void {
    this.host.fs.fsyncSync(this.#fd);
  }

  close(): void {
    this.host.fs.closeSync(this.#fd);
  }

  #write(event: Record<string, unknown>): void {
    this.host.fs.writeSync(this.#fd, tfRecord(EVENT.encode(EVENT.fromObject(event)).finish()));
  }
}
