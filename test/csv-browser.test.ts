/**
 * csvDataset in a real browser, through the bundle (csv-parse's browser build): a File set on an
 * `<input type="file">` and URLs the page fetches, plain and gzip-compressed, give the rows Node reads from
 * the same files. Skipped where Chromium cannot be launched.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { csvDataset } from '../src/index.js';
import { launchChromium } from './chromium.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'dist', 'browser');
const seattle = join(root, 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv');
const TABLE = 'id,name,score,weight\n1,ann,3.5,70\n2,"bob, jr",,80\n3,"line\nbreak",NA,90\n4,dan,-1e3,100\n';

type Lw = typeof import('../src/browser.js');
type Source = { file: string } | { url: string };

test('csvDataset in Chromium reads a picked File and fetched URLs (gzip too) as Node reads the files', async (t) => {
  const browser = await launchChromium();
  if (typeof browser === 'string') return t.skip(browser);
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-csv-browser-'));
  try {
    const text = readFileSync(seattle, 'utf8');
    const served = new Map<string, Buffer>([
      ['/data/seattle-weather.csv', Buffer.from(text)],
      ['/data/seattle-weather.csv.gz', gzipSync(text)],
      ['/data/table.csv', Buffer.from(TABLE)],
    ]);
    const paths = { seattle: join(dir, 'seattle-weather.csv.gz'), table: join(dir, 'table.csv'), bad: join(dir, 'bad.csv'), empty: join(dir, 'empty.csv') };
    writeFileSync(paths.seattle, served.get('/data/seattle-weather.csv.gz')!);
    writeFileSync(paths.table, TABLE);
    writeFileSync(paths.bad, 'a,b\n1,2\n3,x\n');
    writeFileSync(paths.empty, '');

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('http://layerwise.test/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/index.html') {
        return route.fulfill({ contentType: 'text/html', body: `<input type="file" id="pick" multiple><script type="module">import * as lw from './layerwise.js'; window.lw = lw; window.ready = true;</script>` });
      }
      const data = served.get(path);
      if (data !== undefined) return route.fulfill({ contentType: 'text/csv', body: data });
      if (path.startsWith('/data/')) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ contentType: path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream', body: readFileSync(join(bundle, path.slice(1))) });
    });
    await page.goto('http://layerwise.test/index.html');
    await page.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
    await page.setInputFiles('#pick', [paths.seattle, paths.table, paths.bad, paths.empty]);

    /** Rows (or [x, y] pairs with `options.label`) read in the page from a picked file (by name) or a URL. */
    const read = (source: Source, options: object = {}) => page.evaluate(async ({ source, options }) => {
      const g = globalThis as typeof globalThis & { lw: Lw; document: { getElementById(id: string): { files: ArrayLike<File> } } };
      const picked = Array.from(g.document.getElementById('pick').files);
      const input = 'file' in source ? picked.find((f) => f.name === source.file)! : source.url;
      try {
        const rows: unknown[] = await g.lw.csvDataset(input, options).toArray();
        return rows.map((r) => {
          const { x, y } = r as { x?: unknown; y?: unknown };
          return x instanceof g.lw.Tensor && y instanceof g.lw.Tensor ? [Array.from(x.data() as Float32Array), y.toArray()] : r;
        });
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    }, { source, options });

    const seattleRows = await csvDataset(seattle).toArray();
    assert.equal(seattleRows.length, 1461);
    for (const source of [{ file: 'seattle-weather.csv.gz' }, { url: '/data/seattle-weather.csv' }, { url: 'data/seattle-weather.csv.gz' }]) {
      assert.deepEqual(await read(source), seattleRows, JSON.stringify(source));
    }
    const labeled = { select: ['precipitation', 'temp_max', 'temp_min', 'wind'], label: 'wind' };
    const nodePairs = (await csvDataset(seattle, labeled).toArray()).map((s) => [Array.from(s.x.data() as Float32Array), s.y.toArray()]);
    assert.deepEqual(await read({ url: '/data/seattle-weather.csv.gz' }, labeled), nodePairs);
    // NaN for missing values, quoted commas and newlines.
    assert.deepEqual(await read({ file: 'table.csv' }), await csvDataset(paths.table).toArray());
    assert.deepEqual(await read({ url: 'http://layerwise.test/data/table.csv' }), await csvDataset(paths.table).toArray());

    assert.match(String(await read({ file: 'bad.csv' })), /^ValueError: csvDataset: bad\.csv line 3, column "b": "x" is not a number/);
    assert.equal(await read({ file: 'empty.csv' }), 'ValueError: csvDataset: empty.csv is empty (not even a header)');
    assert.equal(await read({ url: '/data/none.csv' }), 'ValueError: csvDataset: fetching http://layerwise.test/data/none.csv failed with HTTP status 404 Not Found');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
