/**
 * Layers called from JavaScript without their required options, or with sizes no machine holds: the
 * message names the layer and the option (it used to be "Cannot read properties of undefined (reading
 * 'units')", and units: 1e300 passed the check to fail later in an allocation naming neither).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as lw from '../src/index.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof lw.LayerwiseError, `a LayerwiseError, not ${String(e)}`);
    return e.message;
  }
  return assert.fail('expected an error');
}

// The constructors' types require the options; JavaScript callers can still leave them out.
const none = undefined as never;

test('a layer without its required options names the option', () => {
  assert.match(message(() => new lw.Dense(none)), /^Dense 'dense\w*': option 'units' expected a positive integer, received undefined$/);
  assert.match(message(() => new lw.Conv2D(none)), /^Conv2D 'conv2d\w*': option 'filters' expected a positive integer, received undefined$/);
  assert.match(message(() => new lw.Dropout(none)), /^Dropout 'dropout\w*': option 'rate' expected a number in \[0, 1\), received undefined$/);
  assert.match(message(() => new lw.Activation(none)), /^Activation 'activation\w*': option 'activation' expected an activation .*received undefined$/);
  assert.match(message(() => new lw.Reshape(none)), /^Reshape 'reshape\w*': option 'targetShape' expected .*received undefined$/);
  assert.match(message(() => new lw.InputLayer(none)), /^InputLayer: option 'shape' expected the shape of one sample .*received undefined$/);
});

test('sizes beyond the safe integers are refused where they are given', () => {
  assert.match(message(() => new lw.Dense({ units: 1e300 })), /^Dense 'dense\w*': option 'units' expected a positive integer, received 1e\+300$/);
  assert.match(message(() => new lw.Conv2D({ filters: 2 ** 60, kernelSize: 3 })), /option 'filters' expected a positive integer, received 1152921504606847000$/);
});

test('fit with callbacks: {} says that an array of callbacks was expected', async () => {
  const model = new lw.Sequential([new lw.Dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(model.fit(lw.ones([4, 2]), lw.ones([4, 1]), { callbacks: {} as never, verbose: 0 }), /fit: option 'callbacks' expected an array \(each element a callback .*\), received an empty object/);
});
