/**
 * The input boundary: values keep their meaning whatever array type they come in, results are computed
 * in a type that holds them, and options or arguments the library cannot use are refused with a message
 * naming them. One test per finding, each of which used to pass silently with a wrong number or fail
 * obscurely.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as lw from '../src/index.js';

/** The message of the ValueError (or other library error) a call throws. */
function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof lw.LayerwiseError, `a LayerwiseError, not ${String(e)}`);
    return e.message;
  }
  assert.fail('expected an error');
}

describe('typed arrays keep their values', () => {
  const integerArrays: [string, lw.NumericArray][] = [
    ['Uint8Array', new Uint8Array([0, 5, 255])],
    ['Uint8ClampedArray (canvas pixels)', new Uint8ClampedArray([0, 5, 255])],
    ['Buffer', Buffer.from([0, 5, 255])],
    ['Int8Array', new Int8Array([0, 5, -128])],
    ['Int16Array', new Int16Array([0, 5, -32768])],
    ['Uint16Array', new Uint16Array([0, 5, 65535])],
    ['Int32Array', new Int32Array([0, 5, -(2 ** 31)])],
    ['Uint32Array', new Uint32Array([0, 5, 2 ** 31 - 1])],
    ['BigInt64Array', new BigInt64Array([0n, 5n, -(2n ** 31n)])],
    ['BigUint64Array', new BigUint64Array([0n, 5n, 2n ** 31n - 1n])],
  ];
  for (const [name, array] of integerArrays) {
    test(`${name} -> int32 with the same values`, () => {
      const t = lw.tensor(array);
      assert.equal(t.dtype, 'int32');
      assert.deepEqual(t.toArray(), Array.from(array as ArrayLike<number | bigint>, Number));
    });
  }

  test('a BigInt64Array of zeros stays zeros', () => {
    assert.deepEqual(lw.tensor(new BigInt64Array(4)).toArray(), [0, 0, 0, 0]);
  });

  test('values int32 cannot hold are refused, with the way out', () => {
    assert.equal(
      message(() => lw.tensor(new Uint32Array([1, 3e9]))),
      "tensor: argument 'values' holds 3000000000 at position 1, which int32 cannot hold (integers in [-2147483648, 2147483647]; NaN and ±Infinity have no int32 value): keep the values in float32 or float64, or clip them first",
    );
    assert.match(message(() => lw.tensor(new BigInt64Array([2n ** 40n]))), /holds 1099511627776n at position 0, which int32 cannot hold/);
    assert.deepEqual(lw.tensor(new Uint32Array([3e9]), { dtype: 'float64' }).toArray(), [3e9], 'a float dtype holds them');
  });

  test('Float64Array makes float32 unless float64 is asked for (as TensorFlow.js)', () => {
    const t = lw.tensor(new Float64Array([0.1, 2]));
    assert.equal(t.dtype, 'float32');
    assert.equal(t.data()[0], Math.fround(0.1));
    assert.equal(lw.tensor(new Float64Array([0.1]), { dtype: 'float64' }).data()[0], 0.1);
    assert.equal(lw.tensor(new Float32Array([1.5])).dtype, 'float32');
  });

  test('nested arrays of typed arrays (one Uint8ClampedArray per image)', () => {
    const t = lw.tensor([new Uint8ClampedArray([1, 200]), new Uint8ClampedArray([3, 255])]);
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(t.toArray(), [[1, 200], [3, 255]]);
    assert.match(message(() => lw.tensor([new Uint8Array(2), new Uint8Array(3)])), /not rectangular: expected an array of length 2 at \[1\], received Uint8Array of length 3/);
  });

  test('an explicit dtype converts: bool is "not zero", int32 truncates toward zero', () => {
    assert.deepEqual(lw.tensor(new Uint8Array([0, 7]), { dtype: 'bool' }).toArray(), [false, true]);
    assert.deepEqual(lw.tensor([1.9, -1.9], { dtype: 'int32' }).toArray(), [1, -1]);
    assert.deepEqual(lw.tensor(new Uint8Array([0, 255]), { dtype: 'float32' }).toArray(), [0, 255]);
  });

  test('toCategorical of Uint8Array labels', () => {
    const y = lw.toCategorical(new Uint8Array([0, 3, 9]));
    assert.deepEqual(y.shape, [3, 10]);
    assert.deepEqual(y.argmax(-1).toArray(), [0, 3, 9]);
  });

  test('IDX pixels keep 0..255 as a tensor', () => {
    // A 2x2 uint8 IDX file: magic 0x00000803, dimensions 1, 2, 2, then the bytes.
    const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 128, 254, 255]);
    const idx = lw.parseIdx(bytes.buffer, 'pixels');
    const t = lw.tensor(idx.data, idx.shape);
    assert.deepEqual(t.toArray(), [[[0, 128], [254, 255]]]);
    assert.equal(t.div(255).max().item(), 1);
  });
});

