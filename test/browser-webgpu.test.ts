/**
 * The demo page trains on the webgpu backend in headless Chromium (--enable-unsafe-webgpu gives it
 * SwiftShader's software adapter on a machine without a GPU; the page uses a software adapter only when
 * asked, with ?backend=webgpu) and says so; a screenshot goes to out/browser-webgpu-demo.png
 * (git-ignored). Skipped, saying why, where Chromium cannot start or exposes no WebGPU adapter.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from '../examples/browser/server.js';
import { CHROMIUM } from './chromium.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const screenshot = join(root, 'out', 'browser-webgpu-demo.png');

interface DemoState {
  state: string;
  backend: string | null;
  backendInfo: string | null;
  losses: number[];
  testAccuracy: number | null;
  error: string | null;
  prediction?: { digit: number; probabilities: number[] } | null;
}

test('the demo page trains on WebGPU in headless Chromium and says so', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is not installed`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  }).catch((e: unknown) => `Chromium could not be launched: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  if (typeof browser === 'string') return t.skip(browser);
  const server = await startDemoServer({ port: 0 });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    await page.goto(`${server.url}style.css`);
    const adapter = await page.evaluate(async () => {
      const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
      return gpu ? (await gpu.requestAdapter()) !== null : false;
    });
    if (!adapter) return t.skip('this Chromium exposes no WebGPU adapter');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}?backend=webgpu&samples=640&testSamples=200&batchSize=32`);
    await page.waitForFunction(() => ['ready', 'error'].includes((globalThis as { demo?: DemoState }).demo?.state ?? ''), null, { timeout: 300_000 });
    const demo = await page.evaluate(() => (globalThis as { demo?: DemoState }).demo!);
    assert.equal(demo.error, null);
    assert.deepEqual(errors, []);
    assert.equal(demo.backend, 'webgpu');
    assert.match(demo.backendInfo ?? '', /^webgpu \(.*software fallback adapter/);
    assert.match((await page.textContent('#backend')) ?? '', /Backend: webgpu/);
    assert.equal(demo.losses.length, 20);
    assert.ok(demo.losses.every(Number.isFinite), `losses ${demo.losses.join(', ')}`);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const first = mean(demo.losses.slice(0, 4)), last = mean(demo.losses.slice(-4));
    assert.ok(last < first, `the loss goes down: first batches ${first.toFixed(3)}, last ${last.toFixed(3)}`);
    // 640 images train well past chance (10%) on the 200 test images.
    assert.ok(demo.testAccuracy !== null && demo.testAccuracy > 0.3, `test accuracy ${demo.testAccuracy}`);
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok(statSync(screenshot).size > 20_000, `screenshot written to ${screenshot}`);
  } finally {
    await server.close();
    await browser.close();
  }
});
