/**
 * Training on a file larger than the memory the process is given. A CSV made from flights-3m.parquet
 * (the 3 million flights written again and again until the file is 4x the RSS ceiling; generated into
 * out/, never committed) is trained on for one whole pass by a child process started with
 * `--max-old-space-size=<heap>`; the child's peak RSS (getrusage's maxRSS, what the kernel counted) must
 * stay below the ceiling.
 *
 *   npm run build && node dist/bench/larger-than-memory.js [--heap 32] [--ceiling 128] [--file out/flights-large.csv]
 *
 * Exits with status 1 when the peak RSS reaches the ceiling.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Dense, Sequential, Tensor, csvDataset, parquetDataset, setSeed } from '../src/index.js';
import type { Batched, TableRow } from '../src/index.js';
import { printTable } from './data-table.js';

const PARQUET = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    heap: { type: 'string', default: '32' },
    ceiling: { type: 'string', default: '128' },
    file: { type: 'string', default: 'out/flights-large.csv' },
    child: { type: 'boolean', default: false },
  },
});

if (values.child) await train(values.file);
else await measure();

async function measure(): Promise<void> {
  const [heap, ceiling] = [Number(values.heap), Number(values.ceiling)];
  const wanted = 4 * ceiling * MiB;
  const size = statSync(values.file, { throwIfNoEntry: false })?.size ?? 0;
  if (size < wanted) await writeCsv(values.file, wanted);
  const bytes = statSync(values.file).size;
  console.log(`${values.file}: ${(bytes / MiB).toFixed(0)} MiB of CSV; training one pass on it with --max-old-space-size=${heap}, RSS ceiling ${ceiling} MiB`);
  const child = spawn(process.execPath, [`--max-old-space-size=${heap}`, fileURLToPath(import.meta.url), '--child', '--file', values.file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) {
    console.error(`the training process ended with status ${code}:\n${out}`);
    process.exit(1);
  }
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { rows: number; seconds: number; peakRss: number; loss: number };
  const peak = result.peakRss / MiB;
  console.log(
    `trained on ${result.rows.toLocaleString('en')} rows in ${result.seconds.toFixed(0)} s (${Math.round(result.rows / result.seconds).toLocaleString('en')} rows/s), final loss ${result.loss.toFixed(4)}; ` +
      `peak RSS ${peak.toFixed(0)} MiB: the file is ${(bytes / MiB / peak).toFixed(1)}x the peak RSS and ${(bytes / MiB / ceiling).toFixed(1)}x the ceiling`,
  );
  if (peak >= ceiling) {
    console.error(`the peak RSS ${peak.toFixed(0)} MiB reached the ceiling of ${ceiling} MiB`);
    process.exit(1);
  }
  printTable({
    headers: ['CSV file (MiB)', 'rows trained on', 'rows/s', 'heap limit (MiB)', 'RSS ceiling (MiB)', 'peak RSS (MiB)', 'file / ceiling'],
    numeric: [0, 1, 2, 3, 4, 5, 6],
    rows: [[(bytes / MiB).toFixed(0), result.rows.toLocaleString('en'), Math.round(result.rows / result.seconds).toLocaleString('en'), `${heap}`, `${ceiling}`, peak.toFixed(0), `${(bytes / MiB / ceiling).toFixed(1)}×`]],
    notes: [`One pass of Dense(16, relu) → Dense(1, sigmoid) (late by more than 15 minutes, from hour, weekday and distance), a shuffle buffer of 10,000 rows, batches of 1,024; binary cross-entropy of the pass ${result.loss.toFixed(4)}.`],
  });
}

/** The flights as CSV rows (date, delay, distance, origin, destination), repeated until the file holds `bytes`; written atomically. */
async function writeCsv(path: string, bytes: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let written = 0;
  const write = async (text: string) => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  await write('date,delay,distance,origin,destination\n');
  const two = (n: number) => String(n).padStart(2, '0');
  // Rows, not batches: a batch holds the millisecond timestamps as float32, off by up to two minutes.
  // The first copy's text is kept (this process is not the one measured) and written again for the others.
  const chunks: string[] = [];
  let text = '';
  for await (const f of parquetDataset(PARQUET, { select: ['date', 'delay', 'distance', 'origin', 'destination'] })) {
    const when = new Date(f['date'] as number);
    text += `${when.getUTCFullYear()}-${two(when.getUTCMonth() + 1)}-${two(when.getUTCDate())} ${two(when.getUTCHours())}:${two(when.getUTCMinutes())},${f['delay']},${f['distance']},${f['origin']},${f['destination']}\n`;
    if (text.length > 1 << 20) {
      chunks.push(text);
      text = '';
    }
  }
  chunks.push(text);
  for (let copy = 1; written < bytes; copy++) {
    for (const chunk of chunks) await write(chunk);
    console.log(`writing ${path}: copy ${copy} of the 3 million flights, ${(written / MiB).toFixed(0)} of ${(bytes / MiB).toFixed(0)} MiB`);
  }
  out.end();
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  renameSync(partial, path);
}

/** One pass over the CSV: late (> 15 min) or not, from hour, weekday and distance, in batches of 1024. */
async function train(path: string): Promise<void> {
  setSeed(2001);
  const FEATURES = 24 + 7 + 1;
  const encode = (batch: Batched<TableRow>): { x: Tensor; y: Tensor } => {
    const dates = batch['date'], delays = batch['delay'], distances = batch['distance'];
    if (!Array.isArray(dates) || !(delays instanceof Tensor) || !(distances instanceof Tensor)) throw new Error(`${path}: expected the columns date (text), delay and distance (numbers)`);
    const [delay, distance] = [delays.data(), distances.data()];
    const x = new Float32Array(dates.length * FEATURES);
    const y = new Float32Array(dates.length);
    for (let i = 0; i < dates.length; i++) {
      const date = dates[i]!; // 2001-01-01 00:01
      const day = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
      x[i * FEATURES + Number(date.slice(11, 13))] = 1;
      x[i * FEATURES + 24 + day.getUTCDay()] = 1;
      x[i * FEATURES + 31] = (Math.log1p(distance[i]!) - 6.3) / 0.79; // the training part's statistics (examples/flights.ts)
      y[i] = delay[i]! > 15 ? 1 : 0;
    }
    return { x: new Tensor(x, [dates.length, FEATURES]), y: new Tensor(y, [dates.length, 1]) };
  };
  let rows = 0;
  const data = csvDataset(path).shuffle(10_000).batch(1024).map((b) => {
    const encoded = encode(b);
    rows += encoded.y.size;
    return encoded;
  }).prefetch(2);
  const model = new Sequential();
  model.add(new Dense({ units: 16, activation: 'relu', inputShape: [FEATURES] }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  const started = performance.now();
  const history = await model.fit(data, { epochs: 1, verbose: 0 });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ rows, seconds, peakRss: process.resourceUsage().maxRSS * 1024, loss: history.history['loss']![0] }));
}
