import { describe, test } from 'node:test';
import { Rng } from '../../util/random.js';
import { referenceKernels as ref } from '../reference/index.js';
import { assertClose, eachSetting, nativeKernel, skip, uniform } from './testing.js';

const SIZES = [0, 1, 17, 1000, 600_000];

/** Copies of the initial state, so the reference and every native run start alike. */
function copies(arrays: (Float32Array | null)[]): (Float32Array | null)[] {
  return arrays.map((a) => (a === null ? null : a.slice()));
}

/**
 * Runs one update on the reference and on the native backend from the same state and compares every
 * array the update writes (parameter and slots). `run` gets the state in the order of `state`.
 */
function checkUpdate(
  label: string,
  state: (Float32Array | null)[],
  reference: (s: (Float32Array | null)[]) => void,
  native: (s: (Float32Array | null)[]) => void,
): void {
  const expected = copies(state);
  reference(expected);
  eachSetting((setting) => {
    const actual = copies(state);
    native(actual);
    actual.forEach((a, i) => {
      // Values are of order 1; the reference keeps its intermediates in float64, the kernels in float32.
      if (a !== null) assertClose(a, expected[i]!, `${label} array ${i} (${setting})`, { rtol: 1e-5, atol: 2e-6 });
    });
  });
}

describe('native optimizer updates match the reference', { skip }, () => {
  test('sgd: plain, momentum, nesterov', () => {
    const rng = new Rng(40);
    for (const n of SIZES) {
      for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
        const state = [uniform(rng, n), uniform(rng, n), momentum === 0 ? null : uniform(rng, n)];
        checkUpdate(
          `sgd n=${n} momentum=${momentum} nesterov=${nesterov}`,
          state,
          ([p, g, v]) => ref.sgdUpdate(p!, g!, v!, 0.1, momentum, nesterov),
          ([p, g, v]) => nativeKernel('sgdUpdate')(p!, g!, v!, 0.1, momentum, nesterov),
        );
      }
    }
  });

  test('rmsprop: plain, momentum, centered', () => {
    const rng = new Rng(41);
    for (const n of SIZES) {
      for (const [withMomentum, centered] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const ms = uniform(rng, n, 0.5, 1);
        const mg = centered ? uniform(rng, n, -0.1, 0.1) : null;
        const state = [uniform(rng, n), uniform(rng, n), ms, withMomentum ? uniform(rng, n) : null, mg];
        checkUpdate(
          `rmsprop n=${n} momentum=${withMomentum} centered=${centered}`,
          state,
          ([p, g, s, m, c]) => ref.rmspropUpdate(p!, g!, s!, m!, c!, 0.001, 0.9, 0.5, 1e-7),
          ([p, g, s, m, c]) => nativeKernel('rmspropUpdate')(p!, g!, s!, m!, c!, 0.001, 0.9, 0.5, 1e-7),
        );
      }
    }
  });

  test('adam, with and without amsgrad', () => {
    const rng = new Rng(42);
    for (const n of SIZES) {
      for (const amsgrad of [false, true]) {
        const state = [uniform(rng, n), uniform(rng, n), uniform(rng, n), uniform(rng, n, 0.01, 1), amsgrad ? uniform(rng, n, 0.01, 1) : null];
        checkUpdate(
          `adam n=${n} amsgrad=${amsgrad}`,
          state,
          ([p, g, m, v, vm]) => ref.adamUpdate(p!, g!, m!, v!, vm!, 0.01, 0.9, 0.999, 1e-7),
          ([p, g, m, v, vm]) => nativeKernel('adamUpdate')(p!, g!, m!, v!, vm!, 0.01, 0.9, 0.999, 1e-7),
        );
      }
    }
  });

  test('adagrad and scaleInPlace', () => {
    const rng = new Rng(43);
    for (const n of SIZES) {
      checkUpdate(
        `adagrad n=${n}`,
        [uniform(rng, n), uniform(rng, n), uniform(rng, n, 0.1, 1)],
        ([p, g, a]) => ref.adagradUpdate(p!, g!, a!, 0.01, 1e-7),
        ([p, g, a]) => nativeKernel('adagradUpdate')(p!, g!, a!, 0.01, 1e-7),
      );
      checkUpdate(
        `scaleInPlace n=${n}`,
        [uniform(rng, n)],
        ([p]) => ref.scaleInPlace(p!, 0.999),
        ([p]) => nativeKernel('scaleInPlace')(p!, 0.999),
      );
    }
  });
});
