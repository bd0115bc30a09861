import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import '../ops/tensor-methods.js';
import { csvDataset } from './csv.js';
import type { Dataset } from './dataset.js';
import type { LabeledRow, TableRow } from './table.js';

const dir = mkdtempSync(join(tmpdir(), 'layerwise-csv-sources-'));
const write = (name: string, bytes: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const seattle = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv');

const TABLE = 'id,name,score,weight\n1,ann,3.5,70\n2,"bob, jr",,80\n3,"line\nbreak",NA,90\n4,dan,-1e3,100\n';
// The table read by hand: quotes taken off, the embedded comma and newline kept, '' and NA missing.
const ROWS = [
  { id: 1, name: 'ann', score: 3.5, weight: 70 },
  { id: 2, name: 'bob, jr', score: NaN, weight: 80 },
  { id: 3, name: 'line\nbreak', score: NaN, weight: 90 },
  { id: 4, name: 'dan', score: -1000, weight: 100 },
];
const bytes = new TextEncoder().encode(TABLE);

/** A local server: its files by path, every request counted; anything else is a 404. */
const files = new Map<string, Uint8Array>();
const requests: string[] = [];
let base = '';
const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  requests.push(path);
  const body = files.get(path);
  if (body === undefined) return void response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  response.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': body.length }).end(body);
});
before(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

/** A web stream of `data` in chunks of `size` bytes (cutting characters and records anywhere). */
function streamOf(data: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.slice(at, at + size));
      at += size;
    },
  });
}

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

const labeled = async (ds: Dataset<LabeledRow>) => (await ds.toArray()).map((s) => [Array.from(s.x.data() as Float32Array), s.y.toArray()]);

test('the same CSV from a path, a file: URL, a Blob, a File, a Response, a ReadableStream, gzip and http gives the same rows', async () => {
  const path = write('t.csv', TABLE);
  const gz = gzipSync(bytes);
  files.set('/t.csv', bytes);
  files.set('/t.csv.gz', gz);
  files.set('/packed', gz); // gzip known by its first bytes, not its name
  const sources: [string, () => Parameters<typeof csvDataset>[0]][] = [
    ['path', () => path],
    ['file: URL', () => pathToFileURL(path)],
    ['file: URL string', () => pathToFileURL(path).href],
    ['gzip file', () => write('t.gz', gz)],
    ['Blob', () => new Blob([bytes])],
    ['File', () => new File([bytes], 't.csv')],
    ['gzip Blob', () => new Blob([gz])],
    ['Response', () => new Response(bytes)],
    ['gzip Response', () => new Response(gz)],
    ['ReadableStream in 3-byte chunks', () => streamOf(bytes, 3)],
    ['gzip ReadableStream in 1-byte chunks', () => streamOf(gz, 1)],
    ['http URL', () => `${base}/t.csv`],
    ['http URL object', () => new URL(`${base}/t.csv.gz`)],
    ['http, gzip without the name', () => `${base}/packed`],
  ];
  for (const [what, source] of sources) {
    assert.deepEqual(await csvDataset(source()).toArray(), ROWS, what);
    const pairs = await labeled(csvDataset(source(), { select: ['id', 'score', 'weight'], label: 'weight' }));
    assert.deepEqual(pairs, ROWS.map((r) => [[r.id, r.score], r.weight]), `${what}, with a label`);
  }
});

test('URLs and Blobs are read again every pass; a Response or a stream once, with an error that says what to do', async () => {
  files.set('/epochs.csv', bytes);
  const fromUrl = csvDataset(`${base}/epochs.csv`);
  const before = requests.length;
  assert.deepEqual(await fromUrl.repeat(3).toArray(), [...ROWS, ...ROWS, ...ROWS]);
  assert.equal(requests.slice(before).filter((p) => p === '/epochs.csv').length, 3, 'one request per pass');
  const blob = csvDataset(new File([bytes], 't.csv'));
  assert.deepEqual([await blob.toArray(), await blob.toArray()], [ROWS, ROWS]);

  const response = csvDataset(new Response(bytes));
  assert.deepEqual(await response.toArray(), ROWS);
  await assert.rejects(response.toArray(), /csvDataset: a Response can be read only once, and this is a second pass over the Response: pass a URL \(fetched again every pass\) or a Blob, or call \.cache\(\) on the Dataset/);
  const stream = csvDataset(streamOf(bytes, 5)).repeat(2);
  await assert.rejects(stream.toArray(), /a ReadableStream can be read only once, and this is a second pass over the stream/);
  const cached = csvDataset(new Response(bytes)).cache();
  assert.deepEqual([await cached.toArray(), await cached.toArray()], [ROWS, ROWS]);
  const used = new Response(bytes);
  await used.text();
  assert.throws(() => csvDataset(used), /the body of the Response has already been read; pass the URL instead/);
});

test('an HTTP error, an unreachable server and a source of another kind are clear errors', async () => {
  await assert.rejects(csvDataset(`${base}/missing.csv`).toArray(), new RegExp(`csvDataset: fetching ${base}/missing\\.csv failed with HTTP status 404 Not Found`));
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const { port } = closed.address() as AddressInfo;
  await new Promise((done) => closed.close(done));
  await assert.rejects(csvDataset(`http://127.0.0.1:${port}/x.csv`).toArray(), new RegExp(`csvDataset: fetching http://127\\.0\\.0\\.1:${port}/x\\.csv failed: fetch failed \\(.*ECONNREFUSED`));
  for (const bad of [42, null, '', { path: 'x.csv' }, new Uint8Array(3)]) {
    assert.throws(() => csvDataset(bad as never), /csvDataset: argument 'source' expected a file path, a file: or http\(s\): URL, a Blob or File, a Response or a ReadableStream of bytes, received/);
  }
});

