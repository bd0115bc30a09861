import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SpecFor } from './checks.js';
import { Check, checkArg, checkOption, closest, fail, is, optionsSpec } from './checks.js';
import type { DType } from './dtype.js';
import { ValueError } from './errors.js';

/** The message a call throws (a ValueError), or the value it returned. */
function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    assert.ok(e instanceof ValueError, `a ValueError, not ${String(e)}`);
    return e.message;
  }
}

describe('the vocabulary: each check accepts what it names and says what it received', () => {
  const cases: [string, Check<unknown>, unknown, unknown][] = [
    ['positive integer', is.positiveInteger, 3, 3],
    ['positive integer', is.positiveInteger, 1.5, "f: argument 'v' expected a positive integer, received 1.5"],
    ['positive integer', is.positiveInteger, 0, "f: argument 'v' expected a positive integer, received 0"],
    ['positive integer', is.positiveInteger, '3', 'f: argument \'v\' expected a positive integer, received "3"'],
    ['non-negative integer', is.nonNegativeInteger, 0, 0],
    ['non-negative integer', is.nonNegativeInteger, -1, "f: argument 'v' expected a non-negative integer, received -1"],
    ['integer beyond 2^53', is.integer, 2 ** 60, "f: argument 'v' expected an integer, received 1152921504606847000"],
    ['finite', is.finite, Infinity, "f: argument 'v' expected a finite number, received Infinity"],
    ['finite', is.finite, NaN, "f: argument 'v' expected a finite number, received NaN"],
    ['any number', is.number, NaN, NaN],
    ['positive', is.positive, 0, "f: argument 'v' expected a positive number, received 0"],
    ['non-negative', is.nonNegative, 0, 0],
    ['half-open interval', is.numberIn(0, 1, '[)'), 1, "f: argument 'v' expected a number in [0, 1), received 1"],
    ['half-open interval', is.numberIn(0, 1, '[)'), 0, 0],
    ['open end', is.numberIn(0, Infinity, '(]'), Infinity, Infinity],
    ['open end', is.numberIn(0, Infinity, '()'), Infinity, "f: argument 'v' expected a number in (0, ∞), received Infinity"],
    ['integer range', is.integerIn(1, 3), 4, "f: argument 'v' expected an integer in [1, 3], received 4"],
    ['boolean', is.boolean, 'yes', 'f: argument \'v\' expected a boolean (true or false), received "yes"'],
    ['boolean', is.boolean, false, false],
    ['non-empty string', is.nonEmptyString, '', 'f: argument \'v\' expected a non-empty string, received ""'],
    ['function', is.func(), {}, "f: argument 'v' expected a function, received an empty object"],
    ['one of, with a suggestion', is.oneOf(['relu', 'tanh']), 'rleu', 'f: argument \'v\' expected one of "relu", "tanh", received "rleu": did you mean "relu"?'],
    ['one of, nothing close', is.oneOf(['relu', 'tanh']), 'softmax', 'f: argument \'v\' expected one of "relu", "tanh", received "softmax"'],
    ['dtype', is.dtype, 'string', 'f: argument \'v\' expected one of "float32", "float64", "int32", "bool", received "string"'],
    ['shape shows strings as strings', is.shape, ['2', 3], 'f: argument \'v\' expected a shape (an array of non-negative integers), received ["2", 3] (array of length 2): element 0 is "2", not a non-negative integer'],
    ['shape', is.shape, 6, "f: argument 'v' expected a shape (an array of non-negative integers), received 6"],
    ['array of', is.arrayOf(is.finite, { length: 2 }), [1], "f: argument 'v' expected an array of length 2 (each element a finite number), received [1] (array of length 1): expected length 2"],
    ['plain object', is.plainObject, new Map(), "f: argument 'v' expected a plain object, received a Map"],
    ['instance of', is.instanceOf(Date), 1, "f: argument 'v' expected a Date, received 1"],
    ['or', is.positiveInteger.or(is.oneOf(['auto'])), 'auto', 'auto'],
    ['or', is.positiveInteger.or(is.oneOf(['auto'])), -2, 'f: argument \'v\' expected a positive integer or "auto", received -2'],
    ['where', is.finite.where((v) => v !== 0, 'a non-zero number'), 0, "f: argument 'v' expected a non-zero number, received 0"],
    ['where with a reason', is.arrayOf(is.finite).where((a) => a.length % 2 === 0 || 'an odd length'), [1], "f: argument 'v' expected an array (each element a finite number), received [1] (array of length 1): an odd length"],
    ['bigint is shown as such', is.finite, 5n, "f: argument 'v' expected a finite number, received 5n"],
  ];
  for (const [name, check, value, expected] of cases) {
    test(`${name}: ${String(value)}`, () => {
      const got = outcome(() => checkArg('f', 'v', value, check));
      if (typeof expected === 'number' && Number.isNaN(expected)) assert.ok(Number.isNaN(got));
      else assert.deepEqual(got, expected);
    });
  }

  test('optional and default: undefined passes, or reads as the default', () => {
    assert.equal(checkArg('f', 'v', undefined, is.positiveInteger.optional()), undefined);
    assert.equal(checkArg('f', 'v', undefined, is.positiveInteger.default(7)), 7);
    assert.equal(outcome(() => checkArg('f', 'v', undefined, is.positiveInteger)), "f: argument 'v' expected a positive integer, received undefined");
    assert.equal(outcome(() => checkOption('f', 'units', 1.5, is.positiveInteger)), "f: option 'units' expected a positive integer, received 1.5");
  });

  test('to converts, arrays are copies, custom checks fail with a detail', () => {
    const input = [2, 3];
    const shape = checkArg('f', 'shape', input, is.shape);
    assert.deepEqual(shape, [2, 3]);
    assert.notEqual(shape, input);
    assert.equal(checkArg('f', 'v', '12', is.string.to(Number)), 12);
    const even = new Check<number>('an even number', (v) => (typeof v === 'number' && v % 2 === 0 ? v : fail(typeof v === 'number' ? 'it is odd' : undefined)));
    assert.equal(outcome(() => checkArg('f', 'v', 3, even)), "f: argument 'v' expected an even number, received 3: it is odd");
  });

  test('closest: slips of spelling, case or snake_case, nothing for unrelated names', () => {
    assert.equal(closest('activaton', ['units', 'activation', 'useBias']), 'activation');
    assert.equal(closest('epoch', ['epochs', 'batchSize']), 'epochs');
    assert.equal(closest('batch_size', ['epochs', 'batchSize']), 'batchSize');
    assert.equal(closest('learningrate', ['learningRate']), 'learningRate');
    assert.equal(closest('xyz', ['epochs', 'batchSize']), undefined);
  });
});