describe('reductions compute in a type that holds the result', () => {
  test('sum of bool counts (int32) and mean is a float32 fraction: no wrap at 256', () => {
    const same = lw.equal(lw.zeros([1000]), lw.zeros([1000]));
    assert.equal(same.dtype, 'bool');
    assert.equal(same.sum().dtype, 'int32');
    assert.equal(same.sum().item(), 1000);
    assert.equal(same.mean().dtype, 'float32');
    assert.equal(same.mean().item(), 1);
  });

  test('the hand-written accuracy idiom', () => {
    // 316 of 1,000 predictions right.
    const truth = lw.tensor(Int32Array.from({ length: 1000 }, (_, i) => i % 10));
    const predicted = lw.tensor(Int32Array.from({ length: 1000 }, (_, i) => (i < 316 ? i % 10 : (i + 1) % 10)));
    assert.ok(Math.abs(lw.equal(truth, predicted).mean().item() - 0.316) < 1e-7);
  });

  test('sums over axes, prod, and int32 sums that overflow', () => {
    const flags = lw.greater(lw.ones([300, 2]), 0);
    assert.deepEqual(flags.sum(0).toArray(), [300, 300]);
    assert.deepEqual(flags.mean(0, { keepDims: true }).toArray(), [[1, 1]]);
    assert.equal(lw.prod(lw.tensor([true, true])).item(), 1);
    assert.equal(lw.prod(lw.tensor([true, true])).dtype, 'int32');
    assert.equal(lw.tensor(new Int32Array([2 ** 30, 2 ** 30, 5])).mean().item(), Math.fround((2 ** 31 + 5) / 3), 'an exact float64 sum first');
    assert.match(message(() => lw.tensor(new Int32Array([2 ** 30, 2 ** 30])).sum()), /sum: the sum of int32 values is 2147483648, beyond int32 .*: cast x to float32 or float64 first/);
    assert.equal(lw.cast(lw.tensor(new Int32Array([2 ** 30, 2 ** 30])), 'float32').sum().item(), 2 ** 31);
  });
});

describe("TensorFlow.js's positional form", () => {
  test('tensor(values, shape) and tensor(values, shape, dtype)', () => {
    assert.deepEqual(lw.tensor([1, 2, 3, 4, 5, 6], [2, 3]).shape, [2, 3]);
    const t = lw.tensor([1, 2, 3, 4], [2, 2], 'int32');
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(t.toArray(), [[1, 2], [3, 4]]);
    assert.deepEqual(lw.tensor(new Float32Array(6), [3, 2]).shape, [3, 2]);
    assert.match(message(() => lw.tensor([1, 2, 3], [2, 2])), /argument 'shape' \[2, 2\] does not match the 3 values given/);
    assert.match(message(() => lw.tensor([1, 2], 'int32' as never)), /a dtype goes third/);
    assert.equal(lw.tensor([1, 2], undefined, 'int32').dtype, 'int32');
    assert.match(message(() => lw.tensor([1, 2], {} as never, 'int32')), /argument 'dtype' goes third only after a shape \(tensor\(values, shape, dtype\)\)/);
  });
});

