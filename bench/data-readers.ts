/**
 * Rows per second of the data loaders against their peers, and the parallel map's throughput:
 *
 *   node dist/bench/data-readers.js [--rows 1000000] [--repeats 3] [--only csv|parquet|map]
 *
 * - CSV: a generated file (9 numeric columns, the last the label) read by layerwise's csvDataset (rows as
 *   records, and `{ x, y }` tensors with a label), TensorFlow.js's tf.data.csv (rows, and xs/ys with a
 *   label column), and pandas.read_csv (whole file, and in chunks of 100,000) where /usr/bin/python3 has
 *   pandas. Each reads every row once per repeat; the figure is the median.
 * - Parquet: vega-datasets' flights-3m.parquet (3 million rows in 11 row groups) by parquetDataset; pandas
 *   reads Parquet only with pyarrow or fastparquet, reported as not run when neither is installed.
 * - Map: a CPU-heavy map (testing.ts `heavy`, about 1.5 ms a sample) over 1,000 samples of 256 floats, on this thread and on
 *   1 and 2 worker threads.
 *
 * Prints one JSON line per measurement, then a table, and the table as JSON on the last line (for
 * `npm run bench`, bench/data.ts). Timing belongs here, not in the tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Dataset, Tensor, arrowDataset, csvDataset, moduleExport, parquetDataset } from '../src/index.js';
import { heavy } from '../src/data/testing.js';
import { type DataTable, markdownTable, printTable } from './data-table.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, repeats: { type: 'string', default: '3' }, only: { type: 'string' } } });
const ROWS = Number(values.rows);
const REPEATS = Number(values.repeats);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vega = (name: string) => join(root, 'node_modules', 'vega-datasets', 'data', name);

interface Row {
  reader: string;
  rows: number;
  medianSeconds: number;
  rowsPerSecond: number;
  note?: string;
}
const results: Row[] = [];
/** Peers that could not run here, and why. */
const skipped: string[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(reader: string, run: () => Promise<number>, note?: string): Promise<void> {
  const times: number[] = [];
  let rows = 0;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    rows = await run();
    times.push((performance.now() - start) / 1000);
  }
  const m = median(times);
  const row: Row = { reader, rows, medianSeconds: m, rowsPerSecond: rows / m, ...(note ? { note } : {}) };
  results.push(row);
  console.log(JSON.stringify(row));
}

function python(script: string): string | null {
  try {
    return execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  } catch {
    return null;
  }
}

async function csv(dir: string): Promise<void> {
  const path = join(dir, 'bench.csv');
  const lines = ['f0,f1,f2,f3,f4,f5,f6,f7,label'];
  let s = 1;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < ROWS; i++) lines.push(Array.from({ length: 8 }, () => (next() * 100).toFixed(3)).concat(String(i % 10)).join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
  await measure('layerwise csvDataset (rows)', async () => {
    let n = 0;
    for await (const _ of csvDataset(path)) n++;
    return n;
  });
  await measure('layerwise csvDataset ({ x, y } tensors)', async () => {
    let n = 0;
    for await (const _ of csvDataset(path, { label: 'label' })) n++;
    return n;
  });
  const tf = await import('@tensorflow/tfjs');
  const url = pathToFileURL(path).href;
  await measure('TensorFlow.js tf.data.csv (rows)', async () => {
    let n = 0;
    await tf.data.csv(url).forEachAsync(() => void n++);
    return n;
  });
  await measure('TensorFlow.js tf.data.csv (xs, ys)', async () => {
    let n = 0;
    await tf.data.csv(url, { columnConfigs: { label: { isLabel: true } } }).forEachAsync(() => void n++);
    return n;
  });
  const script = (body: string) => `import time, pandas as pd\nts = []\nfor _ in range(${REPEATS}):\n    t = time.perf_counter()\n${body}\n    ts.append(time.perf_counter() - t)\nts.sort(); print(n, ts[len(ts) // 2])`;
  for (const [reader, body] of [
    ['pandas read_csv (whole file)', `    n = len(pd.read_csv(${JSON.stringify(path)}))`],
    ['pandas read_csv (chunks of 100,000)', `    n = sum(len(c) for c in pd.read_csv(${JSON.stringify(path)}, chunksize=100000))`],
  ] as const) {
    const out = python(script(body));
    if (out === null) {
      skipped.push(`${reader}: not run, /usr/bin/python3 has no pandas`);
      continue;
    }
    const [n, t] = out.trim().split(' ').map(Number) as [number, number];
    const row: Row = { reader, rows: n, medianSeconds: t, rowsPerSecond: n / t };
    results.push(row);
    console.log(JSON.stringify(row));
  }
}

