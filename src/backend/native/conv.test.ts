import { describe, test } from 'node:test';
import { convGeometry, type ConvInfo, type Padding } from '../../util/conv-geometry.js';
import { Rng } from '../../util/random.js';
import type { Epilogue } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import { assertClose, eachSetting, nativeKernel, skip, uniform } from './testing.js';

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides?: [number, number];
  padding: Padding;
  dilations?: [number, number];
}

const CASES: Case[] = [
  // The seed convnet's three layers (smaller batch).
  { x: [2, 28, 28, 1], filter: [3, 3, 1, 32], padding: 'valid' },
  { x: [2, 13, 13, 32], filter: [3, 3, 32, 64], padding: 'valid' },
  { x: [2, 5, 5, 64], filter: [3, 3, 64, 64], padding: 'valid' },
  { x: [3, 9, 11, 5], filter: [3, 3, 5, 7], padding: 'same' },
  { x: [2, 10, 9, 3], filter: [3, 3, 3, 17], strides: [2, 2], padding: 'same' },
  { x: [2, 10, 9, 17], filter: [3, 3, 17, 33], strides: [2, 2], padding: 'valid' },
  { x: [1, 8, 8, 4], filter: [2, 2, 4, 6], padding: 'same' },
  { x: [2, 7, 6, 20], filter: [1, 1, 20, 9], padding: 'valid' },
  { x: [1, 12, 12, 6], filter: [5, 5, 6, 8], padding: 'same', dilations: [2, 2] },
  { x: [2, 11, 13, 2], filter: [3, 2, 2, 5], strides: [2, 1], padding: 'same', dilations: [1, 2] },
  { x: [1, 6, 7, 1], filter: [3, 3, 1, 1], strides: [1, 3], padding: 'valid' },
  { x: [2, 5, 5, 16], filter: [5, 5, 16, 16], padding: 'same' },
  { x: [0, 6, 6, 3], filter: [3, 3, 3, 4], padding: 'same' },
  // An image whose patch matrix spans several column chunks of the input gradient.
  { x: [2, 40, 40, 16], filter: [3, 3, 16, 8], padding: 'same' },
  // Big enough to be split across threads.
  { x: [8, 20, 20, 16], filter: [3, 3, 16, 24], padding: 'same' },
  { x: [16, 28, 28, 1], filter: [3, 3, 1, 32], padding: 'valid' },
];

function geometry(c: Case): ConvInfo {
  return convGeometry('test', c.x, c.filter, c.strides ?? [1, 1], c.padding, c.dilations ?? [1, 1]);
}

function describeCase(c: Case): string {
  return `x [${c.x}] filter [${c.filter}] strides ${c.strides ?? [1, 1]} ${c.padding} dilations ${c.dilations ?? [1, 1]}`;
}

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

/** Sums of `terms` products of values in [-1, 1]: float32 rounding grows like sqrt(terms). */
function tolerance(terms: number): { rtol: number; atol: number } {
  return { rtol: 1e-5, atol: 3e-6 * Math.sqrt(terms + 1) };
}

describe('native convolutions match the reference', { skip }, () => {
  test('conv2d, plain and with a fused bias and activation', () => {
    const rng = new Rng(20);
    for (const c of CASES) {
      const g = geometry(c);
      const x = uniform(rng, size(c.x)), filter = uniform(rng, size(c.filter));
      const epilogues: (Epilogue | null)[] = [
        null,
        { bias: uniform(rng, g.outC), activation: 'relu', alpha: 0 },
        { bias: null, activation: 'tanh', alpha: 0 },
      ];
      for (const epilogue of epilogues) {
        const expected = new Float32Array(g.batch * g.outH * g.outW * g.outC);
        ref.conv2d(x, filter, expected, g, epilogue);
        eachSetting((s) => {
          const out = new Float32Array(expected.length).fill(NaN);
          nativeKernel('conv2d')(x, filter, out, g, epilogue);
          assertClose(out, expected, `conv2d ${describeCase(c)} ${epilogue?.activation ?? 'no epilogue'} (${s})`,
            tolerance(g.kH * g.kW * g.inC));
        });
      }
    }
  });

  test('conv2dBackpropInput', () => {
    const rng = new Rng(21);
    for (const c of CASES) {
      const g = geometry(c);
      const dy = uniform(rng, g.batch * g.outH * g.outW * g.outC), filter = uniform(rng, size(c.filter));
      const expected = new Float32Array(size(c.x));
      ref.conv2dBackpropInput(dy, filter, expected, g);
      eachSetting((s) => {
        const dx = new Float32Array(expected.length).fill(NaN);
        nativeKernel('conv2dBackpropInput')(dy, filter, dx, g);
        assertClose(dx, expected, `conv2dBackpropInput ${describeCase(c)} (${s})`, tolerance(g.kH * g.kW * g.outC));
      });
    }
  });

  test('conv2dBackpropFilter', () => {
    const rng = new Rng(22);
    for (const c of CASES) {
      const g = geometry(c);
      const x = uniform(rng, size(c.x)), dy = uniform(rng, g.batch * g.outH * g.outW * g.outC);
      const expected = new Float32Array(size(c.filter));
      ref.conv2dBackpropFilter(x, dy, expected, g);
      eachSetting((s) => {
        const dFilter = new Float32Array(expected.length).fill(NaN);
        nativeKernel('conv2dBackpropFilter')(x, dy, dFilter, g);
        assertClose(dFilter, expected, `conv2dBackpropFilter ${describeCase(c)} (${s})`, tolerance(g.batch * g.outH * g.outW));
      });
    }
  });
});
