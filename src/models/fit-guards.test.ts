/**
 * What fit refuses and how it stops: options it does not know (Keras refuses unknown keyword arguments),
 * a model with nothing to train, a second fit while one runs, a loss that is no longer a number — with
 * an error naming the batch and the input that holds NaN, or quietly with TerminateOnNaN — and the model
 * doctor saying about NaN what fit then really does.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { Concatenate, Dense, Input } from '../layers/index.js';
import { SGD } from '../optimizers/index.js';
import { NumericsError, ValueError } from '../util/errors.js';
import { TerminateOnNaN } from './callbacks/terminate-on-nan.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

const X = [[0, 1], [1, 0], [1, 1], [0, 0], [0.5, 0.5], [1, 0.5]];
const Y = [[1], [1], [2], [0], [1], [1.5]];

function linear(): Sequential {
  const model = new Sequential([new Dense({ units: 1, inputShape: [2], name: 'line' })]);
  model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
  return model;
}

describe('options are checked, unknown keys refused', () => {
  test('fit, evaluate, predict, compile, save and the constructors name the option and what they expected', async () => {
    const model = linear();
    const refused: [() => unknown, RegExp][] = [
      [() => model.fit(X, Y, { epoch: 3 } as never), /^fit: unknown option 'epoch' \(did you mean 'epochs'\?\); known options: epochs, batchSize/],
      [() => model.fit(X, Y, { shuffle: 'yes' } as never), /^fit: option 'shuffle' expected a boolean \(true or false\), received "yes"/],
      [() => model.fit(X, Y, { callbacks: {} } as never), /^fit: option 'callbacks' expected an array \(each element a callback/],
      [() => model.fit(X, Y, { epochs: 0 }), /^fit: option 'epochs' expected a positive integer, received 0/],
      [() => model.fit(X, Y, { verbose: 3 as never }), /^fit: option 'verbose' expected one of 0, 1, 2, received 3/],
      [() => model.fit(X, Y, { validationSplit: 1 }), /^fit: option 'validationSplit' expected a number in \(0, 1\), received 1/],
      [() => model.evaluate(X, Y, { batch_size: 2 } as never), /^evaluate: unknown option 'batch_size' \(did you mean 'batchSize'\?\)/],
      [() => model.predict(X, { verbose: 0 } as never), /^predict: unknown option 'verbose'; known options: batchSize, steps/],
      [() => model.save('/nonexistent', { includeTrainingstate: true } as never), /save: unknown option 'includeTrainingstate' \(did you mean 'includeTrainingState'\?\)/],
      [() => model.trainOnBatch(X, Y, { sampleWeights: [1, 1, 1, 1, 1, 1] } as never), /^trainOnBatch: unknown option 'sampleWeights' \(did you mean 'sampleWeight'\?\)/],
      [() => model.compile({ loss: 'mse', metric: ['accuracy'] } as never), /compile: unknown option 'metric' \(did you mean 'metrics'\?\)/],
      [() => model.compile({ loss: 'mse', optimizer: 5 } as never), /compile: option 'optimizer' expected an optimizer \(a name or an Optimizer\), received 5/],
      [() => new Sequential({ layer: [] } as never), /^Sequential: unknown option 'layer' \(did you mean 'layers'\?\)/],
      [() => new Model({ inputs: Input({ shape: [1] }), output: [] } as never), /^Model: unknown option 'output' \(did you mean 'outputs'\?\)/],
      [() => new Model({ name: '' }), /^Model: option 'name' expected a non-empty string, received ""/],
    ];
    for (const [call, expected] of refused) {
      const check = (e: Error): boolean => e instanceof ValueError && expected.test(e.message);
      let result: unknown;
      try {
        result = call();
      } catch (e) {
        assert.ok(check(e as Error), `${expected}: ${(e as Error).message}`);
        continue;
      }
      await assert.rejects(result as Promise<unknown>, check, String(expected));
    }
  });

  test('a model with no layers refuses to compile, so it cannot train with a loss of 0', () => {
    assert.throws(() => new Sequential({ name: 'empty' }).compile({ loss: 'mse' }),
      /Sequential 'empty'\.compile: the model has no layers, so there is nothing to train: add layers first/);
    const input = Input({ shape: [2] });
    assert.throws(() => new Model({ inputs: input, outputs: input, name: 'identity' }).compile({ loss: 'mse' }), /Model 'identity'\.compile: the model has no layers/);
  });
});

describe('one fit at a time', () => {
  test('a second fit started before the first finished is refused; the first goes on, and later fits work', async () => {
    const model = linear();
    const first = model.fit(X, Y, { epochs: 3, batchSize: 2, verbose: 0 });
    await assert.rejects(model.fit(X, Y, { verbose: 0 }), /fit: Sequential '.*' is already training \(a fit started earlier has not finished\); await it before starting another/);
    assert.throws(() => model.trainOnBatch(X, Y), /trainOnBatch: Sequential '.*' is training \(fit has not finished\)/);
    const history = await first;
    assert.equal(history.history['loss']!.length, 3, 'the first fit ran all its epochs');
    assert.equal(model.optimizer!.iterations, 9, 'and only its batches were applied');
    await model.fit(X, Y, { epochs: 1, verbose: 0 });
    // A fit that fails releases the model too.
    await assert.rejects(model.fit(X, [[1]], { verbose: 0 }), /expected 6 labels/);
    await model.fit(X, Y, { epochs: 1, verbose: 0 });
  });
});

describe('a loss that is not a number', () => {
  test('the error names the input that holds NaN by name in a model with several inputs', async () => {
    const a = Input({ shape: [2], name: 'prices' });
    const b = Input({ shape: [3], name: 'counts' });
    const model = new Model({ inputs: [a, b], outputs: new Dense({ units: 1 }).apply(new Concatenate().apply([a, b])) });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const counts = [[1, 2, 3], [4, 5, 6], [7, NaN, 9], [1, 1, 1]];
    await assert.rejects(model.fit({ prices: [[1, 2], [3, 4], [5, 6], [7, 8]], counts }, [[1], [2], [3], [4]], { batchSize: 2, shuffle: false, verbose: 0 }), (e: Error) =>
      e instanceof NumericsError && e.message.includes('at epoch 1/1, batch 2/2') && e.message.includes("input 'counts' holds NaN in feature 1 (sample 0 of the batch)"));
    await assert.rejects(model.fit({ prices: [[1, 2], [3, 4], [5, 6], [7, 8]], counts: [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]] }, [[1], [Infinity], [3], [4]], { batchSize: 2, shuffle: false, verbose: 0 }),
      /the labels hold Infinity \(sample 1 of the batch\)/);
  });

  test('TerminateOnNaN ends training quietly instead, keeping the History and weights from before the bad batch', async () => {
    const model = linear();
    const stop = new TerminateOnNaN();
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => void lines.push(line);
    let history;
    try {
      history = await model.fit([...X.slice(0, 4), [NaN, 1], [1, 1]], Y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, callbacks: [stop] });
    } finally {
      console.log = log;
    }
    assert.deepEqual(stop.stoppedAt, { epoch: 0, batch: 2 });
    assert.deepEqual(lines, ['Epoch 1, batch 3: the loss is NaN, terminating training']);
    assert.deepEqual(history.epoch, [0], 'the epoch ends, as in Keras, and no other starts');
    assert.ok(Number.isNaN(history.history['loss']![0]));
    assert.ok(model.getWeights().every((w) => Array.from(w.data()).every((v) => Number.isFinite(v))), 'the bad batch was not applied');
    assert.equal(model.optimizer!.iterations, 2);
    assert.throws(() => new TerminateOnNaN({ verbose: true } as never), /TerminateOnNaN: unknown option 'verbose'/);
  });

  test('what the doctor says about NaN inputs is what fit then does', async () => {
    const model = new Sequential([new Dense({ units: 3, activation: 'tanh', inputShape: [2] }), new Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = [[0.1, 0.2], [0.3, NaN], [0.5, 0.1], [0.2, 0.2]];
    const y = [[1], [0], [1], [0]];
    const [finding] = model.doctor(x, y, { printFn: () => undefined }).filter((f) => f.check === 'missing-values');
    assert.match(finding!.message, /feature 1 has missing \(NaN\) values\. Every layer passes NaN on \(as in TensorFlow and PyTorch\), so the first batch holding one has a NaN loss and fit stops with an error naming the batch and the feature/);
    await assert.rejects(model.fit(x, y, { batchSize: 2, shuffle: false, verbose: 0 }), /the loss became NaN at epoch 1\/1, batch 1\/2;.* the input holds NaN in feature 1 \(sample 1 of the batch\)/);
  });
});