async function parquet(): Promise<void> {
  const path = vega('flights-3m.parquet');
  await measure('layerwise parquetDataset (rows, 5 columns)', async () => {
    let n = 0;
    for await (const _ of parquetDataset(path)) n++;
    return n;
  });
  await measure('layerwise parquetDataset ({ x, y }, 2 columns)', async () => {
    let n = 0;
    for await (const _ of parquetDataset(path, { select: ['distance', 'delay'], label: 'delay' })) n++;
    return n;
  });
  await measure('layerwise arrowDataset (flights-200k.arrow, rows)', async () => {
    let n = 0;
    for await (const _ of arrowDataset(vega('flights-200k.arrow'))) n++;
    return n;
  });
  const engines = python('import importlib.util as u; print(",".join(m for m in ("pyarrow", "fastparquet") if u.find_spec(m)))');
  if (engines === null || engines.trim() === '') {
    skipped.push('pandas read_parquet: not run, neither pyarrow nor fastparquet is installed for /usr/bin/python3');
  } else {
    const out = python(`import time, pandas as pd\nt = time.perf_counter(); n = len(pd.read_parquet(${JSON.stringify(path)})); print(n, time.perf_counter() - t)`);
    if (out) {
      const [n, t] = out.trim().split(' ').map(Number) as [number, number];
      results.push({ reader: 'pandas read_parquet', rows: n, medianSeconds: t, rowsPerSecond: n / t });
    }
  }
}

async function map(): Promise<void> {
  const samples = Array.from({ length: 1000 }, (_, i) => new Tensor(new Float32Array(256).fill(i / 1000), [256]));
  const ds = Dataset.from(samples);
  const ref = moduleExport<(x: Tensor) => Tensor>(new URL('../src/data/testing.js', import.meta.url), 'heavy');
  const count = async (d: Dataset<Tensor>) => {
    let n = 0;
    for await (const _ of d.batch(32).prefetch(2)) n += 32;
    return Math.min(n, samples.length);
  };
  await measure('heavy map on this thread', () => count(ds.map((x) => heavy(x))));
  await measure('heavy map on 1 worker thread', () => count(ds.map(ref, { parallel: 1 })), 'includes starting the workers');
  await measure('heavy map on 2 worker threads', () => count(ds.map(ref, { parallel: 2 })), 'includes starting the workers');
}

console.log(JSON.stringify({ loadAverage: os.loadavg()[0], cores: os.cpus().length }));
const dir = mkdtempSync(join(tmpdir(), 'layerwise-bench-data-'));
try {
  if (!values.only || values.only === 'csv') await csv(dir);
  if (!values.only || values.only === 'parquet') await parquet();
  if (!values.only || values.only === 'map') await map();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nload average at the end: ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores`);
const table: DataTable = {
  headers: ['reader', 'rows', 'median s', 'rows/s'],
  numeric: [1, 2, 3],
  rows: results.map((r) => [r.reader, r.rows.toLocaleString('en'), r.medianSeconds.toFixed(2), Math.round(r.rowsPerSecond).toLocaleString('en')]),
  notes: [...skipped, `${REPEATS} pass${REPEATS > 1 ? 'es' : ''} per reader, the median counts; the CSV has ${ROWS.toLocaleString('en')} rows.`],
};
console.log(markdownTable(table));
printTable(table);