describe('int32 conversion refuses what int32 cannot hold', () => {
  test('3e9 and NaN are refused, not wrapped or zeroed', () => {
    assert.match(message(() => lw.tensor([1, 3e9], { dtype: 'int32' })), /holds 3000000000 at position 1, which int32 cannot hold/);
    assert.match(message(() => lw.tensor([NaN], { dtype: 'int32' })), /holds NaN at position 0, which int32 cannot hold/);
    assert.match(message(() => lw.cast(lw.tensor([1, NaN]), 'int32')), /^cast: argument 'x' holds NaN at position 1, which int32 cannot hold/);
    assert.match(message(() => lw.cast(lw.tensor([-3e9]), 'int32')), /holds -3000000000 at position 0/);
    assert.match(message(() => lw.fill([2], Infinity, { dtype: 'int32' })), /fill: argument 'value' is Infinity, which int32 cannot hold/);
    assert.deepEqual(lw.cast(lw.tensor([2.7, -2.7, 2 ** 31 - 1], { dtype: 'float64' }), 'int32').toArray(), [2, -2, 2 ** 31 - 1]);
    assert.match(message(() => lw.cast(lw.tensor([2 ** 31 - 1]), 'int32')), /holds 2147483648/, 'float32 rounds 2^31 - 1 up to 2^31');
  });
});

describe('clear errors instead of obscure ones', () => {
  test('tensor(DataView)', () => {
    assert.match(message(() => lw.tensor(new DataView(new ArrayBuffer(8)) as never)), /^tensor: argument 'values' expected a number, boolean, nested array or typed array, received a DataView of 8 bytes: a DataView has no element type/);
  });
  test("cast(x, 'string')", () => {
    assert.equal(message(() => lw.cast(lw.ones([6]), 'string' as never)), 'cast: argument \'dtype\' expected one of "float32", "float64", "int32", "bool", received "string"');
  });
  test('zeros(["2", 3]) shows the string as a string', () => {
    assert.match(message(() => lw.zeros(['2', 3] as never)), /received \["2", 3\] \(array of length 2\): element 0 is "2", not a non-negative integer/);
  });
});

describe('scores that say nothing are refused', () => {
  test('top-k accuracy with k above the class count', () => {
    assert.equal(
      message(() => lw.metrics.topKAccuracyScore([0, 1], [[0.1, 0.9], [0.2, 0.8]], { k: 5 })),
      "topKAccuracyScore: option 'k' expected at most the number of classes (2), received 5: with more than 2 guesses every sample counts as a hit, so the score would be 1 whatever the model",
    );
    const metric = new lw.metrics.SparseTopKCategoricalAccuracy();
    assert.match(message(() => metric.update(lw.tensor([0, 1]), lw.tensor([[0.1, 0.9], [0.2, 0.8]]))), /SparseTopKCategoricalAccuracy: option 'k' expected at most the number of classes \(2\), received 5/);
  });
  test('sparse categorical cross-entropy with a label outside the classes', () => {
    assert.equal(
      message(() => lw.losses.sparseCategoricalCrossentropy(lw.tensor([0, 3]), lw.tensor([[0.5, 0.5, 0], [0.2, 0.3, 0.5]]))),
      "sparseCategoricalCrossentropy: argument 'yTrue' expected class indices in [0, 2] (the predictions have 3 classes), received 3 at position 1",
    );
  });
});

