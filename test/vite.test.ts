/**
 * The browser bundle under a bundler: a tiny Vite project that imports `layerwise/browser` (and `layerwise`,
 * which Vite resolves to the same bundle through the "browser" export condition) builds, ships the worker
 * and exactly the two kernels files, and trains a model with worker threads in Chromium (skipped where
 * Chromium cannot be launched).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.js';
import { build, preview } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const MAIN = `
import { Dense, Sequential, backendInfo, preloadWasmKernels, setBackend, tensor } from 'layerwise/browser';
import * as resolvedByCondition from 'layerwise';

async function main() {
  await preloadWasmKernels();
  setBackend('wasm');
  const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const history = await model.fit(tensor([[0, 1], [1, 0], [1, 1]]), tensor([[1], [2], [3]]), { epochs: 10, verbose: 0 });
  // Workers start in the background: wait for them before reporting the threads in use.
  for (let i = 0; i < 100 && / 1 of /.test(backendInfo()); i++) await new Promise((r) => setTimeout(r, 50));
  window.result = { losses: history.history.loss, info: backendInfo(), sameModule: resolvedByCondition.tensor === tensor };
}
main().catch((e) => (window.result = { error: e.message }));
`;

interface Result {
  losses?: number[];
  info?: string;
  sameModule?: boolean;
  error?: string;
}


test('a Vite project that imports layerwise/browser builds and trains in Chromium with threads', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'layerwise-vite-'));
  try {
    const app = join(work, 'app');
    const out = join(work, 'out');
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    symlinkSync(root, join(app, 'node_modules', 'layerwise'), 'dir');
    writeFileSync(join(app, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(app, 'main.js'), MAIN);
    await build({ root: app, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });

    const assets = readdirSync(join(out, 'assets')).sort();
    assert.deepEqual(assets.filter((f) => f.endsWith('.wasm')).map((f) => f.replace(/-[\w-]{8}\.wasm$/, '')), ['kernels-single', 'kernels-threads']);
    assert.equal(assets.filter((f) => f.startsWith('worker-') && f.endsWith('.js')).length, 1, `the worker is shipped: ${assets.join(', ')}`);
    assert.deepEqual(assets.filter((f) => !/\.(js|wasm)$/.test(f)), [], 'nothing else is shipped');
    for (const f of assets.filter((a) => a.endsWith('.js'))) {
      assert.doesNotMatch(readFileSync(join(out, 'assets', f), 'utf8'), /\b(?:from|import|require)\s*\(?\s*["']node:/, f);
    }

    const browser = await launchChromium();
    if (typeof browser === 'string') {
      t.diagnostic(`built; not run: ${browser}`);
      return;
    }
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    const server = await preview({ root: app, logLevel: 'silent', build: { outDir: out }, preview: { port: 0, host: '127.0.0.1', headers } });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.resolvedUrls?.local[0] ?? assert.fail('the preview server has no address'));
      await page.waitForFunction(() => (globalThis as { result?: Result }).result, null, { timeout: 30_000 });
      const result = await page.evaluate(() => (globalThis as { result?: Result }).result!);
      assert.deepEqual(errors, []);
      assert.equal(result.error, undefined);
      assert.equal(result.sameModule, true, "'layerwise' resolves to the browser bundle");
      const losses = result.losses ?? [];
      assert.equal(losses.length, 10);
      assert.ok(losses.at(-1)! < losses[0]!, `the loss goes down: ${losses.join(', ')}`);
      const cores = await page.evaluate(() => (globalThis as { navigator?: { hardwareConcurrency: number } }).navigator!.hardwareConcurrency);
      assert.match(result.info ?? '', new RegExp(`^wasm \\(SIMD128, ${Math.min(cores, 8)} of \\d+ threads, shared memory`));
    } finally {
      await server.close();
      await browser.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
