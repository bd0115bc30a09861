import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookupName, nameKey, snakeCase } from './names.js';

test('names compare without case and underscores', () => {
  assert.equal(nameKey('categorical_crossentropy'), nameKey('categoricalCrossentropy'));
  assert.equal(nameKey('RMSprop'), 'rmsprop');
});

test('snakeCase gives Keras layer names', () => {
  assert.deepEqual(
    ['Conv2D', 'MaxPooling2D', 'BatchNormalization', 'GlobalAveragePooling2D', 'Dense', 'InputLayer'].map(snakeCase),
    ['conv2d', 'max_pooling2d', 'batch_normalization', 'global_average_pooling2d', 'dense', 'input_layer'],
  );
  assert.equal(snakeCase('val_loss'), 'val_loss');
  assert.equal(snakeCase('valLoss'), 'val_loss');
});

test('lookupName finds table entries and aliases, and lists the known names otherwise', () => {
  const table = { meanSquaredError: 1, huber: 2 };
  assert.equal(lookupName('f', 'loss', 'mean_squared_error', table), 1);
  assert.equal(lookupName('f', 'loss', 'mse', table, { mse: 'meanSquaredError' }), 1);
  assert.throws(() => lookupName('compile', 'loss', 'hubber', table), /compile: argument 'loss' expected one of 'meanSquaredError', 'huber'.*received "hubber": did you mean 'huber'\?/);
  assert.throws(() => lookupName('compile', 'loss', 42, table), /received 42/);
});
