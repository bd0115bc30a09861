import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../ops/tensor-methods.js';
import { Dense } from '../../layers/index.js';
import { Adam, ExponentialDecay, SGD } from '../../optimizers/index.js';
import { randomNormal } from '../../tensor/creation.js';
import { setSeed } from '../../util/random.js';
import { Sequential } from '../sequential.js';
import { LambdaCallback } from './lambda-callback.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';

function model(optimizer: SGD | Adam = new SGD({ learningRate: 0.1 })): Sequential {
  setSeed(5);
  const m = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer, loss: 'mse' });
  return m;
}
const x = () => randomNormal([10, 2]);
const y = () => randomNormal([10, 1]);

describe('LambdaCallback', () => {
  test('calls each hook given, in order, with the epoch or batch and the logs', async () => {
    const calls: string[] = [];
    const cb = new LambdaCallback({
      onTrainBegin: () => void calls.push('train begin'),
      onEpochBegin: (e) => void calls.push(`epoch ${e} begin`),
      onBatchEnd: (b, logs) => void calls.push(`batch ${b} end ${typeof logs['loss']}`),
      onEpochEnd: async (e, logs) => {
        await new Promise((r) => setTimeout(r, 1));
        calls.push(`epoch ${e} end ${'val_loss' in logs}`);
      },
      onTrainEnd: () => void calls.push('train end'),
    });
    await model().fit(x(), y(), { epochs: 2, batchSize: 5, validationSplit: 0.2, verbose: 0, callbacks: [cb] });
    assert.deepEqual(calls, [
      'train begin', 'epoch 0 begin', 'batch 0 end number', 'batch 1 end number', 'epoch 0 end true',
      'epoch 1 begin', 'batch 0 end number', 'batch 1 end number', 'epoch 1 end true', 'train end',
    ]);
  });

  test('a misspelt hook or a hook that is not a function is refused', () => {
    assert.throws(() => new LambdaCallback({ onEpochEnds: () => undefined } as never), /LambdaCallback: unknown option 'onEpochEnds' \(did you mean 'onEpochEnd'\?\)/);
    assert.throws(() => new LambdaCallback({ onEpochEnd: 3 } as never), /LambdaCallback: option 'onEpochEnd' expected a function, received 3/);
  });
});

describe('LearningRateScheduler', () => {
  test('sets schedule(epoch, lr) at every epoch start and logs it as learning_rate', async () => {
    const m = model();
    const seen: [number, number][] = [];
    const scheduler = new LearningRateScheduler((epoch, lr) => {
      seen.push([epoch, lr]);
      return epoch < 2 ? lr : lr * 0.5;
    });
    const history = await m.fit(x(), y(), { epochs: 4, batchSize: 5, verbose: 0, callbacks: [scheduler] });
    assert.deepEqual(seen, [[0, 0.1], [1, 0.1], [2, 0.1], [3, 0.05]]);
    assert.deepEqual(history.history['learning_rate'], [0.1, 0.1, 0.05, 0.025]);
    assert.equal(m.optimizer!.learningRate, 0.025);
  });

  test('a bad return value or an optimizer on a schedule is refused, saying why', async () => {
    await assert.rejects(
      model().fit(x(), y(), { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler(() => Number.NaN)] }),
      /LearningRateScheduler: the schedule must return a non-negative finite number, returned NaN for epoch 0/,
    );
    const scheduled = model(new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) }));
    await assert.rejects(scheduled.fit(x(), y(), { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler((_, lr) => lr)] }), /follows the schedule ExponentialDecay/);
    assert.throws(() => new LearningRateScheduler(0.1 as never), /LearningRateScheduler: argument 'schedule' expected a function, received 0\.1/);
    assert.throws(() => new LearningRateScheduler((_, lr) => lr, { verbose: 1 } as never), /option 'verbose' expected a boolean/);
  });
});
