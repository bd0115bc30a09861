import { describe, test } from 'node:test';
import { poolGeometry, type Padding } from '../../util/conv-geometry.js';
import { Rng } from '../../util/random.js';
import { referenceKernels as ref } from '../reference/index.js';
import { assertClose, eachSetting, nativeKernel, skip, uniform } from './testing.js';

interface Case {
  x: [number, number, number, number];
  window: [number, number];
  strides: [number, number];
  padding: Padding;
}

const CASES: Case[] = [
  { x: [2, 26, 26, 32], window: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [2, 11, 11, 64], window: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [3, 9, 8, 5], window: [3, 3], strides: [1, 1], padding: 'same' },
  { x: [2, 9, 10, 17], window: [3, 3], strides: [2, 2], padding: 'same' },
  { x: [1, 7, 7, 1], window: [2, 2], strides: [1, 1], padding: 'valid' },
  { x: [2, 6, 9, 33], window: [3, 2], strides: [2, 3], padding: 'same' },
  { x: [0, 4, 4, 3], window: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [32, 26, 26, 32], window: [2, 2], strides: [2, 2], padding: 'valid' },
];

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

/** Values on a coarse grid, so windows often hold ties (the gradient must go to the first maximum). */
function coarse(rng: Rng, n: number): Float32Array {
  const a = uniform(rng, n);
  for (let i = 0; i < n; i++) a[i] = Math.round(a[i]! * 3) / 3;
  return a;
}

describe('native pooling matches the reference', { skip }, () => {
  test('maxPool2d and avgPool2d', () => {
    const rng = new Rng(30);
    for (const c of CASES) {
      const g = poolGeometry('test', c.x, c.window, c.strides, c.padding);
      const x = uniform(rng, size(c.x));
      for (const kernel of ['maxPool2d', 'avgPool2d'] as const) {
        const expected = new Float32Array(g.batch * g.outH * g.outW * g.channels);
        ref[kernel](x, expected, g);
        eachSetting((s) => {
          const out = new Float32Array(expected.length).fill(NaN);
          nativeKernel(kernel)(x, out, g);
          assertClose(out, expected, `${kernel} [${c.x}] window ${c.window} strides ${c.strides} ${c.padding} (${s})`, { rtol: 1e-6, atol: 1e-7 });
        });
      }
    }
  });

  test('maxPool2dGrad (with ties) and avgPool2dGrad', () => {
    const rng = new Rng(31);
    for (const c of CASES) {
      const g = poolGeometry('test', c.x, c.window, c.strides, c.padding);
      const x = coarse(rng, size(c.x));
      const dy = uniform(rng, g.batch * g.outH * g.outW * g.channels);
      const expectedMax = new Float32Array(size(c.x));
      const expectedAvg = new Float32Array(size(c.x));
      ref.maxPool2dGrad(x, dy, expectedMax, g);
      ref.avgPool2dGrad(dy, expectedAvg, g);
      eachSetting((s) => {
        const label = `[${c.x}] window ${c.window} strides ${c.strides} ${c.padding} (${s})`;
        const dx = new Float32Array(size(c.x)).fill(NaN);
        nativeKernel('maxPool2dGrad')(x, dy, dx, g);
        assertClose(dx, expectedMax, `maxPool2dGrad ${label}`, { rtol: 1e-6, atol: 1e-7 });
        dx.fill(NaN);
        nativeKernel('avgPool2dGrad')(dy, dx, g);
        assertClose(dx, expectedAvg, `avgPool2dGrad ${label}`, { rtol: 1e-6, atol: 1e-7 });
      });
    }
  });

  test('maxPool2d propagates NaN', () => {
    const x = new Float32Array([1, NaN, 3, 4, 5, 6, 7, NaN]);
    const g = poolGeometry('test', [1, 2, 4, 1], [2, 2], [2, 2], 'valid');
    const expected = new Float32Array(2);
    ref.maxPool2d(x, expected, g);
    eachSetting((s) => {
      const out = new Float32Array(2);
      nativeKernel('maxPool2d')(x, out, g);
      assertClose(out, expected, `maxPool2d NaN (${s})`, { rtol: 0, atol: 0 });
    });
  });
});
