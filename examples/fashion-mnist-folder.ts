/**
 * Writes Debian's Fashion-MNIST (package dataset-fashion-mnist) as folders of PNG files, one subfolder per
 * class, for imageDatasetFromDirectory:
 *
 *   node dist/examples/fashion-mnist-folder.js [--out out/fashion-mnist] [--limit N]
 *
 * gives out/fashion-mnist/train/<class>/<index>.png (60,000 images) and out/fashion-mnist/test/... (10,000),
 * 28x28 grayscale. The folder is generated, never committed (out/ is ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { readIdx } from '../src/index.js';

const SOURCE = '/usr/share/datasets/fashion-mnist';
const CLASSES = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'];

const { values } = parseArgs({ options: { out: { type: 'string', default: 'out/fashion-mnist' }, limit: { type: 'string' } } });
if (!existsSync(SOURCE)) {
  console.error(`${SOURCE} does not exist: install the Debian package dataset-fashion-mnist`);
  process.exit(1);
}
const limit = values.limit === undefined ? Infinity : Number(values.limit);

for (const [part, prefix] of [['train', 'train'], ['test', 't10k']] as const) {
  const images = readIdx(join(SOURCE, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdx(join(SOURCE, `${prefix}-labels-idx1-ubyte.gz`));
  const [n, h, w] = images.shape as [number, number, number];
  const count = Math.min(n, limit);
  for (const cls of CLASSES) mkdirSync(join(values.out, part, cls), { recursive: true });
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const pixels = Buffer.from(images.data.buffer, images.data.byteOffset + i * h * w, h * w);
    const file = join(values.out, part, CLASSES[labels.data[i]!]!, `${String(i).padStart(5, '0')}.png`);
    pending.push(sharp(pixels, { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').png().toFile(file));
    if (pending.length === 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  console.log(`${part}: ${count} images in ${join(values.out, part)}/<class>/`);
}
