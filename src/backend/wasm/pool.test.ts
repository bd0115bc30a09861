import { before, describe, test } from 'node:test';
import { poolGeometry, type Padding } from '../../util/conv-geometry.js';
import { Rng } from '../../util/random.js';
import { referenceKernels as ref } from '../reference/index.js';
import { assertClose, eachSetting, garbage, placed, sizeOf, skip, uniform, wasmKernel, workersReady } from './testing.js';

interface Case {
  x: [number, number, number, number];
  window: [number, number];
  strides?: [number, number];
  padding: Padding;
}

const CASES: Case[] = [
  { x: [2, 26, 26, 32], window: [2, 2], padding: 'valid' },
  { x: [2, 11, 11, 64], window: [2, 2], padding: 'valid' },
  { x: [3, 7, 9, 5], window: [3, 3], strides: [2, 2], padding: 'same' },
  { x: [2, 8, 8, 3], window: [3, 3], strides: [1, 1], padding: 'same' },
  { x: [1, 9, 10, 6], window: [2, 3], strides: [2, 1], padding: 'valid' },
  { x: [2, 5, 5, 1], window: [5, 5], padding: 'valid' },
  { x: [0, 4, 4, 4], window: [2, 2], padding: 'valid' },
];

const label = (c: Case) => `x [${c.x}] window ${c.window} strides ${c.strides ?? c.window} ${c.padding}`;

/** Inputs with ties (values on a coarse grid), so "the first maximum" is exercised. */
function withTies(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.floor(rng.uniform(0, 4));
  return a;
}

describe('wasm pooling matches the reference', { skip }, () => {
  before(workersReady);

  test('max and average pooling', () => {
    const rng = new Rng(30);
    eachSetting(({ name, backend }) => {
      for (const c of CASES) {
        const p = poolGeometry('test', c.x, c.window, c.strides ?? c.window, c.padding);
        const x = uniform(rng, sizeOf(c.x));
        for (const kernel of ['maxPool2d', 'avgPool2d'] as const) {
          const expected = new Float32Array(p.batch * p.outH * p.outW * p.channels);
          ref[kernel](x, expected, p);
          const out = garbage(backend, expected.length);
          wasmKernel(backend, kernel)(placed(backend, x), out, p);
          assertClose(out, expected, `${name}: ${kernel} ${label(c)}`);
        }
      }
    });
  });

  test('gradients, with ties going to the first maximum', () => {
    const rng = new Rng(31);
    eachSetting(({ name, backend }) => {
      for (const c of CASES) {
        const p = poolGeometry('test', c.x, c.window, c.strides ?? c.window, c.padding);
        const x = withTies(rng, sizeOf(c.x)), dy = uniform(rng, p.batch * p.outH * p.outW * p.channels);
        const expectedMax = new Float32Array(x.length), expectedAvg = new Float32Array(x.length);
        ref.maxPool2dGrad(x, dy, expectedMax, p);
        ref.avgPool2dGrad(dy, expectedAvg, p);
        const dxMax = garbage(backend, x.length), dxAvg = garbage(backend, x.length);
        wasmKernel(backend, 'maxPool2dGrad')(placed(backend, x), placed(backend, dy), dxMax, p);
        wasmKernel(backend, 'avgPool2dGrad')(placed(backend, dy), dxAvg, p);
        assertClose(dxMax, expectedMax, `${name}: maxPool2dGrad ${label(c)}`);
        assertClose(dxAvg, expectedAvg, `${name}: avgPool2dGrad ${label(c)}`);
      }
    });
  });
});
