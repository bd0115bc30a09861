import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makePlan, seedConvGemms } from './plan.js';
import { type BenchResults, type EntryResult, type PeerReport, RESULTS_FORMAT } from './protocol.js';
import { pytorchBest, renderResults } from './report.js';

function report(framework: string, setting: string, train: number, inference: number, gemm1024: number): PeerReport {
  const stats = (rate: number) => ({
    ...{ median: rate, best: rate, worst: rate, windows: 3, windowSeconds: 3, batchesPerWindow: 10 },
    ...{ discardedWindows: 0, otherCoresBusy: 0.01, method: 'median of 3 windows' },
  });
  return {
    framework,
    setting,
    train: stats(train),
    inference: stats(inference),
    testAccuracy: 0.9876,
    accuracyNote: 'one epoch',
    epochSeconds: 20,
    gemm: [{ label: '1024³', m: 1024, k: 1024, n: 1024, gflops: gemm1024, repetitions: 5 }],
    peakRssBytes: 100 * 2 ** 20,
    cpuSeconds: 10,
    versions: { [framework]: '1.0' },
    notes: [`${setting} note`],
  };
}

const conditions = { startedAt: '2026-01-02T03:04:05.000Z', wallSeconds: 30, loadAverageBefore: 0.1, busyCoresAtStart: 0, otherCoresBusy: 0.02 };

function results(entries: EntryResult[]): BenchResults {
  return {
    format: RESULTS_FORMAT,
    date: '2026-01-02T03:04:05.000Z',
    quick: false,
    plan: makePlan(false),
    machine: { cpuModel: 'Test CPU', cores: 2, simd: 'AVX2, FMA', memoryGiB: 8, node: '20.0.0', os: 'Linux' },
    entries,
    warnings: [],
  };
}

const torchSlow: EntryResult = { name: 'PyTorch 1 thread', group: 'peer', status: 'ok', report: report('PyTorch', '1 thread', 1000, 4000, 100), conditions };
const torchFast: EntryResult = { name: 'PyTorch 2 threads', group: 'peer', status: 'ok', report: report('PyTorch', '2 threads', 2000, 5000, 200), conditions };
const failed: EntryResult = { name: 'TensorFlow.js cpu', group: 'peer', status: 'failed', error: 'exited with 1: bad | pipe', conditions };
const skipped: EntryResult = { name: 'PyTorch 2 threads, reference BLAS', group: 'peer', status: 'skipped', reason: 'libblas3 missing' };
const ours: EntryResult = { name: 'layerwise native', group: 'layerwise', status: 'ok', report: report('layerwise', 'native', 4000, 12500, 300), conditions };

describe('benchmark report', () => {
  test("PyTorch's best setting is the one with the highest training throughput", () => {
    assert.equal(pytorchBest([torchSlow, torchFast, ours]), torchFast);
    assert.equal(pytorchBest([ours, failed]), null);
  });

  test('failed and skipped entries are listed with their reasons, pipes escaped', () => {
    const page = renderResults(results([torchSlow, failed, skipped]));
    assert.match(page, /\| TensorFlow\.js cpu \| \*\*failed\*\*: exited with 1: bad \\\| pipe \|/);
    assert.match(page, /\| PyTorch 2 threads, reference BLAS \| skipped: libblas3 missing \|/);
  });

  test('marks the best PyTorch setting and gives every entry its ratio to it', () => {
    const page = renderResults(results([torchSlow, torchFast]));
    assert.match(page, /PyTorch's best setting: 2 threads \(2,000 training samples\/s\)/);
    assert.match(page, /\| PyTorch 2 threads \*\*\(PyTorch best\)\*\* \| 2,000 \| 5,000 \|/);
    assert.match(page, /\| PyTorch 1 thread \| 1,000 \| 4,000 \| 98\.76% \| 100 MiB \| 0\.50× \/ 0\.80× \|/);
  });

  test('each layerwise entry is compared with each peer', () => {
    const page = renderResults(results([ours, torchSlow, torchFast, failed]));
    assert.match(page, /### layerwise native/);
    assert.match(page, /\| PyTorch 1 thread \| 4\.00× \| 3\.13× \| 3\.00× \| 1\.00× \|/);
    assert.match(page, /\| PyTorch 2 threads \(PyTorch best\) \| 2\.00× \| 2\.50× \| 1\.50× \| 1\.00× \|/);
    assert.doesNotMatch(page, /\| TensorFlow\.js cpu \| [0-9]/);
  });

  test('a figure timed while other processes were busy is flagged', () => {
    const busyReport = report('PyTorch', 'busy', 1000, 4000, 100);
    const busy: EntryResult = { name: 'PyTorch busy', group: 'peer', status: 'ok', report: { ...busyReport, train: { ...busyReport.train, otherCoresBusy: 0.9 } }, conditions };
    const page = renderResults(results([torchSlow, busy]));
    assert.match(page, /⚠ PyTorch busy: training was timed while other processes kept up to 0\.90 cores busy/);
    assert.doesNotMatch(page, /⚠ PyTorch 1 thread/);
  });

  test('the data pipelines: each entry\'s table under its title, failures and skips with their reasons', () => {
    const table = { headers: ['source', 'images/s'], numeric: [1], rows: [['tensors in memory', '4303'], ['PNG | files', '3900']], notes: ['a note'] };
    const page = renderResults({
      ...results([ours]),
      data: [
        { name: 'data: PNG folder training', status: 'ok', table, conditions },
        { name: 'data: table readers', status: 'failed', error: 'exited with 1', conditions },
        { name: 'data: larger than memory', status: 'skipped', reason: 'not run with --quick' },
      ],
    });
    assert.match(page, /## Data pipelines/);
    assert.match(page, /### Training from a folder of PNG files[^#]*\| source \| images\/s \|\n\| --- \| ---: \|\n\| tensors in memory \| 4303 \|\n\| PNG \\\| files \| 3900 \|/);
    assert.match(page, /- a note\n- Ran at 2026-01-02 03:04 UTC for 30 s/);
    assert.match(page, /### Reading CSV, Parquet and Arrow files[^#]*Failed: exited with 1/);
    assert.match(page, /### Training on a file larger than memory[^#]*Skipped: not run with --quick/);
  });

  test('a run without layerwise entries says so', () => {
    assert.match(renderResults(results([torchSlow])), /This run has no layerwise entries\./);
  });
});

test('the seed convnet as im2col GEMMs at batch 64', () => {
  assert.deepEqual(
    seedConvGemms(64).map(({ m, k, n }) => [m, k, n]),
    [
      [64 * 26 * 26, 9, 32],
      [64 * 11 * 11, 288, 64],
      [64 * 3 * 3, 576, 64],
    ],
  );
});
