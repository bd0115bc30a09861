/**
 * imageDatasetFromDirectory in a real browser: the files of an `<input type="file" webkitdirectory>`
 * (set by Playwright from a folder on disk) are decoded by Chromium's own decoders through the bundle,
 * and give the same labels and the same pixel values as sharp gives in Node (PNG, no resizing), and the
 * same shapes when resizing. Skipped where Chromium cannot be launched.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { imageDatasetFromDirectory } from '../src/index.js';
import { launchChromium } from './chromium.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'dist', 'browser');

test('images picked in a browser decode to the values sharp gives in Node', async (t) => {
  const browser = await launchChromium();
  if (typeof browser === 'string') return t.skip(browser);
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-picked-'));
  try {
    const folder = join(dir, 'shapes');
    for (const [cls, count] of [['circle', 2], ['square', 3]] as const) {
      mkdirSync(join(folder, cls), { recursive: true });
      for (let i = 0; i < count; i++) {
        const px = Uint8Array.from({ length: 5 * 7 * 3 }, (_, k) => (k * 13 + i * 71 + cls.length * 5) % 256);
        await sharp(px, { raw: { width: 7, height: 5, channels: 3 } }).png().toFile(join(folder, cls, `${i}.png`));
      }
      await sharp(Buffer.alloc(9, 90), { raw: { width: 3, height: 3, channels: 1 } }).png().toFile(join(folder, cls, 'gray.png'));
    }
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('http://layerwise.test/**', (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === 'index.html') {
        return route.fulfill({ contentType: 'text/html', body: `<input type="file" id="pick" webkitdirectory><script type="module">import * as lw from './layerwise.js'; window.lw = lw; window.ready = true;</script>` });
      }
      return route.fulfill({ contentType: name.endsWith('.js') ? 'text/javascript' : 'application/octet-stream', body: readFileSync(join(bundle, name)) });
    });
    await page.goto('http://layerwise.test/index.html');
    await page.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
    await page.setInputFiles('#pick', folder);
    const decode = (options: object) => page.evaluate(async (o) => {
      const g = globalThis as typeof globalThis & { lw: typeof import('../src/browser.js'); document: { getElementById(id: string): { files: Iterable<import('../src/browser.js').PickedFile> } } };
      const ds = g.lw.imageDatasetFromDirectory(g.document.getElementById('pick').files, o);
      return (await ds.toArray()).map((s) => ({ shape: s.x.shape, x: Array.from(s.x.data() as Float32Array), y: s.y.toArray() }));
    }, options);
    const node = async (options: object) => (await imageDatasetFromDirectory(folder, options).toArray()).map((s) => ({ shape: s.x.shape, x: Array.from(s.x.data() as Float32Array), y: s.y.toArray() }));
    for (const options of [
      { imageSize: [5, 7], batchSize: null, shuffle: false },
      { imageSize: [5, 7], batchSize: null, shuffle: false, colorMode: 'grayscale', labelMode: 'categorical' },
    ]) {
      const inBrowser = await decode(options);
      const inNode = await node(options);
      assert.deepEqual(inBrowser.map((s) => s.y), inNode.map((s) => s.y));
      // The 5 x 7 images are not resized: PNG decodes to the same values on both (the 3 x 3 gray ones, 2 and 6, are resized).
      inBrowser.forEach((s, i) => {
        if (i !== 2 && i !== 6) assert.deepEqual(s.x, inNode[i]!.x, `image ${i}, ${JSON.stringify(options)}`);
      });
    }
    const resized = await decode({ imageSize: [4, 4], batchSize: 2, shuffle: true, seed: 3 });
    const resizedNode = await node({ imageSize: [4, 4], batchSize: 2, shuffle: true, seed: 3 });
    assert.deepEqual(resized.map((b) => [b.shape, b.y]), resizedNode.map((b) => [b.shape, b.y]), 'the same seeded order and shapes');
    const flat = await decode({ imageSize: [6, 6], batchSize: null, shuffle: false });
    assert.ok(flat[2]!.x.every((v) => v === 90), 'a flat gray image stays flat when resized');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
