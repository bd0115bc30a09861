import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dense, Dropout } from '../../layers/index.js';
import type { LossIdentifier } from '../../losses/index.js';
import { BinaryCrossentropy, CategoricalCrossentropy, getLoss } from '../../losses/index.js';
import { getOptimizer } from '../../optimizers/index.js';
import type { DoctorCheck } from './check.js';
import { DOCTOR_CHECKS, diagnose } from './doctor.js';
import { Sequential } from '../sequential.js';

function warningsOf(activation: string, loss: LossIdentifier, units = 10, after: 'dropout' | null = null): string[] {
  const model = new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [4] }), new Dense({ units, activation, name: 'out' })]);
  if (after) model.add(new Dropout({ rate: 0.2 }));
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    model.compile({ optimizer: 'rmsprop', loss });
  } finally {
    console.warn = warn;
  }
  return warnings;
}

test('the seed\'s bug: a relu output under categorical cross-entropy warns at compile with the reason and the fix', () => {
  const [warning, ...rest] = warningsOf('relu', 'categorical_crossentropy');
  assert.equal(rest.length, 0);
  assert.match(warning!, /^layerwise doctor: Dense 'out' \(the output layer\) uses activation 'relu'/);
  assert.match(warning!, /expects probabilities that sum to 1/);
  assert.match(warning!, /relu output is not a probability distribution/);
  assert.match(warning!, /Fix: use activation 'softmax' on the last layer/);
});

test('any non-softmax output warns for the categorical losses; softmax is silent', () => {
  assert.equal(warningsOf('sigmoid', 'sparse_categorical_crossentropy').length, 1);
  assert.equal(warningsOf('linear', 'categoricalCrossentropy').length, 1);
  assert.deepEqual(warningsOf('softmax', 'categorical_crossentropy'), []);
  assert.deepEqual(warningsOf('softmax', 'sparse_categorical_crossentropy', 10, 'dropout'), [], 'looks through layers without an activation');
  assert.equal(warningsOf('relu', 'categorical_crossentropy', 10, 'dropout').length, 1);
});

test('binary cross-entropy wants sigmoid; logits losses want no squashing; regression losses accept anything', () => {
  assert.match(warningsOf('softmax', 'binary_crossentropy', 1)[0]!, /on a single unit, which always outputs 1/);
  assert.match(warningsOf('relu', 'binary_crossentropy', 1)[0]!, /expects probabilities in \[0, 1\]/);
  assert.deepEqual(warningsOf('sigmoid', 'binary_crossentropy', 1), []);
  assert.match(warningsOf('softmax', new CategoricalCrossentropy({ fromLogits: true }))[0]!, /fromLogits: true and will apply softmax a second time/);
  assert.deepEqual(warningsOf('linear', new BinaryCrossentropy({ fromLogits: true }), 1), []);
  assert.deepEqual(warningsOf('relu', 'mse'), []);
});

test('fit runs the fit-stage checks on the training data; checks are independent entries of DOCTOR_CHECKS', async () => {
  const seen: number[] = [];
  const check: DoctorCheck = {
    name: 'sample-count',
    stage: 'fit',
    run: ({ x }) => {
      seen.push(x!.shape[0]!);
      return [{ check: 'sample-count', message: `only ${x!.shape[0]} samples` }];
    },
  };
  DOCTOR_CHECKS.push(check);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    model.compile({ loss: 'mse' });
    assert.deepEqual(seen, [], 'fit-stage checks do not run at compile');
    await model.fit([[1, 2], [3, 4], [5, 6], [7, 8]], [[1], [2], [3], [4]], { verbose: 0, validationSplit: 0.25 });
  } finally {
    console.warn = warn;
    DOCTOR_CHECKS.splice(DOCTOR_CHECKS.indexOf(check), 1);
  }
  assert.deepEqual(seen, [3], 'the training part, after the validation split');
  assert.deepEqual(warnings, ['layerwise doctor: only 3 samples']);
  assert.deepEqual(diagnose('fit', { output: null, loss: getLoss('mse'), optimizer: getOptimizer('sgd') }, []), []);
});