test('web sources: a damaged row names the File and line, onError skip warns, a truncated gzip is named, TSV by name', async () => {
  const bad = new TextEncoder().encode('a,b\n1,2\n3,x\n5,6\n');
  await assert.rejects(csvDataset(new File([bad], 'bad.csv')).toArray(), /csvDataset: bad\.csv line 3, column "b": "x" is not a number \(the column holds numbers, as its first value showed/);
  files.set('/bad.csv', bad);
  await assert.rejects(csvDataset(`${base}/bad.csv`).toArray(), new RegExp(`csvDataset: ${base}/bad\\.csv line 3, column "b"`));
  let rows: unknown[] = [];
  let warned = await warnings(async () => (rows = await csvDataset(new File([bad], 'bad.csv'), { onError: 'skip' }).toArray()));
  assert.deepEqual(rows, [{ a: 1, b: 2 }, { a: 5, b: 6 }]);
  assert.match(warned.join('\n'), /skipped a row: bad\.csv line 3, column "b": "x" is not a number/);
  const short = new TextEncoder().encode('a,b,c\n1,2,3\n4,5\n7,8,9\n');
  await assert.rejects(csvDataset(new Blob([short])).toArray(), /csvDataset: the Blob: Invalid Record Length: expect 3, got 2 on line 3/);
  warned = await warnings(async () => (rows = await csvDataset(new Response(short), { onError: 'skip' }).toArray()));
  assert.deepEqual(rows, [{ a: 1, b: 2, c: 3 }, { a: 7, b: 8, c: 9 }]);
  assert.match(warned.join('\n'), /skipped a damaged row of the Response: Invalid Record Length: expect 3, got 2 on line 3/);

  const zipped = gzipSync(new TextEncoder().encode(`a,b\n${'1,2\n'.repeat(5000)}`));
  const cut = zipped.subarray(0, zipped.length - 40);
  await assert.rejects(csvDataset(new File([cut], 'cut.csv.gz')).toArray(), /csvDataset: cut\.csv\.gz is not a whole gzip file \(.*\): it is truncated or damaged/);
  files.set('/cut.csv.gz', cut);
  await assert.rejects(csvDataset(`${base}/cut.csv.gz`).toArray(), /cut\.csv\.gz is not a whole gzip file/);

  const tsv = new TextEncoder().encode('a\tb\n1\t2\n');
  files.set('/t.tsv.gz', gzipSync(tsv));
  for (const source of [new File([tsv], 't.tsv'), `${base}/t.tsv.gz?v=1`]) assert.deepEqual(await csvDataset(source).toArray(), [{ a: 1, b: 2 }]);
  assert.deepEqual(await csvDataset(new Blob([tsv])).toArray(), [{ 'a\tb': '1\t2' }], 'a Blob without a name: commas');
});

test('text cut anywhere in a stream: characters of several bytes and a byte-order mark come out whole', async () => {
  const text = '\ufeffcity,temp\nZürich,1.5\n"São Paulo",22\n東京,9\n';
  const data = new TextEncoder().encode(text);
  const expected = [{ city: 'Zürich', temp: 1.5 }, { city: 'São Paulo', temp: 22 }, { city: '東京', temp: 9 }];
  for (const size of [1, 2, 5, 7]) assert.deepEqual(await csvDataset(streamOf(data, size)).toArray(), expected, `chunks of ${size} bytes`);
});

test('a real CSV (seattle-weather.csv) read from a Blob and from a path agrees row for row, and with the file split by hand', async () => {
  const text = readFileSync(seattle, 'utf8');
  const fromPath = await csvDataset(seattle).toArray();
  const fromBlob = await csvDataset(new File([text], 'seattle-weather.csv')).toArray();
  const fromGzipStream = await csvDataset(streamOf(gzipSync(text), 4096)).toArray();
  const [head, ...lines] = text.trim().split('\n');
  const columns = head!.split(',');
  const byHand: TableRow[] = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i]!, i === 0 || i === 5 ? v : Number(v)])));
  assert.equal(fromPath.length, 1461);
  assert.deepEqual(fromPath, byHand);
  assert.deepEqual(fromBlob, fromPath);
  assert.deepEqual(fromGzipStream, fromPath);
  // Stopping early releases the connection, and a later pass starts from the top.
  files.set('/seattle.csv', new TextEncoder().encode(text));
  const remote = csvDataset(`${base}/seattle.csv`);
  assert.deepEqual(await remote.take(2).toArray(), fromPath.slice(0, 2));
  assert.deepEqual(await remote.skip(1000).take(3).toArray(), fromPath.slice(1000, 1003));
});

test('a Blob handed over whole is parsed a piece at a time: reading its first rows holds a few MiB, not its records', async () => {
  // Node's Blob.stream() gives the whole Blob as one chunk; 300,000 rows parsed at once would hold ~50 MiB of records.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const blob = new Blob([Array.from({ length: 300_000 }, (_, i) => `${i},${i % 7},row${i}\n`).join('')]);
  gc();
  const before = process.memoryUsage().heapUsed;
  const it = csvDataset(blob, { header: false, columnNames: ['i', 'k', 'name'] }).iterate();
  for (let i = 0; i < 10; i++) assert.deepEqual((await it.next()).value, { i, k: i % 7, name: `row${i}` });
  gc();
  const held = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  await it.return?.();
  assert.ok(held < 16, `${held.toFixed(1)} MiB held after reading 10 rows of a Blob of 300,000`);
});
