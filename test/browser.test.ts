/**
 * layerwise in a real browser. The bundle (dist/browser/) must not import anything from Node; the demo
 * page (examples/browser/), served by its own server, must train the convnet in Debian's Chromium with
 * the loss going down, on the wasm backend with threads when cross-origin isolated and on one thread
 * when not, and must classify a digit drawn with the mouse. The screenshot after training and drawing is
 * written to out/browser-demo.png (git-ignored). Its CSV page must train on a CSV file set on its file
 * input and beat the majority-class baseline. The browser part is skipped where Chromium cannot be
 * launched.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.js';
import type { Page } from 'playwright-core';
import { startDemoServer } from '../examples/browser/server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'dist', 'browser');
const screenshot = join(root, 'out', 'browser-demo.png');
const seattle = join(root, 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv');

/** `import ... from "x"`, `import("x")`, `require("x")` and `export ... from "x"` of a module named x. */
function importsOf(code: string, names: readonly string[]): string[] {
  const pattern = /\b(?:from|import|require)\s*\(?\s*["']([^"']+)["']/g;
  return [...code.matchAll(pattern)].map((m) => m[1]!).filter((name) => names.includes(name) || name.startsWith('node:'));
}

test('the browser bundle imports nothing from Node and has its kernels, worker and types beside it', () => {
  const nodeModules = builtinModules.filter((name) => !name.startsWith('_'));
  for (const file of ['layerwise.js', 'worker.js']) {
    const code = readFileSync(join(bundle, file), 'utf8');
    assert.deepEqual(importsOf(code, nodeModules), [], `${file} imports Node modules`);
  }
  assert.deepEqual(importsOf('import{a}from"node:fs";const p=require("path");import("node:worker_threads")', nodeModules), ['node:fs', 'path', 'node:worker_threads'],
    'the check finds Node imports in minified code');
  for (const file of ['kernels-threads.wasm', 'kernels-single.wasm', 'layerwise.d.ts']) assert.ok(existsSync(join(bundle, file)), `${file} is next to the bundle`);
  assert.ok(existsSync(join(root, 'dist', 'src', 'browser.d.ts')), 'the declarations layerwise.d.ts points at exist');
});


interface DemoState {
  state: string;
  backend: string | null;
  backendInfo: string | null;
  isolated: boolean;
  losses: number[];
  batchesPerSecond: number | null;
  testAccuracy: number | null;
  error: string | null;
  prediction?: { digit: number; probabilities: number[] } | null;
}

interface CsvDemoState {
  state: string;
  task: string | null;
  metric: number | null;
  baseline: number | null;
  losses: number[];
  epochs: object[];
  error: string | null;
}

/** The page's window.demo (page functions are typed without the DOM library, hence globalThis). */
const demoState = (page: Page): Promise<DemoState> => page.evaluate(() => (globalThis as { demo?: DemoState }).demo!);

/** Loads the page, waits for training and testing to finish, and checks that the loss went down. */
async function train(page: Page, url: string, batches: number): Promise<DemoState> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  await page.waitForFunction(() => ['ready', 'error'].includes((globalThis as { demo?: DemoState }).demo?.state ?? ''), null, { timeout: 120_000 });
  const demo = await demoState(page);
  assert.equal(demo.error, null);
  assert.deepEqual(errors, []);
  assert.equal(demo.state, 'ready');
  assert.equal(demo.backend, 'wasm');
  assert.equal(demo.losses.length, batches);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const first = mean(demo.losses.slice(0, 5)), last = mean(demo.losses.slice(-5));
  assert.ok(first > 2 && last < 0.8 * first, `the loss goes down: first batches ${first.toFixed(3)}, last ${last.toFixed(3)}`);
  assert.equal(await page.textContent('#batches'), `${batches} of ${batches}`);
  return demo;
}