describe('options the library does not know are refused, naming them', () => {
  const cases: [string, () => unknown, string][] = [
    ['tensor', () => lw.tensor([1], { dtpye: 'int32' } as never), "tensor: unknown option 'dtpye' (did you mean 'dtype'?); known options: shape, dtype"],
    ['fill', () => lw.fill([2], 1, { type: 'int32' } as never), "fill: unknown option 'type' (did you mean 'dtype'?); known options: dtype"],
    ['fill with a dtype string', () => lw.fill([2], 1, 'int32' as never), 'fill: argument \'options\' expected an options object { dtype }, received "int32"'],
    ['range', () => lw.range(0, 10, 2 as never), "range: argument 'options' expected an options object { step, dtype }, received 2"],
    ['range step', () => lw.range(0, 10, { step: 0 }), "range: option 'step' expected a non-zero finite number, received 0"],
    ['eye', () => lw.eye(3, { columns: 4 } as never), "eye: unknown option 'columns'; known options: m, dtype"],
    ['randomNormal', () => lw.randomNormal([2], { stdDev: 2 } as never), "randomNormal: unknown option 'stdDev' (did you mean 'stddev'?); known options: mean, stddev, dtype"],
    ['randomUniform', () => lw.randomUniform([2], { min: 0 } as never), "randomUniform: unknown option 'min'; known options: minval, maxval, dtype"],
    ['metric function', () => lw.metrics.f1Score([0, 1], [0, 1], { averag: 'macro' } as never), "f1Score: unknown option 'averag' (did you mean 'average'?); known options: average, positiveLabel, zeroDivision, labels"],
    ['metric class', () => new lw.metrics.Precision({ treshold: 0.3 } as never), "Precision: unknown option 'treshold' (did you mean 'threshold'?); known options: name, threshold, average"],
    ['AUC', () => new lw.metrics.AUC({ curve: 'roc' as never }), 'AUC: option \'curve\' expected one of "ROC", "PR", received "roc": did you mean "ROC"?'],
    ['loss class', () => new lw.losses.CategoricalCrossentropy({ from_logits: true } as never), "CategoricalCrossentropy: unknown option 'from_logits' (did you mean 'fromLogits'?); known options: fromLogits, labelSmoothing"],
    ['loss option value', () => new lw.losses.BinaryCrossentropy({ fromLogits: 'yes' as never }), 'BinaryCrossentropy: option \'fromLogits\' expected a boolean (true or false), received "yes"'],
    ['padSequences padding', () => lw.padSequences([[1]], { padding: 'middle' as never }), 'padSequences: option \'padding\' expected one of "pre", "post", received "middle"'],
    ['padSequences value', () => lw.padSequences([[1]], { value: 0.5 }), "padSequences: option 'value' expected an integer in [-2147483648, 2147483647], received 0.5"],
    ['TextVectorizer', () => new lw.TextVectorizer({ outputSequenceLength: -1 }), "TextVectorizer: option 'outputSequenceLength' expected a positive integer, received -1"],
    ['StandardScaler', () => new lw.StandardScaler({ withMean: false } as never), "StandardScaler: unknown option 'withMean'; known options: none"],
    ['Imputer', () => new lw.Imputer({ strategy: 'median', fill_value: 1 } as never), "Imputer: unknown option 'fill_value' (did you mean 'fillValue'?); known options: strategy, fillValue, addIndicator"],
    ['MinMaxScaler', () => new lw.MinMaxScaler({ featureRange: [1, 0] }), "MinMaxScaler: option 'featureRange' expected [low, high] with low < high (finite numbers), received [1, 0] (array of length 2)"],
    ['SelectFeatures', () => new lw.SelectFeatures({ keep: [0], drop: [1] } as never), "SelectFeatures: expected exactly one of the options 'keep' and 'drop' (feature indices), received an object with keys keep, drop"],
    ['sum with a positional keepDims', () => lw.sum(lw.ones([2, 2]), 1, true as never), "sum: argument 'options' expected an options object { keepDims }, received true"],
    ['mean keepdims', () => lw.mean(lw.ones([2, 2]), 1, { keepdims: true } as never), "mean: unknown option 'keepdims' (did you mean 'keepDims'?); known options: keepDims"],
    ['Variable', () => new lw.Variable(lw.ones([2]), { trainabel: false } as never), "Variable: unknown option 'trainabel' (did you mean 'trainable'?); known options: trainable, name"],
    ['Variable from a non-tensor', () => new lw.Variable('w' as never), 'Variable: argument \'initial\' expected a Tensor, number, (nested) array or typed array, received "w"'],
    ['toCategorical', () => lw.toCategorical([0, 1], 1.5), "toCategorical: argument 'numClasses' expected a positive integer, received 1.5"],
  ];
  for (const [name, call, expected] of cases) {
    test(name, () => assert.equal(message(call), expected));
  }
});
