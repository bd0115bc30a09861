import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import '../../ops/tensor-methods.js';
import type { JsonValue } from '../../layers/index.js';
import { BatchNormalization, Conv2D, Dense, Flatten } from '../../layers/index.js';
import { randomUniform } from '../../tensor/creation.js';
import { LayerwiseError } from '../../util/errors.js';
import { Rng, setSeed } from '../../util/random.js';
import { loadModel } from '../load-model.js';
import { Sequential } from '../sequential.js';
import { fileHandler } from './files.js';
import { openPathsWith } from './io.js';
import { memoryHandler } from './testing.js';

// Paths are Node's files, as the Node entry (src/index.ts) sets them up.
openPathsWith(fileHandler);

const root = mkdtempSync(join(tmpdir(), 'layerwise-corrupt-'));
after(() => rmSync(root, { recursive: true, force: true }));

function model(): Sequential {
  setSeed(11);
  const m = new Sequential([
    new Conv2D({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1], activation: 'relu' }),
    new BatchNormalization(),
    new Flatten(),
    new Dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const original = join(root, 'original');
await model().save(original, { includeTrainingState: true });
const jsonText = readFileSync(join(original, 'model.json'), 'utf8');
const weightBytes = readFileSync(join(original, 'weights.bin')).byteLength;

let copies = 0;
function copy(): string {
  const dir = join(root, `copy-${copies++}`);
  mkdirSync(dir);
  for (const f of ['model.json', 'weights.bin']) copyFileSync(join(original, f), join(dir, f));
  return dir;
}

/** Loading must fail with a layerwise error (never a TypeError or a crash) whose message matches. */
async function rejects(path: string, message: RegExp): Promise<void> {
  await assert.rejects(loadModel(path), (error: unknown) => {
    assert.ok(error instanceof LayerwiseError, `expected a LayerwiseError, received ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

describe('damaged files are rejected with what is wrong and where', () => {
  test('a truncated weights file, at every length, names the file and both byte counts', async () => {
    for (const length of [0, 1, 7, Math.floor(weightBytes / 2), weightBytes - 1]) {
      const dir = copy();
      truncateSync(join(dir, 'weights.bin'), length);
      await rejects(dir, new RegExp(`weights\\.bin holds ${length} bytes, but the \\d+ weights of weightsManifest\\[0\\] .* take ${weightBytes}: the file is truncated`));
    }
  });

  test('extra bytes, a missing weights file, a missing model.json', async () => {
    const longer = copy();
    writeFileSync(join(longer, 'weights.bin'), Buffer.concat([readFileSync(join(longer, 'weights.bin')), Buffer.alloc(4)]));
    await rejects(longer, /longer than its manifest says/);
    const missing = copy();
    rmSync(join(missing, 'weights.bin'));
    await rejects(missing, /weightsManifest\[0\] names 'weights.bin', but: .*weights\.bin does not exist/);
    await rejects(join(root, 'nowhere'), /nowhere.model\.json does not exist/);
  });

  test('model.json cut at any point is refused as incomplete JSON', async () => {
    for (let cut = 0; cut < jsonText.length; cut += 97) {
      const dir = copy();
      writeFileSync(join(dir, 'model.json'), jsonText.slice(0, cut));
      await rejects(dir, /model\.json is not valid JSON .*truncated/);
    }
  });

  test('wrong values name their place in the file', async () => {
    const cases: [(j: Record<string, any>) => void, RegExp][] = [
      [(j) => (j['modelTopology'].config.layers[0].config.kernel_size = 'three'), /modelTopology\.config\.layers\[0\]\.config\.kernel_size expected an integer or a pair of integers, received "three"/],
      [(j) => (j['modelTopology'].config.layers[3].class_name = 'Dense3D'), /layers\[3\]: unknown layer class 'Dense3D'/],
      [(j) => (j['modelTopology'].config.layers[3].config.units = -2), /layers\[3\] \(Dense\): Dense 'dense\w*': option 'units' expected a positive integer, received -2/],
      [(j) => (j['modelTopology'].config.layers[0].config.data_format = 'channels_first'), /data_format expected "channels_last"/],
      [(j) => (j['weightsManifest'][0].weights[0].shape = [3, 3, 1, 5]), /weights of weightsManifest\[0\].* take|weight '.*kernel' has shape \[3, 3, 1, 5\] in the file/],
      [(j) => (j['weightsManifest'][0].weights[1].dtype = 'float64'), /weightsManifest\[0\]\.weights\[1\] \('.*bias'\)\.dtype expected "float32", "int32" or "bool"/],
      [(j) => (j['weightsManifest'][0].paths = ['../../etc/passwd']), /paths\[0\] expected a file name relative to model\.json's folder/],
      [(j) => (j['weightsManifest'][0].weights[0].name = 'other/kernel'), /the file has no weight '\w+\/kernel' of Conv2D/],
      [(j) => (j['userDefinedMetadata'].layerwise.trainingState.random.words = [1, 2]), /trainingState\.random expected/],
      [(j) => (j['trainingConfig'].optimizer_config.class_name = 'Lion'), /optimizer_config\.class_name expected one of/],
      [(j) => (j['modelTopology'] = 'model'), /modelTopology expected an object/],
    ];
    for (const [damage, message] of cases) {
      const dir = copy();
      const json = JSON.parse(jsonText);
      damage(json);
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      await rejects(dir, message);
    }
  });

  test('fuzzed model.json: every mutation either loads or fails with a layerwise error', async (t) => {
    // Mutated training configs compile with odd settings, and the doctor would say so for each.
    t.mock.method(console, 'warn', () => undefined);
    const rng = new Rng(2024);
    const replacements: JsonValue[] = [null, -1, 0, 1.5, 1e9, 'x', '', [], {}, [null], true];
    const base = JSON.parse(jsonText) as JsonValue;
    const paths: (string | number)[][] = [];
    const walk = (v: JsonValue, path: (string | number)[]): void => {
      paths.push(path);
      if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...path, i]));
      else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
    };
    walk(base, []);
    const handler = memoryHandler();
    const weightData = new Uint8Array(readFileSync(join(original, 'weights.bin'))).buffer;
    let loaded = 0;
    for (let i = 0; i < 400; i++) {
      const json = structuredClone(base) as Record<string, JsonValue>;
      const path = paths[1 + rng.int(paths.length - 1)]!;
      let parent: any = json;
      for (const key of path.slice(0, -1)) parent = parent[key];
      parent[path[path.length - 1]!] = replacements[rng.int(replacements.length)]!;
      handler.artifacts = {
        modelTopology: json['modelTopology'] as never,
        weightSpecs: (json['weightsManifest'] as any)?.[0]?.weights,
        weightData,
        trainingConfig: json['trainingConfig'] as never,
        userDefinedMetadata: json['userDefinedMetadata'] as never,
      };
      try {
        const m = await loadModel(handler);
        await m.predict(randomUniform([1, 5, 5, 1]));
        loaded++;
      } catch (error) {
        assert.ok(error instanceof LayerwiseError, `mutation at ${path.join('.')}: expected a LayerwiseError, received ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
    assert.ok(loaded > 0 && loaded < 400, `some mutations are harmless (metadata), most are not: ${loaded} of 400 loaded`);
  });
});
