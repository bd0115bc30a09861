import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import '../ops/tensor-methods.js';
import { csvDataset } from './csv.js';
import { parquetDataset } from './parquet.js';
import { arrowDataset } from './arrow.js';

const dir = mkdtempSync(join(tmpdir(), 'layerwise-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const vega = (name: string) => resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'node_modules', 'vega-datasets', 'data', name);

/** Captures console.warn while fn runs. */
async function warnings(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (m: string) => seen.push(m);
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

const TABLE = 'id,name,score,weight\n1,ann,3.5,70\n2,"bob, jr",,80\n3,"line\nbreak",NA,90\n4,dan,-1e3,100\n';

test('CSV rows: header, inferred column types, quoted fields, missing numbers as NaN', async () => {
  const rows = await csvDataset(write('t.csv', TABLE)).toArray();
  assert.deepEqual(rows, [
    { id: 1, name: 'ann', score: 3.5, weight: 70 },
    { id: 2, name: 'bob, jr', score: NaN, weight: 80 },
    { id: 3, name: 'line\nbreak', score: NaN, weight: 90 },
    { id: 4, name: 'dan', score: -1000, weight: 100 },
  ]);
  const selected = await csvDataset(write('t.csv', TABLE), { select: ['weight', 'name'], columnTypes: { weight: 'string' } }).take(1).toArray();
  assert.deepEqual(selected, [{ weight: '70', name: 'ann' }]);
});

test('CSV with a label: { x, y } tensors; gzip and TSV files; no header with columnNames', async () => {
  const ds = csvDataset(write('t2.csv', TABLE), { select: ['id', 'score', 'weight'], label: 'weight' });
  const [batch] = await ds.batch(4).toArray();
  assert.deepEqual(batch!.x.shape, [4, 2]);
  assert.deepEqual(batch!.x.toArray(), [[1, 3.5], [2, NaN], [3, NaN], [4, -1000]]);
  assert.deepEqual(batch!.y.toArray(), [70, 80, 90, 100]);
  const gz = write('t.tsv.gz', gzipSync(Buffer.from('a\tb\n1\t2\n3\t4\n')));
  assert.deepEqual(await csvDataset(gz).toArray(), [{ a: 1, b: 2 }, { a: 3, b: 4 }]);
  const headless = write('h.csv', '1,2,3\n4,5,6\n');
  const labeled = await csvDataset(headless, { header: false, columnNames: ['p', 'q', 'r'], label: ['q', 'r'] }).toArray();
  assert.deepEqual(labeled.map((s) => [s.x.toArray(), s.y.toArray()]), [[[1], [2, 3]], [[4], [5, 6]]]);
  assert.throws(() => csvDataset(headless, { header: false }), /a file without a header needs the option 'columnNames'/);
  await assert.rejects(csvDataset(write('t3.csv', TABLE), { label: 'weight' }).toArray(), /column "name" holds strings, but with 'label' every feature must be a number: leave it out with 'select'/);
  await assert.rejects(csvDataset(write('t4.csv', TABLE), { label: 'wieght' }).toArray(), /t4\.csv has no column "wieght" \(option 'label'\); its columns are "id", "name", "score", "weight"/);
  assert.throws(() => csvDataset(join(dir, 'none.csv')), /none\.csv does not exist/);
  assert.throws(() => csvDataset(headless, { delimeter: ';' } as never), /unknown option 'delimeter'/);
});

test('CSV rows match pandas read_csv on a real file (seattle-weather.csv)', { skip: pandasMissing() }, async () => {
  const path = vega('seattle-weather.csv');
  const script = `import pandas as pd, json; d = pd.read_csv(${JSON.stringify(path)}); print(json.dumps({'columns': list(d.columns), 'n': len(d), 'sums': [float(d[c].sum()) for c in ['precipitation','temp_max','temp_min','wind']], 'last': d.iloc[-1].astype(str).tolist()}))`;
  const pandas = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' })) as { columns: string[]; n: number; sums: number[]; last: string[] };
  const rows = await csvDataset(path).toArray();
  assert.equal(rows.length, pandas.n);
  assert.deepEqual(Object.keys(rows[0]!), pandas.columns);
  ['precipitation', 'temp_max', 'temp_min', 'wind'].forEach((c, k) => {
    const sum = rows.reduce((s, r) => s + (r[c] as number), 0);
    assert.ok(Math.abs(sum - pandas.sums[k]!) < 1e-6 * Math.abs(pandas.sums[k]!), `${c}: ${sum} vs pandas ${pandas.sums[k]}`);
  });
  assert.deepEqual(Object.values(rows.at(-1)!).map((v) => String(v)), pandas.last.map((v) => (/^-?\d+\.0$/.test(v) ? v.slice(0, -2) : v)));
});

test('damaged CSV: a bad row, a row cut short, a truncated file and a truncated gzip name the file and line; onError skip warns', async () => {
  const bad = write('bad.csv', 'a,b\n1,2\n3,x\n5,6\n');
  await assert.rejects(csvDataset(bad).toArray(), /csvDataset: bad\.csv line 3, column "b": "x" is not a number \(the column holds numbers, as its first value showed; declare it with columnTypes: \{ "b": 'string' \}, or pass onError: 'skip'/);
  let rows: unknown[] = [];
  const warned = await warnings(async () => (rows = await csvDataset(bad, { onError: 'skip' }).toArray()));
  assert.deepEqual(rows, [{ a: 1, b: 2 }, { a: 5, b: 6 }]);
  assert.match(warned.join('\n'), /layerwise: csvDataset: skipped a row: bad\.csv line 3, column "b": "x" is not a number/);
  const short = write('short.csv', 'a,b,c\n1,2,3\n4,5\n7,8,9\n');
  await assert.rejects(csvDataset(short).toArray(), /csvDataset: short\.csv: Invalid Record Length: expect 3, got 2 on line 3/);
  const skipped = await warnings(async () => (rows = await csvDataset(short, { onError: 'skip' }).toArray()));
  assert.deepEqual(rows, [{ a: 1, b: 2, c: 3 }, { a: 7, b: 8, c: 9 }]);
  assert.match(skipped.join('\n'), /skipped a damaged row of short\.csv: Invalid Record Length: expect 3, got 2 on line 3/);
  const whole = Buffer.from(TABLE);
  const cut = write('cut.csv', whole.subarray(0, TABLE.indexOf('line') + 2));
  await assert.rejects(csvDataset(cut).toArray(), /csvDataset: cut\.csv: Quote Not Closed: the parsing is finished with an opening quote at line 4/);
  const zipped = gzipSync(Buffer.from(`a,b\n${'1,2\n'.repeat(5000)}`));
  const cutGz = write('cut.csv.gz', zipped.subarray(0, zipped.length - 40));
  await assert.rejects(csvDataset(cutGz).toArray(), /csvDataset: cut\.csv\.gz is not a whole gzip file \(unexpected end of file\): it is truncated or damaged/);
  await assert.rejects(csvDataset(write('empty.csv', '')).toArray(), /empty\.csv is empty \(not even a header\)/);
});

test('Parquet: 3 million flights in row groups; rows at row-group edges equal hyparquet\'s own row reader', async () => {
  const path = vega('flights-3m.parquet');
  const ds = parquetDataset(path, { select: ['delay', 'distance', 'origin'] });
  assert.equal(ds.size, 3_000_000);
  const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const file = await asyncBufferFromFile(path);
  const group = 272_727;
  for (const start of [0, group - 2, 5 * group + 3, 3_000_000 - 3]) {
    const expected = await parquetReadObjects({ file, compressors, columns: ['delay', 'distance', 'origin'], rowStart: start, rowEnd: start + 3 });
    // Skipping to a row reads only its row group (resuming late in the file is quick).
    const rows = await ds.skip(start).take(3).toArray();
    assert.deepEqual(rows, expected.map((r) => ({ delay: Number(r['delay']), distance: Number(r['distance']), origin: r['origin'] })), `rows from ${start}`);
  }
  const [batch] = await parquetDataset(path, { select: ['distance', 'delay'], label: 'delay' }).skip(group - 1).batch(2).take(1).toArray();
  const expected = await parquetReadObjects({ file, compressors, columns: ['distance', 'delay'], rowStart: group - 1, rowEnd: group + 1 });
  assert.deepEqual(batch!.x.toArray(), expected.map((r) => [Number(r['distance'])]));
  assert.deepEqual(batch!.y.toArray(), expected.map((r) => Number(r['delay'])));
  assert.throws(() => parquetDataset(path, { label: 'origin', select: ['delay', 'origin'] }), /column "origin" holds strings, but with 'label' every label must be a number/);
  assert.throws(() => parquetDataset(path, { select: ['delays'] }), /has no column "delays" \(option 'select'\); its columns are "date", "delay", "distance", "origin", "destination"/);
});

test('Parquet and Arrow: damaged files are named', async () => {
  const bytes = readFileSync(vega('flights-3m.parquet'));
  const notParquet = write('x.parquet', 'id,value\n1,2\n');
  assert.throws(() => parquetDataset(notParquet), /x\.parquet is not a Parquet file \(it does not end with the PAR1 mark\)/);
  const cut = write('cut.parquet', bytes.subarray(0, 4_000_000));
  assert.throws(() => parquetDataset(cut), /cut\.parquet is not a Parquet file/);
  // The footer intact but a row group's bytes overwritten: that group is named, or skipped with a warning.
  const broken = Buffer.from(bytes);
  broken.fill(7, 1_400_000, 1_500_000); // inside the delay column of row group 1
  const brokenPath = write('broken.parquet', broken);
  await assert.rejects(parquetDataset(brokenPath, { select: ['delay'] }).toArray(), /parquetDataset: row group 1 of broken\.parquet \(rows 272727\.\.545453\) cannot be read: invalid zstd data/);
  // Skipped: the rows around the damaged group run from the end of group 0 straight into group 2.
  let rows: unknown[] = [];
  const warned = await warnings(async () => {
    rows = await parquetDataset(brokenPath, { select: ['delay'], onError: 'skip' }).skip(272_727 - 2).take(4).toArray();
  });
  const original = parquetDataset(vega('flights-3m.parquet'), { select: ['delay'] });
  const before = await original.skip(272_727 - 2).take(2).toArray();
  const intact = await original.skip(2 * 272_727).take(2).toArray();
  assert.deepEqual(rows, [...before, ...intact]);
  assert.match(warned.join('\n'), /skipped row group 1 of broken\.parquet/);
  const arrowBytes = readFileSync(vega('flights-200k.arrow'));
  const cutArrow = write('cut.arrow', arrowBytes.subarray(0, 500_000));
  await assert.rejects(arrowDataset(cutArrow).toArray(), /arrowDataset: cut\.arrow cannot be read as Arrow IPC after 0 rows/);
});

test('Arrow: 200,000 flights by record batch, as rows or { x, y }', async () => {
  const ds = arrowDataset(vega('flights-200k.arrow'));
  const rows = await ds.take(2).toArray();
  assert.deepEqual(Object.keys(rows[0]!), ['delay', 'distance', 'time']);
  let count = 0, delays = 0;
  for await (const b of arrowDataset(vega('flights-200k.arrow'), { label: 'delay' }).batch(4096)) {
    count += b.y.shape[0]!;
    delays += b.y.sum().item();
    assert.equal(b.x.shape[1], 2);
  }
  assert.equal(count, 200_000);
  const { tableFromIPC } = await import('apache-arrow');
  const table = tableFromIPC(readFileSync(vega('flights-200k.arrow')));
  const expected = Array.from(table.getChild('delay')!.toArray() as Int16Array).reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(delays - expected) < 1, `delay sum ${delays} vs apache-arrow's table ${expected}`);
});

function pandasMissing(): string | false {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'pandas (python3-pandas) is not installed';
  }
}
