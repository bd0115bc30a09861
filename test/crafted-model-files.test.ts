/**
 * model.json files crafted or damaged: a size the weights do not have is refused before anything is
 * allocated for it (units: 3e8 used to abort a native process, units: 5e7 to allocate 3 GB for seconds),
 * naming the file, the layer and the config field; a deeply nested topology is refused instead of
 * overflowing the stack; weights holding NaN load, as in Keras and TensorFlow.js, with a warning.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as lw from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-crafted-'));
after(() => rmSync(root, { recursive: true, force: true }));

lw.setSeed(3);
const original = join(root, 'original');
await new lw.Sequential([new lw.Dense({ units: 3, inputShape: [4], activation: 'relu' }), new lw.Dense({ units: 2 })]).save(original);
const json = readFileSync(join(original, 'model.json'), 'utf8');

let copies = 0;
/** A copy of the saved model whose model.json is `edit`'s text. */
function crafted(edit: (text: string) => string): string {
  const dir = join(root, `copy-${copies++}`);
  cpSync(original, dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), edit(json));
  return dir;
}

async function loadError(dir: string): Promise<string> {
  try {
    await lw.loadModel(dir);
  } catch (e) {
    assert.ok(e instanceof lw.LayerwiseError, `a LayerwiseError, not ${String(e)}`);
    return e.message;
  }
  return assert.fail('expected loadModel to refuse the file');
}

describe('a crafted model.json is checked against its weights before anything is allocated', () => {
  for (const units of [3e8, 5e7]) {
    test(`units: ${units}`, async () => {
      const dir = crafted((t) => t.replace('"units":2,', `"units":${units},`));
      const before = process.memoryUsage().rss;
      const message = await loadError(dir);
      assert.ok(message.startsWith(`loadModel('${dir}'): modelTopology`), message);
      assert.match(message, new RegExp(`Dense 'dense_\\d+' \\(config 'units': ${String(units).replace('+', '\\+')}\\) makes weight 'kernel' of shape \\[3, ${String(units).replace('+', '\\+')}\\], but no weight of the file has that shape`));
      assert.match(message, /'dense_\d+\/kernel' \[3, 2\]/, 'it lists the weights the file has');
      // 5e7 units took 600 MB for the kernel alone: nothing of that size was allocated.
      assert.ok(process.memoryUsage().rss - before < 200 * 2 ** 20, 'no large allocation');
    });
  }

  test('units: 1e300 is refused by the layer, naming the file and the field', async () => {
    const dir = crafted((t) => t.replace('"units":2,', '"units":1e300,'));
    assert.match(await loadError(dir), new RegExp(`^loadModel\\('${dir}'\\): modelTopology\\.config\\.layers\\[1\\] \\(Dense\\): .*option 'units' expected a positive integer, received 1e\\+300`));
  });

  test('a topology nested 100,000 levels deep is refused, not a stack overflow', async () => {
    const n = 100_000;
    const deep = '{"class_name":"Sequential","config":{"name":"s","layers":['.repeat(n) + '{"class_name":"Dense","config":{"units":1}}' + ']}}'.repeat(n);
    const message = await loadError(crafted((t) => t.replace(/"modelTopology":\{.*?\},"weightsManifest"/, `"modelTopology":${deep},"weightsManifest"`)));
    assert.match(message, /: modelTopology nests more than 500 levels of arrays and objects \(at modelTopology\.config\.layers\[0\]\.config/);
    const shape = '['.repeat(n) + ']'.repeat(n);
    assert.match(await loadError(crafted((t) => t.replace('"batch_input_shape":[null,4]', `"batch_input_shape":${shape}`))), /nests more than 500 levels .*batch_input_shape\[0\]\[0\]/);
  });
});

test('weights holding NaN load with a warning naming them (as Keras and TensorFlow.js load them)', async () => {
  const dir = crafted((t) => t);
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  floats[1] = NaN;
  floats[5] = Infinity;
  writeFileSync(join(dir, 'weights.bin'), bytes);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  let model: lw.Model;
  try {
    model = await lw.loadModel(dir);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0]!, /weights hold NaN or Infinity: 'dense(_\d+)?\/kernel' \(2 of 12 values\); the model loads/);
  assert.ok((await model.predict(lw.ones([1, 4]))).data().some(Number.isNaN), 'and what it computes through them is NaN');
});

test('a file with the weights of its topology loads silently', async () => {
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  try {
    await lw.loadModel(original);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
});
