/**
 * Child of dataset-memory.test.ts: streams `gib` GiB of float32 samples (16 KiB each) from a generator
 * through shuffle(1000).batch(64).prefetch(2) and prints the peak RSS seen, in MiB, as JSON.
 */
import { Dataset, Tensor, setSeed } from '../src/index.js';

const gib = Number(process.argv[2] ?? 2);
const SAMPLE = 4096;
const count = Math.round((gib * 2 ** 30) / (SAMPLE * 4));
setSeed(1);
function* samples() {
  for (let i = 0; i < count; i++) {
    const x = new Float32Array(SAMPLE).fill(i);
    yield { x: new Tensor(x, [SAMPLE]), y: i };
  }
}
const baseline = process.memoryUsage().rss;
let peak = baseline;
let seen = 0;
let checksum = 0;
for await (const batch of Dataset.from(samples).shuffle(1000).batch(64).prefetch(2)) {
  seen += batch.y.shape[0]!;
  checksum += batch.y.sum().item();
  if (seen % 4096 < 64) peak = Math.max(peak, process.memoryUsage().rss);
}
peak = Math.max(peak, process.memoryUsage().rss);
console.log(JSON.stringify({ count, seen, checksum, baselineMiB: baseline / 2 ** 20, peakMiB: peak / 2 ** 20 }));
