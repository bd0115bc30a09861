// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/**
 * Bad input gets an error naming the op, the argument, what was expected and what was received. Each case
 * pins the whole message, so this file doubles as a catalogue of what users see.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as lw from '../src/index.js';

const cases: [string, () => unknown, string][] = [
  ['mismatched shapes', () => lw.add(lw.ones([2, 3]), lw.ones([4, 3])), 'ShapeError: add: shapes [2, 3] and [4, 3] cannot be broadcast together (dimension 0 of the result: 2 vs 4)'],
  ['matmul inner dimensions', () => lw.matmul(lw.ones([2, 3]), lw.ones([4, 5])), 'ShapeError: matmul: inner dimensions differ: a [2, 3] has 3 columns but b [4, 5] has 4 rows'],
  ['matmul rank', () => lw.matmul(lw.ones([3]), lw.ones([3, 2])), "ShapeError: matmul: argument 'a' expected rank >= 2, received shape [3]"],
  ['conv2d rank', () => lw.conv2d(lw.ones([28, 28, 1]), lw.ones([3, 3, 1, 8])), "ShapeError: conv2d: argument 'x' expected rank 4 [batch, height, width, channels], received shape [28, 28, 1]"],
  ['conv2d channels', () => lw.conv2d(lw.ones([1, 8, 8, 3]), lw.ones([3, 3, 1, 8])), "ShapeError: conv2d: argument 'filter' expected 3 input channels (dimension 2) to match x's last dimension, received shape [3, 3, 1, 8]"],
  ['conv2d padding', () => lw.conv2d(lw.ones([1, 8, 8, 1]), lw.ones([3, 3, 1, 8]), { padding: 'full' as never }), 'ValueError: conv2d: argument \'padding\' expected "valid" or "same", received "full"'],
  ['conv2d strides', () => lw.conv2d(lw.ones([1, 8, 8, 1]), lw.ones([3, 3, 1, 8]), { strides: 1.5 }), "ValueError: conv2d: argument 'strides' expected a positive integer or a pair of positive integers, received 1.5"],
  ['pool window too big', () => lw.maxPool2d(lw.ones([1, 2, 2, 1]), { poolSize: 3 }), 'ShapeError: maxPool2d: the 3x3 pool window does not fit in the 2x2 input with padding "valid"'],
  ['invalid axis', () => lw.sum(lw.ones([2, 3]), 2), "ShapeError: sum: argument 'axes' expected an integer in [-2, 1], received 2"],
  ['softmax axis', () => lw.softmax(lw.ones([2, 3]), -3), "ShapeError: softmax: argument 'axis' expected an integer in [-2, 1], received -3"],
  ['non-integer reshape', () => lw.reshape(lw.ones([4]), [2.5, 2]), "ValueError: reshape: argument 'shape' expected non-negative integers (and at most one -1), received [2.5, 2]"],
  // A hole of a sparse array is not a dimension either.
  ['sparse reshape', () => lw.reshape(lw.ones([0]), [, 2] as number[]), "ValueError: reshape: argument 'shape' expected non-negative integers (and at most one -1), received [, 2] (array of length 2)"],
  ['huge label', () => lw.toCategorical([2 ** 31]), "ValueError: toCategorical: argument 'labels' holds 2147483648, beyond the largest class index an int32 holds (2147483647)"],
  ['reshape size', () => lw.reshape(lw.ones([4]), [3, 2]), "ShapeError: reshape: argument 'shape' [3, 2] (size 6) does not match the input's shape [4] (size 4)"],
  ['non-integer size', () => lw.zeros([2, 1.5]), "ValueError: zeros: argument 'shape' expected a shape (an array of non-negative integers), received [2, 1.5] (array of length 2): element 1 is 1.5, not a non-negative integer"],
  ['transpose perm', () => lw.transpose(lw.ones([2, 3]), [0, 0]), "ShapeError: transpose: argument 'perm' expected a permutation of [0, …, 1], received [0, 0] (array of length 2)"],
  ['gather out of range', () => lw.gather(lw.ones([3, 2]), [0, 3]), "ShapeError: gather: argument 'indices' expected values in [0, 2], received 3 at position 1"],
  ['wrong argument type', () => lw.add(lw.ones([2]), 'two' as never), "ValueError: add: argument 'b' expected a Tensor, number, (nested) array or typed array, received \"two\""],
  ['dropout rate', () => lw.dropout(lw.ones([2]), 1), "ValueError: dropout: argument 'rate' expected a number in [0, 1), received 1"],
  ['clip bounds', () => lw.clip(lw.ones([2]), 1, 0), 'ValueError: clip: expected low <= high, received low 1 and high 0'],
  ['slice bounds', () => lw.slice(lw.ones([2, 3]), [1, 1], [2, 1]), "ShapeError: slice: argument 'size' expected 2 sizes with begin + size within shape [2, 3], received begin [1, 1] and size [2, 1] (array of length 2)"],
  ['grad of a non-scalar', () => lw.grad((x) => x.mul(2))(lw.ones([3])), 'ValueError: valueAndGrad: the function must return a scalar (one element) to differentiate, received shape [3]'],
  ['unknown backend', () => lw.setBackend('gpu' as never), 'ValueError: setBackend: argument \'name\' expected one of native, wasm, webgpu, reference, received "gpu"'],
  ['bad seed', () => lw.setSeed(Number.NaN), "ValueError: setSeed: argument 'seed' expected a finite number, received NaN"],
];

describe('errors name the op, the argument, the expectation and what was received', () => {
  for (const [name, call, message] of cases) {
    test(name, () => {
      assert.throws(call, (e: unknown) => {
        assert.ok(e instanceof lw.LayerwiseError, `a LayerwiseError, not ${String(e)}`);
        assert.equal(`${e.name}: ${e.message}`, message);
        return true;
      });
    });
  }
});

describe('checkNumerics', () => {
  test('off by default: NaN flows through silently', () => {
    assert.ok(Number.isNaN(lw.log(lw.tensor([-1])).item()));
  });
  test('on request, the first op producing NaN or Infinity throws, naming itself and the input value', () => {
    lw.configure({ checkNumerics: true });
    try {
      assert.throws(() => lw.log(lw.tensor([1, -1])), { name: 'NumericsError', message: 'log: produced NaN at index 1 of its output (shape [2]); at that index input 0 holds -1' });
      assert.throws(() => lw.div(lw.tensor([1, 2]), 0), { name: 'NumericsError', message: 'div: produced Infinity at index 0 of its output (shape [2]); at that index input 0 holds 1, input 1 is 0' });
      assert.doesNotThrow(() => lw.exp(lw.tensor([1, 2])));
    } finally {
      lw.configure({ checkNumerics: false });
    }
  });
});