/** Draws strokes (lists of points on the 280x280 pad) with the mouse and returns the prediction. */
async function draw(page: Page, strokes: readonly (readonly [number, number])[][]): Promise<{ digit: number; probabilities: number[] }> {
  await page.click('#clear');
  const pad = await page.locator('#pad').boundingBox();
  assert.ok(pad);
  for (const stroke of strokes) {
    const [start, ...rest] = stroke;
    assert.ok(start);
    await page.mouse.move(pad.x + start[0], pad.y + start[1]);
    await page.mouse.down();
    for (const [x, y] of rest) await page.mouse.move(pad.x + x, pad.y + y, { steps: 4 });
    await page.mouse.up();
  }
  await page.waitForFunction(() => (globalThis as { demo?: DemoState }).demo?.prediction);
  const { prediction } = await demoState(page);
  assert.ok(prediction);
  assert.equal(prediction.probabilities.length, 10);
  assert.ok(Math.abs(prediction.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'the probabilities sum to 1');
  assert.equal(await page.locator('#probabilities .bar').count(), 10);
  assert.equal(await page.getAttribute('#probabilities .bar.top', 'data-digit'), String(prediction.digit));
  return prediction;
}

const ONE = [Array.from({ length: 19 }, (_, i) => [140, 45 + 10 * i] as const)];
const ZERO = [Array.from({ length: 33 }, (_, i) => [140 + 65 * Math.sin((i * Math.PI) / 16), 140 - 95 * Math.cos((i * Math.PI) / 16)] as const)];

test('the demo pages train in Chromium: a convnet that classifies a drawn digit, a Dense network on a picked CSV file', async (t) => {
  const browser = await launchChromium();
  if (typeof browser === 'string') {
    t.skip(browser);
    return;
  }
  try {
    await t.test('cross-origin isolated: the wasm backend uses threads', async () => {
      const server = await startDemoServer({ port: 0 });
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
        const demo = await train(page, `${server.url}?samples=3200&testSamples=500`, 50);
        assert.equal(demo.isolated, true);
        const cores = await page.evaluate(() => (globalThis as { navigator?: { hardwareConcurrency: number } }).navigator!.hardwareConcurrency);
        const threads = Number(/(\d+) of \d+ threads, shared memory/.exec(demo.backendInfo ?? '')?.[1]);
        assert.equal(threads, Math.min(cores, 8), `threads in use: ${demo.backendInfo}`);
        assert.match((await page.textContent('#backend')) ?? '', /wasm \(SIMD128, \d+ of \d+ threads.*cross-origin isolated/);
        assert.ok(demo.testAccuracy !== null && demo.testAccuracy > 0.7, `test accuracy ${demo.testAccuracy}`);
        assert.equal((await draw(page, ONE)).digit, 1);
        assert.equal((await draw(page, ZERO)).digit, 0);
        mkdirSync(dirname(screenshot), { recursive: true });
        await page.screenshot({ path: screenshot, fullPage: true });
        assert.ok(statSync(screenshot).size > 20_000, `screenshot written to ${screenshot}`);
      } finally {
        await server.close();
      }
    });
    await t.test('not isolated: one thread on a fixed memory', async () => {
      const server = await startDemoServer({ port: 0, isolated: false });
      try {
        const page = await browser.newPage();
        const demo = await train(page, `${server.url}?samples=960&testSamples=100`, 15);
        assert.equal(demo.isolated, false);
        assert.match(demo.backendInfo ?? '', /^wasm \(SIMD128, 1 of 1 threads, fixed memory/);
        assert.equal(typeof (await draw(page, ONE)).digit, 'number');
      } finally {
        await server.close();
      }
    });
    await t.test('the CSV page trains on seattle-weather.csv picked as a file and beats the majority class', async () => {
      const server = await startDemoServer({ port: 0 });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.goto(`${server.url}csv.html`);
        await page.waitForFunction(() => (globalThis as { csvDemo?: CsvDemoState }).csvDemo?.state === 'ready');
        await page.setInputFiles('#file', seattle);
        await page.waitForFunction(() => ['chosen', 'error'].includes((globalThis as { csvDemo?: CsvDemoState }).csvDemo!.state));
        await page.selectOption('#label', 'weather');
        await page.fill('#epochs', '2');
        await page.click('#train');
        await page.waitForFunction(() => ['done', 'error'].includes((globalThis as { csvDemo?: CsvDemoState }).csvDemo!.state), null, { timeout: 120_000 });
        const demo = await page.evaluate(() => (globalThis as { csvDemo?: CsvDemoState }).csvDemo!);
        assert.equal(demo.error, null);
        assert.deepEqual(errors, []);
        assert.match(demo.task ?? '', /^classification: "weather" is one of 5 classes/);
        assert.equal(demo.epochs.length, 2);
        assert.ok(demo.losses.length > 0 && demo.losses.every(Number.isFinite), 'finite losses');
        // The run is seeded (the same weights and order every time) and 2 epochs reach about 78% against 37%
        // (scikit-learn's logistic regression on the same split: 81%), so the margin asked is safe. The
        // baseline read by hand: the share of the last 20% of rows that hold the first 80%'s most common class.
        const labels = readFileSync(seattle, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').at(-1)!);
        const trainCount = Math.round(labels.length * 0.8);
        const counts = new Map<string, number>();
        for (const l of labels.slice(0, trainCount)) counts.set(l, (counts.get(l) ?? 0) + 1);
        const majority = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
        const rest = labels.slice(trainCount);
        assert.equal(demo.baseline, rest.filter((l) => l === majority).length / rest.length);
        assert.ok(demo.metric !== null && demo.metric > demo.baseline + 0.1, `validation accuracy ${demo.metric} against the baseline ${demo.baseline}`);
        assert.match((await page.textContent('#metric')) ?? '', /^accuracy \d+\.\d%$/);
        assert.match((await page.textContent('#baseline')) ?? '', new RegExp(`^accuracy \\d+\\.\\d%, always "${majority}"`));
        assert.equal(await page.locator('#epoch-log li').count(), 2);
      } finally {
        await server.close();
      }
    });
    await t.test('the wasm backend can be selected after tensors were made on the default backend', async () => {
      const server = await startDemoServer({ port: 0 });
      try {
        const page = await browser.newPage();
        await page.goto(`${server.url}style.css`);
        const steps = await page.evaluate(async (bundle) => {
          const lw = await import(bundle);
          const early = lw.tensor([1, 2]).mul(2);
          const before = lw.backend();
          await lw.preloadWasmKernels();
          lw.setBackend('wasm');
          return [before, lw.backend(), Array.from(early.add(1).data())];
        }, `${server.url}layerwise/layerwise.js`);
        assert.deepEqual(steps, ['reference', 'wasm', [3, 5]]);
      } finally {
        await server.close();
      }
    });
    await t.test('in the bundle, layers keep their class names, and a model saves to and loads from memory', async () => {
      const server = await startDemoServer({ port: 0 });
      try {
        const page = await browser.newPage();
        await page.goto(`${server.url}style.css`);
        const checks = await page.evaluate(async (bundle) => {
          const lw = await import(bundle);
          const model = new lw.Sequential([new lw.Dense({ units: 3, activation: 'relu', inputShape: [2] }), new lw.Dense({ units: 1 })]);
          let saved: unknown = null;
          await model.save({ save: async (artifacts: unknown) => void (saved = artifacts) });
          const loaded = await lw.loadModel({ load: async () => saved });
          const x = lw.tensor([[0.5, -1]]);
          return { summary: model.summary(), same: Array.from((await model.predict(x)).data()).join() === Array.from((await loaded.predict(x)).data()).join() };
        }, `${server.url}layerwise/layerwise.js`);
        assert.match(checks.summary, /dense_\d+ \(Dense\)/);
        assert.equal(checks.same, true, 'the loaded model predicts what the saved one does');
      } finally {
        await server.close();
      }
    });
  } finally {
    await browser.close();
  }
});
