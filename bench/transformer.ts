/**
 * Training throughput of a small transformer encoder (the issue's: 2 blocks, 4 heads, model width 128,
 * sequences of 128 steps, feed-forward 512, dropout 0.1, batch 32, Adam, a two-class head), layerwise
 * against PyTorch with the same model on CPU at 1 and 2 threads:
 *
 *   node dist/bench/transformer.js [--backend native|wasm|reference] [--windows 3] [--window-seconds 5] [--no-pytorch]
 *
 * layerwise trains examples/transformer.ts's encoderClassifier in this process (trainOnBatch plus one turn
 * of the event loop per batch, as fit does); PyTorch runs bench/peers/pytorch-transformer.py with
 * nn.TransformerEncoderLayer. Both warm up for 2 batches, then time windows of at least --window-seconds;
 * the median window counts. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset in the PyTorch command alone
 * (they halve its speed on these machines). Prints one JSON line per entry, then a table. Timing belongs
 * here, not in the tests.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as lw from '../src/index.js';
import { encoderClassifier } from '../examples/transformer.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'native' },
    windows: { type: 'string', default: '3' },
    'window-seconds': { type: 'string', default: '5' },
    'no-pytorch': { type: 'boolean', default: false },
  },
});
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The model and the timing, the same for every entry. */
export const CONFIG = {
  seed: 1234, batch: 32, steps: 128, features: 128, width: 128, heads: 4, blocks: 2, feedForward: 512, dropout: 0.1, classes: 2,
  warmupBatches: 2, windows: Number(values.windows), windowSeconds: Number(values['window-seconds']),
};

interface Entry {
  framework: string;
  setting: string;
  samplesPerSecond: number;
  windows: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

async function layerwise(backend: string): Promise<Entry> {
  lw.setBackend(backend as Parameters<typeof lw.setBackend>[0]);
  lw.setSeed(CONFIG.seed);
  const model = encoderClassifier(CONFIG);
  model.compile({ optimizer: new lw.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy' });
  const x = lw.randomNormal([CONFIG.batch, CONFIG.steps, CONFIG.features]);
  const y = lw.tensor(Array.from({ length: CONFIG.batch }, (_, i) => i % CONFIG.classes));
  const step = async (): Promise<void> => {
    model.trainOnBatch(x, y);
    await nextTurn();
  };
  for (let b = 0; b < CONFIG.warmupBatches; b++) await step();
  const rates: number[] = [];
  for (let w = 0; w < CONFIG.windows; w++) {
    const start = performance.now();
    let batches = 0;
    let seconds = 0;
    do {
      await step();
      batches++;
      seconds = (performance.now() - start) / 1000;
    } while (seconds < CONFIG.windowSeconds);
    rates.push((batches * CONFIG.batch) / seconds);
  }
  return { framework: 'layerwise', setting: lw.backendInfo(), samplesPerSecond: median(rates), windows: rates };
}

function pytorch(threads: number): Entry | { framework: string; setting: string; skipped: string } {
  const env: Record<string, string> = { ...process.env, OMP_NUM_THREADS: `${threads}`, MKL_NUM_THREADS: `${threads}`, OPENBLAS_NUM_THREADS: `${threads}` } as Record<string, string>;
  delete env['OPENBLAS_CORETYPE'];
  delete env['OPENBLAS_L2_SIZE'];
  const run = spawnSync('/usr/bin/python3', [join(root, 'bench', 'peers', 'pytorch-transformer.py'), '--config', JSON.stringify(CONFIG), '--threads', `${threads}`], { env, encoding: 'utf8' });
  const setting = `${threads} thread${threads > 1 ? 's' : ''}, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset`;
  if (run.status !== 0) return { framework: 'PyTorch', setting, skipped: (run.stderr || run.error?.message || 'failed').trim().split('\n').slice(-1)[0]! };
  const report = JSON.parse(run.stdout.trim().split('\n').slice(-1)[0]!) as Entry;
  return { ...report, setting };
}

const entries: (Entry | { framework: string; setting: string; skipped: string })[] = [];
const report = (e: (typeof entries)[number]): void => {
  entries.push(e);
  console.log(JSON.stringify(e));
};
report(await layerwise(values.backend));
if (!values['no-pytorch']) for (const threads of [1, 2]) report(pytorch(threads));

const measured = entries.filter((e): e is Entry => 'samplesPerSecond' in e);
const ours = measured.find((e) => e.framework === 'layerwise')!.samplesPerSecond;
const best = Math.max(0, ...measured.filter((e) => e.framework === 'PyTorch').map((e) => e.samplesPerSecond));
console.log(lw.formatTable(
  ['entry', 'samples/s', 'vs layerwise'],
  entries.map((e) => ('samplesPerSecond' in e
    ? [`${e.framework} ${e.setting}`, e.samplesPerSecond.toFixed(1), (e.samplesPerSecond / ours).toFixed(2)]
    : [`${e.framework} ${e.setting}`, `not run: ${e.skipped}`, ''])),
));
if (best > 0) console.log(`layerwise / PyTorch's best: ${(ours / best).toFixed(2)}x`);