describe('options specs', () => {
  interface DenseLike {
    units: number;
    activation?: 'relu' | 'linear';
    useBias?: boolean;
    dtype?: DType;
  }
  const SPEC = optionsSpec({
    units: is.positiveInteger,
    activation: is.oneOf(['relu', 'linear'] as const).optional(),
    useBias: is.boolean.default(true),
    dtype: is.dtype.default('float32'),
  } satisfies SpecFor<DenseLike>);

  test('returns every key, typed, with defaults filled in; undefined values count as absent', () => {
    const o = SPEC.parse('Dense', { units: 4, activation: undefined });
    assert.deepEqual(o, { units: 4, activation: undefined, useBias: true, dtype: 'float32' });
    const units: number = o.units, useBias: boolean = o.useBias;
    assert.equal(units + Number(useBias), 5);
    assert.deepEqual(SPEC.keys, ['units', 'activation', 'useBias', 'dtype']);
  });

  test('an unknown key throws, naming it, the closest known key and all of them', () => {
    assert.equal(
      outcome(() => SPEC.parse('Dense', { units: 10, activaton: 'relu' })),
      "Dense: unknown option 'activaton' (did you mean 'activation'?); known options: units, activation, useBias, dtype",
    );
    assert.equal(outcome(() => SPEC.parse('Dense', { units: 10, kernel: 1 })), "Dense: unknown option 'kernel'; known options: units, activation, useBias, dtype");
  });

  test('a bad value names the option; a missing required one reads as undefined', () => {
    assert.equal(outcome(() => SPEC.parse('Dense', { units: 1.5 })), "Dense: option 'units' expected a positive integer, received 1.5");
    assert.equal(outcome(() => SPEC.parse('Dense', {})), "Dense: option 'units' expected a positive integer, received undefined");
    assert.equal(outcome(() => SPEC.parse('Dense', { units: 2, useBias: 'yes' })), 'Dense: option \'useBias\' expected a boolean (true or false), received "yes"');
  });

  test('options that are not a plain object are refused, naming what the object holds', () => {
    assert.equal(outcome(() => SPEC.parse('Dense', 10)), "Dense: argument 'options' expected an options object { units, activation, useBias, dtype }, received 10");
    assert.equal(outcome(() => SPEC.parse('Dense', [10], 'config')), "Dense: argument 'config' expected an options object { units, activation, useBias, dtype }, received [10] (array of length 1)");
    assert.equal(outcome(() => optionsSpec({}).parse('StandardScaler', { withMean: false })), "StandardScaler: unknown option 'withMean'; known options: none");
  });

  test('nested options name the path', () => {
    const OUTER = optionsSpec({ folds: is.integerIn(2, 100).default(5), fit: is.options({ epochs: is.positiveInteger.default(1), shuffle: is.boolean.default(true) }) });
    assert.deepEqual(OUTER.parse('crossValidate', {}), { folds: 5, fit: { epochs: 1, shuffle: true } });
    assert.equal(outcome(() => OUTER.parse('crossValidate', { fit: { epoch: 3 } })), "crossValidate: option 'fit' has an unknown key 'epoch' (did you mean 'epochs'?); known keys: epochs, shuffle");
    assert.equal(outcome(() => OUTER.parse('crossValidate', { fit: { shuffle: 'yes' } })), 'crossValidate: option \'fit.shuffle\' expected a boolean (true or false), received "yes"');
    assert.equal(outcome(() => OUTER.parse('crossValidate', { fit: 3 })), "crossValidate: option 'fit' expected an options object { epochs, shuffle }, received 3");
  });
});
