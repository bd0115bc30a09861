/**
 * Crash safety end to end, with real processes: a training process killed in the middle of an epoch and
 * resumed from its last checkpoint ends with exactly the weights (and history) of an uninterrupted run;
 * and a process killed at random moments while it checkpoints always leaves a checkpoint that loads, its
 * model.json and weights from the same save.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Model } from '../src/index.js';
import { loadModel } from '../src/index.js';
import { Rng } from '../src/util/random.js';
import { type Child, startChild, untilPrinted } from './child-process.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'resume-child.js');
const root = mkdtempSync(join(tmpdir(), 'layerwise-resume-'));
after(() => rmSync(root, { recursive: true, force: true }));

const start = (args: string[]): Child => startChild(child, args);

async function run(args: string[]): Promise<string[]> {
  const c = start(args);
  assert.equal(await c.exit, 0, `child ${args.join(' ')} exits cleanly`);
  return c.lines;
}

function weightsOf(model: Model): number[][] {
  return model.getWeights().map((w) => Array.from(w.data() as Float32Array));
}

interface SavedState {
  epoch: number;
  history: { logs: Record<string, number[]> };
}

/** The training state a saved folder's model.json carries. */
function savedState(dir: string): SavedState {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.layerwise.trainingState;
}

describe('resuming after a kill', () => {
  test('killed mid-epoch and resumed, the run ends with the weights of an uninterrupted run', async () => {
    const uninterrupted = join(root, 'uninterrupted');
    await run([join(root, 'checkpoint-a'), uninterrupted]);

    const checkpoint = join(root, 'checkpoint-b');
    const killed = start([checkpoint, join(root, 'never'), '--hang-at', '2:3']);
    await untilPrinted(killed, 'hanging');
    killed.process.kill('SIGKILL');
    await killed.exit;
    assert.deepEqual(killed.lines.filter((l) => l.startsWith('epoch')), ['epoch 0 done', 'epoch 1 done'], 'killed during the third epoch');
    assert.ok(!existsSync(join(root, 'never')));

    const resumed = join(root, 'resumed');
    const lines = await run([checkpoint, resumed, '--resume']);
    assert.deepEqual(lines.filter((l) => l.startsWith('epoch')), ['epoch 2 done', 'epoch 3 done'], 'the resumed run trains the epochs left');

    const [a, b] = [await loadModel(uninterrupted), await loadModel(resumed)];
    assert.deepEqual(weightsOf(b), weightsOf(a), 'identical weights, bit for bit');
    assert.deepEqual(b.optimizer!.iterations, a.optimizer!.iterations);
    const [ha, hb] = [savedState(uninterrupted).history.logs, savedState(resumed).history.logs];
    assert.equal(ha['loss']!.length, 4);
    assert.deepEqual(hb, ha, 'the same losses every epoch, the first two carried over from the checkpoint');
  });

  test('killed mid-epoch while training from a shuffled Dataset with a checkpoint every 3 batches, the resumed run continues from that batch of the same shuffle', async () => {
    const flags = ['--dataset', '--save-freq', '3'];
    const uninterrupted = join(root, 'dataset-uninterrupted');
    await run([join(root, 'dataset-checkpoint-a'), uninterrupted, ...flags]);

    const checkpoint = join(root, 'dataset-checkpoint-b');
    const killed = start([checkpoint, join(root, 'never'), '--hang-at', '2:3', ...flags]);
    await untilPrinted(killed, 'hanging');
    killed.process.kill('SIGKILL');
    await killed.exit;
    // 8 batches per epoch: the last checkpoint before the kill was after batch 18, the second of epoch 2.
    const next = (savedState(checkpoint) as SavedState & { next: { epoch: number; step: number; data: { dataset: { index: number } } } }).next;
    assert.deepEqual([next.epoch, next.step, next.data.dataset.index], [2, 2, 2], 'the checkpoint holds the place in the epoch and in the dataset');

    const resumed = join(root, 'dataset-resumed');
    const lines = await run([checkpoint, resumed, '--resume', ...flags]);
    assert.deepEqual(lines.filter((l) => l.startsWith('epoch')), ['epoch 2 done', 'epoch 3 done']);
    const [a, b] = [await loadModel(uninterrupted), await loadModel(resumed)];
    assert.deepEqual(weightsOf(b), weightsOf(a), 'identical weights, bit for bit');
    assert.deepEqual(b.optimizer!.iterations, a.optimizer!.iterations);
  });

  test('killed at random moments while checkpointing, the checkpoint always loads and is consistent', async () => {
    const random = new Rng(99);
    for (let round = 0; round < 6; round++) {
      const checkpoint = join(root, `busy-${round}`);
      const c = start([checkpoint, join(root, 'never'), '--epochs', '100000']);
      await untilPrinted(c, 'epoch 0 done');
      await new Promise((r) => setTimeout(r, random.int(150)));
      c.process.kill('SIGKILL');
      await c.exit;
      const model = await loadModel(checkpoint);
      const state = savedState(checkpoint);
      // The iteration count lives in the weights file, the epoch in model.json: they agree only if both come from the same save.
      assert.equal(model.optimizer!.iterations, (state.epoch + 1) * 8, `round ${round}: epoch ${state.epoch}`);
      assert.equal(state.history.logs['loss']!.length, state.epoch + 1);
    }
  });
});
