import { before, describe, test } from 'node:test';
import { convGeometry, type ConvInfo, type Padding } from '../../util/conv-geometry.js';
import { Rng } from '../../util/random.js';
import type { Epilogue } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import { assertClose, eachSetting, garbage, placed, sizeOf, skip, sumTolerance, uniform, wasmKernel, workersReady } from './testing.js';

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
  // Channel counts that are and are not multiples of 4, strides, both paddings, dilations.
  { x: [3, 9, 11, 5], filter: [3, 3, 5, 7], padding: 'same' },
  { x: [2, 10, 9, 3], filter: [3, 3, 3, 17], strides: [2, 2], padding: 'same' },
  { x: [2, 10, 9, 12], filter: [3, 3, 12, 33], strides: [2, 2], padding: 'valid' },
  { x: [1, 8, 8, 4], filter: [2, 2, 4, 6], padding: 'same' },
  { x: [2, 7, 6, 20], filter: [1, 1, 20, 9], padding: 'valid' },
  { x: [1, 12, 12, 8], filter: [5, 5, 8, 8], padding: 'same', dilations: [2, 2] },
  { x: [2, 11, 13, 2], filter: [3, 2, 2, 5], strides: [2, 1], padding: 'same', dilations: [1, 2] },
  { x: [1, 6, 7, 1], filter: [3, 3, 1, 1], strides: [1, 3], padding: 'valid' },
  // Single-channel inputs read four adjacent pixels at once, except in the padding and across rows.
  { x: [2, 9, 10, 1], filter: [3, 3, 1, 4], padding: 'same' },
  { x: [1, 11, 9, 1], filter: [3, 3, 1, 3], padding: 'same', dilations: [2, 2] },
  // Deeper than one packed depth block (3*3*40 = 360 > 256).
  { x: [1, 6, 6, 40], filter: [3, 3, 40, 10], padding: 'same' },
  // Empty batch, and a layer with no input channels (the output is act(bias)).
  { x: [0, 6, 6, 3], filter: [3, 3, 3, 4], padding: 'same' },
  { x: [1, 4, 4, 0], filter: [3, 3, 0, 4], padding: 'same' },
];

function geometry(c: Case): ConvInfo {
  return convGeometry('test', c.x, c.filter, c.strides ?? [1, 1], c.padding, c.dilations ?? [1, 1]);
}

function describeCase(c: Case): string {
  return `x [${c.x}] filter [${c.filter}] strides ${c.strides ?? [1, 1]} ${c.padding} dilations ${c.dilations ?? [1, 1]}`;
}

describe('wasm convolutions match the reference', { skip }, () => {
  before(workersReady);

  test('conv2d, plain and with a fused bias and activation', () => {
    const rng = new Rng(20);
    eachSetting(({ name, backend }) => {
      const conv2d = wasmKernel(backend, 'conv2d');
      for (const c of CASES) {
        const g = geometry(c);
        const x = uniform(rng, sizeOf(c.x)), filter = uniform(rng, sizeOf(c.filter));
        const epilogues: (Epilogue | null)[] = [
          null,
          { bias: uniform(rng, g.outC), activation: 'relu', alpha: 0 },
          { bias: null, activation: 'tanh', alpha: 0 },
        ];
        for (const epilogue of epilogues) {
          const expected = new Float32Array(g.batch * g.outH * g.outW * g.outC);
          ref.conv2d(x, filter, expected, g, epilogue);
          const out = garbage(backend, expected.length);
          const bias = epilogue?.bias ? placed(backend, epilogue.bias) : null;
          conv2d(placed(backend, x), placed(backend, filter), out, g, epilogue && { ...epilogue, bias });
          assertClose(out, expected, `${name}: conv2d ${describeCase(c)} ${epilogue?.activation ?? 'plain'}`, sumTolerance(g.kH * g.kW * g.inC));
        }
      }
    });
  });

  test('conv2dBackpropInput', () => {
    const rng = new Rng(21);
    eachSetting(({ name, backend }) => {
      const backprop = wasmKernel(backend, 'conv2dBackpropInput');
      for (const c of CASES) {
        const g = geometry(c);
        const dy = uniform(rng, g.batch * g.outH * g.outW * g.outC), filter = uniform(rng, sizeOf(c.filter));
        const expected = new Float32Array(sizeOf(c.x));
        ref.conv2dBackpropInput(dy, filter, expected, g);
        const dx = garbage(backend, expected.length);
        backprop(placed(backend, dy), placed(backend, filter), dx, g);
        assertClose(dx, expected, `${name}: conv2dBackpropInput ${describeCase(c)}`, sumTolerance(g.kH * g.kW * g.outC));
      }
    });
  });

  test('conv2dBackpropFilter', () => {
    const rng = new Rng(22);
    eachSetting(({ name, backend }) => {
      const backprop = wasmKernel(backend, 'conv2dBackpropFilter');
      for (const c of CASES) {
        const g = geometry(c);
        const x = uniform(rng, sizeOf(c.x)), dy = uniform(rng, g.batch * g.outH * g.outW * g.outC);
        const expected = new Float32Array(sizeOf(c.filter));
        ref.conv2dBackpropFilter(x, dy, expected, g);
        const dFilter = garbage(backend, expected.length);
        backprop(placed(backend, x), placed(backend, dy), dFilter, g);
        assertClose(dFilter, expected, `${name}: conv2dBackpropFilter ${describeCase(c)}`, sumTolerance(g.batch * g.outH * g.outW));
      }
    });
  });
});
