import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../util/random.js';
import { moduleExport } from '../util/module-export.js';
import { Dataset } from './dataset.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

test('fromTensors slices a record of tensors, typed arrays and strings along the first axis', async () => {
  const x = tensor([[1, 2], [3, 4], [5, 6]]);
  const ds = Dataset.fromTensors({ x, y: new Uint8Array([7, 8, 255]), name: ['a', 'b', 'c'] });
  assert.equal(ds.size, 3);
  const samples = await ds.toArray();
  assert.deepEqual(samples.map((s) => s.x.toArray()), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(samples.map((s) => [s.y.dtype, s.y.shape, s.y.item()]), [['int32', [], 7], ['int32', [], 8], ['int32', [], 255]]);
  assert.deepEqual(samples.map((s) => s.name), ['a', 'b', 'c']);
  const tuple = await Dataset.fromTensors([x, [10, 20, 30]]).toArray();
  assert.deepEqual(tuple.map(([a, b]) => [a.toArray(), b.item()]), [[[1, 2], 10], [[3, 4], 20], [[5, 6], 30]]);
  assert.throws(() => Dataset.fromTensors({ x, y: [1, 2] }), /every part must hold as many samples: \.x holds 3, \.y holds 2/);
  assert.throws(() => Dataset.fromTensors({ x: tensor(3) }), /\.x is a scalar tensor/);
});

test('batch stacks tensors, numbers and strings; the last batch is smaller unless dropRemainder', async () => {
  const x = tensor(range(10).map((i) => [i, -i]));
  const batches = await Dataset.fromTensors({ x, label: range(10).map(String) }).batch(4).toArray();
  assert.deepEqual(batches.map((b) => b.x.shape), [[4, 2], [4, 2], [2, 2]]);
  assert.deepEqual(batches[2]!.x.toArray(), [[8, -8], [9, -9]]);
  assert.deepEqual(batches[1]!.label, ['4', '5', '6', '7']);
  const dropped = Dataset.fromTensors(x).batch(4, { dropRemainder: true });
  assert.equal(dropped.size, 2);
  assert.equal((await dropped.toArray()).length, 2);
  const numbers = await Dataset.from([{ a: 1, b: [2, 'z'] as [number, string] }, { a: 3, b: [4, 'w'] as [number, string] }]).batch(2).toArray();
  assert.equal(numbers[0]!.a.dtype, 'float32');
  assert.deepEqual(numbers[0]!.a.toArray(), [1, 3]);
  assert.deepEqual(numbers[0]!.b[0].toArray(), [2, 4]);
  assert.deepEqual(numbers[0]!.b[1], ['z', 'w']);
});

test('batch pads variable-length sequences to the longest of the batch, or says to', async () => {
  const seqs = [[1, 2, 3], [4], [5, 6]].map((s) => tensor(s, { dtype: 'int32' }));
  await assert.rejects(Dataset.from(seqs).batch(3).toArray(), /sample 1 of the batch differs from sample 0 at the sample: shape \[1\] vs \[3\]; batch\(size, \{ padding: true \}\) pads/);
  const [padded] = await Dataset.from(seqs).batch(3, { padding: true }).toArray();
  assert.equal(padded!.dtype, 'int32');
  assert.deepEqual(padded!.toArray(), [[1, 2, 3], [4, 0, 0], [5, 6, 0]]);
  const images = [tensor([[1, 2], [3, 4]]), tensor([[5], [6], [7]])];
  const [both] = await Dataset.from(images).batch(2, { padding: { value: -1 } }).toArray();
  assert.deepEqual(both!.toArray(), [[[1, 2], [3, 4], [-1, -1]], [[5, -1], [6, -1], [7, -1]]]);
  assert.throws(() => Dataset.from(seqs).batch(2, { dropRemainder: true, pad: true } as never), /unknown option 'pad' \(known options: dropRemainder, padding\)/);
  await assert.rejects(Dataset.from([{ x: tensor([1]) }, { z: tensor([1]) }]).batch(2).toArray(), /sample 1 of the batch differs from sample 0 at the sample: keys z vs x/);
});

test('unbatch gives back the samples batch stacked', async () => {
  const x = tensor(range(7).map((i) => [i, i * i]));
  const ds = Dataset.fromTensors({ x, s: range(7).map((i) => `t${i}`) });
  const back = await ds.batch(3).unbatch().toArray();
  const direct = await ds.toArray();
  assert.deepEqual(back.map((s) => [s.x.toArray(), s.s]), direct.map((s) => [s.x.toArray(), s.s]));
});

test('from: arrays, generator functions (sync and async) every pass; a one-shot iterator says it can be read once', async () => {
  function* gen() {
    yield* range(5);
  }
  async function* agen() {
    for (const i of range(5)) {
      await sleep(1);
      yield i * 10;
    }
  }
  const sync = Dataset.from(gen);
  assert.equal(sync.size, null);
  assert.deepEqual(await sync.toArray(), range(5));
  assert.deepEqual(await sync.toArray(), range(5));
  assert.deepEqual(await Dataset.from(agen).toArray(), [0, 10, 20, 30, 40]);
  const once = Dataset.from(gen());
  assert.deepEqual(await once.toArray(), range(5));
  await assert.rejects(once.toArray(), /made from an iterator, which can be read only once; pass a function that returns a new one/);
  assert.throws(() => Dataset.from(42 as never), /Dataset.from: argument 'source' expected an array, an iterable/);
});

test('map (sync, async and concurrent keeps order), filter, take, skip, repeat, concatenate, zip', async () => {
  const ds = Dataset.from(range(10));
  assert.deepEqual(await ds.map((i) => i * 2).toArray(), range(10).map((i) => i * 2));
  const slowFirst = ds.map(async (i) => {
    await sleep(i < 3 ? 15 : 1);
    return i;
  }, { parallel: 4 });
  assert.deepEqual(await slowFirst.toArray(), range(10));
  assert.deepEqual(await ds.filter((i) => i % 3 === 0).toArray(), [0, 3, 6, 9]);
  assert.equal(ds.filter(() => true).size, null);
  assert.deepEqual(await ds.skip(3).take(4).toArray(), [3, 4, 5, 6]);
  assert.equal(ds.skip(3).take(4).size, 4);
  assert.deepEqual(await ds.take(3).repeat(2).toArray(), [0, 1, 2, 0, 1, 2]);
  assert.equal(ds.repeat().size, Infinity);
  assert.deepEqual(await ds.repeat().take(12).toArray(), [...range(10), 0, 1]);
  assert.deepEqual(await Dataset.from<number>([]).repeat().take(3).toArray(), [], 'an empty dataset repeated forever ends');
  assert.deepEqual(await ds.take(2).concatenate(Dataset.from([100, 101])).toArray(), [0, 1, 100, 101]);
  const zipped = await Dataset.zip({ a: ds, b: ds.map((i) => `s${i}`).take(3) }).toArray();
  assert.deepEqual(zipped, [{ a: 0, b: 's0' }, { a: 1, b: 's1' }, { a: 2, b: 's2' }]);
  assert.deepEqual(await Dataset.zip([ds.take(2), ds.skip(5)]).toArray(), [[0, 5], [1, 6]]);
  assert.throws(() => ds.concatenate([1] as never), /Dataset.concatenate: argument 'other' expected a Dataset/);
  assert.throws(() => ds.map((i) => i, { workers: 2 } as never), /unknown option 'workers' \(known options: parallel\)/);
});

test('shuffle: a permutation; the same seed and epoch give the same order, other epochs another', async () => {
  setSeed(7);
  const ds = Dataset.from(range(100)).shuffle(100);
  const e0 = await ds.toArray();
  const e1 = await ds.toArray();
  assert.deepEqual([...e0].sort((a, b) => a - b), range(100));
  assert.notDeepEqual(e0, range(100));
  assert.notDeepEqual(e0, e1, 'a new order every pass');
  setSeed(7);
  const again = Dataset.from(range(100)).shuffle(100);
  assert.deepEqual(await again.toArray(), e0, 'setSeed before building the pipeline repeats its first epoch');
  assert.deepEqual(await collect(again.iterate({ epoch: 1 })), e1, 'epoch 1 alone is the second pass');
  assert.deepEqual(await collect(again.iterate({ epoch: 1 })), e1);
  const fixed = Dataset.from(range(20)).shuffle(20, { seed: 3, reshuffleEachIteration: false });
  assert.deepEqual(await fixed.toArray(), await fixed.toArray());
  assert.deepEqual(await Dataset.from(range(20)).shuffle(20, { seed: 3 }).toArray(), await Dataset.from(range(20)).shuffle(20, { seed: 3 }).toArray());
  // A buffer of 10: the sample at output position p was read at most 9 + p places in.
  const local = await Dataset.from(range(200)).shuffle(10, { seed: 1 }).toArray();
  assert.deepEqual([...local].sort((a, b) => a - b), range(200));
  assert.ok(local.every((v, p) => v <= p + 9), 'a small buffer shuffles locally');
});

test('repeat reshuffles every repetition, reproducibly', async () => {
  const ds = Dataset.from(range(8)).shuffle(8, { seed: 11 }).repeat(3);
  const all = await Dataset.from(range(8)).shuffle(8, { seed: 11 }).repeat(3).toArray();
  const reps = [all.slice(0, 8), all.slice(8, 16), all.slice(16)];
  for (const r of reps) assert.deepEqual([...r].sort((a, b) => a - b), range(8));
  assert.ok(reps[0]!.join() !== reps[1]!.join() || reps[1]!.join() !== reps[2]!.join());
  assert.deepEqual(await ds.toArray(), all);
});

test('a pass resumed from its position continues with exactly the samples the first pass gave, without rerunning skipped maps', async () => {
  let calls = 0;
  const build = (seed: number) => {
    setSeed(seed);
    return Dataset.from(range(50)).shuffle(16).map((i) => {
      calls++;
      return { x: tensor([i, i + 0.5]), y: i };
    }).batch(4).repeat(2).prefetch(2);
  };
  const full: number[][] = [];
  for await (const b of build(5).iterate({ epoch: 3 })) full.push(b.y.toArray() as number[]);
  const first = build(5).iterate({ epoch: 3 });
  const seen: number[][] = [];
  for (let k = 0; k < 9; k++) seen.push(((await first.next()).value!.y.toArray()) as number[]);
  const position = JSON.parse(JSON.stringify(first.position()));
  assert.deepEqual(position.epoch, 3);
  assert.equal(position.index, 9);
  assert.equal(position.seeds.length, 1);
  await first.return();
  // Another seed builds the pipeline: the position's seeds replace the stages' own.
  calls = 0;
  const resumed = build(999).iterate({ from: position });
  for await (const b of resumed) seen.push(b.y.toArray() as number[]);
  assert.deepEqual(seen, full);
  assert.equal(calls, 100 - 9 * 4, 'map ran only for the samples after the position (the shuffle upstream of it was replayed)');
  assert.throws(() => Dataset.from(range(5)).iterate({ from: position }), /holds 1 seeds, but this dataset has 0 seeded stages/);
  assert.throws(() => Dataset.from(range(5)).iterate({ from: { epoch: -1 } } as never), /option 'from' expected a position \{ epoch, index, seeds \}/);
});

test('the iterator tells how long its consumer waited for data', async () => {
  const slow = Dataset.from(range(3)).map(async (i) => {
    await sleep(30);
    return i;
  });
  const it = slow.iterate();
  for await (const _ of it) void _;
  const wait = it.wait;
  assert.equal(wait.count, 3);
  assert.ok(wait.totalMs >= 75, `waited ${wait.totalMs} ms for three samples of 30 ms`);
  const ready = Dataset.from(range(3)).iterate();
  for await (const _ of ready) void _;
  assert.ok(ready.wait.totalMs < wait.totalMs);
});

test('prefetch reads ahead by at most its count', async () => {
  let produced = 0;
  async function* source() {
    for (let i = 0; i < 40; i++) {
      produced++;
      yield i;
    }
  }
  const it = Dataset.from(source).prefetch(5).iterate();
  const out: number[] = [];
  for (let k = 0; k < 10; k++) {
    out.push((await it.next()).value!);
    await sleep(2);
    assert.ok(produced - out.length <= 6, `produced ${produced} for ${out.length} consumed`);
  }
  await it.return();
  assert.deepEqual(out, range(10));
  assert.deepEqual(await Dataset.from(source).prefetch(3).toArray(), range(40));
  await assert.rejects(Dataset.from(async function* () {
    yield 1;
    throw new Error('source broke');
  }).prefetch(4).toArray(), /source broke/);
});

test('cache in memory reads the upstream once; an abandoned first pass keeps nothing', async () => {
  let passes = 0;
  const ds = Dataset.from(function* () {
    passes++;
    yield* range(6);
  }).cache();
  const it = ds.iterate();
  await it.next();
  await it.return();
  assert.deepEqual(await ds.toArray(), range(6));
  assert.deepEqual(await ds.toArray(), range(6));
  assert.deepEqual(await ds.skip(4).toArray(), [4, 5]);
  assert.equal(passes, 2);
  assert.throws(() => Dataset.from(range(3)).repeat().cache(), /never ends \(after repeat\(\)\).*cache before repeat/);
});

test('cache in a file: written whole under its name, read by a later pipeline; damage is named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-cache-'));
  try {
    const file = join(dir, 'train.cache');
    let reads = 0;
    const build = () => Dataset.from(function* () {
      reads++;
      for (const i of range(300)) yield { x: tensor([i, i * 2], { dtype: i % 2 ? 'float32' : 'int32' }), label: `n${i}`, w: i / 2 };
    }).cache({ file });
    const abandoned = build().iterate();
    await abandoned.next();
    await abandoned.return();
    assert.deepEqual(readdirSync(dir), [], 'an abandoned pass leaves no file');
    const first = await build().toArray();
    assert.deepEqual(readdirSync(dir), ['train.cache']);
    const other = build();
    const second = await other.toArray();
    assert.equal(reads, 2, 'the second pipeline read the file, not the source');
    assert.deepEqual(second.map((s) => [s.x.dtype, s.x.toArray(), s.label, s.w]), first.map((s) => [s.x.dtype, s.x.toArray(), s.label, s.w]));
    assert.deepEqual((await other.skip(298).toArray()).map((s) => s.label), ['n298', 'n299']);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    await assert.rejects(build().toArray(), /cache file .*train\.cache is damaged \(it ends after 29\d samples without its end mark: it was cut short\): remove it/);
    writeFileSync(file, 'name,value\n1,2\n');
    await assert.rejects(build().toArray(), /train\.cache is not a dataset cache file/);
    rmSync(file);
    assert.equal(existsSync(file), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('map on worker threads: the same samples as on this thread, in order, with repeatable random draws', async () => {
  const x = tensor(range(40).map((i) => [i, i / 3, -i]));
  const base = Dataset.fromTensors({ x });
  const here = await base.map((s) => ({ x: s.x.mul(2).add(1), y: s.x.sum().item() })).toArray();
  const affine = moduleExport<(s: { x: Tensor }) => { x: Tensor; y: number }>(new URL('./testing.js', import.meta.url), 'affine');
  const there = await base.map(affine, { parallel: 2 }).batch(8).unbatch().toArray();
  assert.equal(there.length, 40);
  there.forEach((s, i) => {
    assert.ok(s.x instanceof Tensor);
    assert.deepEqual(s.x.toArray(), here[i]!.x.toArray());
    assert.ok(Math.abs((s.y as unknown as Tensor).item() - here[i]!.y) < 1e-4);
  });
  setSeed(3);
  const noisy = moduleExport<(x: Tensor) => Tensor>(new URL('./testing.js', import.meta.url), 'noisy');
  const one = Dataset.fromTensors(x).map(noisy, { parallel: 1 });
  const oneValues = (await one.toArray()).map((t) => t.toArray());
  const two = (await one.toArray()).map((t) => t.toArray());
  assert.notDeepEqual(two, oneValues, 'another epoch, other draws');
  setSeed(3);
  const parallel = Dataset.fromTensors(x).map(noisy, { parallel: 3 });
  assert.deepEqual((await parallel.toArray()).map((t) => t.toArray()), oneValues, 'one worker or three: the same draws per sample');
});

test('map on worker threads: errors name the sample; a bad export is refused', async () => {
  const x = tensor([[1], [2], [-3], [4]]);
  const fail = moduleExport(new URL('./testing.js', import.meta.url), 'failOnNegative');
  await assert.rejects(Dataset.fromTensors(x).map(fail, { parallel: 2 }).toArray(), (e: Error) => {
    assert.equal(e.name, 'ValueError');
    assert.match(e.message, /Dataset.map: sample 2 failed in a worker thread: negative value -3/);
    return true;
  });
  await assert.rejects(Dataset.fromTensors(x).map(moduleExport(new URL('./testing.js', import.meta.url), 'missing'), { parallel: 1 }).toArray(),
    /a worker thread could not start: .*has no export 'missing' \(it exports .*'affine'/);
  await assert.rejects(Dataset.fromTensors(x).map(moduleExport(new URL('./testing.js', import.meta.url), 'notAFunction'), { parallel: 1 }).toArray(),
    /export 'notAFunction' of .* expected a function, received 42/);
  assert.throws(() => Dataset.fromTensors(x).map(fail), /a module export runs on worker threads: give \{ parallel: N \}/);
});
