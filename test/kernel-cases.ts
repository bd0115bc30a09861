/**
 * Inputs for the kernel parity suite (kernels.test.ts), one generator per kernel of the table: the type
 * makes a kernel without cases a compile error. Cases use float32 data (what fast backends run), sizes that
 * are not multiples of any SIMD width, empty and one-element outputs, broadcasting, special values, every
 * value of every enumeration (the suite checks these for every kernel), and a few shapes big enough to be
 * split over threads. Outputs are allocated by the suite; here they only say their length.
 */
import type { Term } from '../src/backend/expression.js';
import { compile, operands } from '../src/backend/expression.js';
import type { KernelArgs, KernelName } from '../src/backend/kernels.js';
import {
  ARG_REDUCE_OPS, BINARY_OPS, COMPARE_OPS, DIFFERENTIABLE_UNARY_OPS, FILL_MODES, FUSABLE_ACTIVATIONS, INTERPOLATIONS, REDUCE_OPS, UNARY_OPS,
} from '../src/backend/kernel-table.js';
import type { ImageTransformInfo } from '../src/backend/kernel-table.js';
import type { BinaryOp, Broadcast, UnaryOp, UpSamplingInfo } from '../src/backend/kernels.js';
import { referenceKernels as ref } from '../src/backend/reference/index.js';
import type { Tolerance } from '../src/backend/testing.js';
import { uniform } from '../src/backend/testing.js';
import type { ConvInfo, Padding, PoolInfo } from '../src/util/conv-geometry.js';
import { convGeometry, poolGeometry } from '../src/util/conv-geometry.js';
import { Rng } from '../src/util/random.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../src/util/shape.js';

export interface Case<K extends KernelName> {
  readonly label: string;
  readonly args: KernelArgs<K>;
  readonly tolerance?: Tolerance;
}

export type CaseGenerators = { readonly [K in KernelName]: (rng: Rng) => Case<K>[] };

const f32 = (n: number) => new Float32Array(n);
/** Big enough that every backend splits it over threads. */
const BIG = 1_100_000;

/** Inputs inside each function's domain, away from where float32 rounding changes the answer's sign. */
function domain(op: UnaryOp): [number, number] {
  switch (op) {
    case 'sqrt': case 'rsqrt': case 'log': return [0.01, 4];
    case 'log1p': return [-0.9, 4];
    case 'reciprocal': return [0.1, 4];
    case 'exp': case 'softplus': case 'sigmoid': case 'tanh': case 'elu': case 'selu': return [-12, 12];
    default: return [-5, 5];
  }
}

/** Values every unary op must treat like the reference: signed zeros, infinities, NaN, ties, tiny and huge numbers. */
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5, 1.5, 2.5, -2.5, 30, -30, 88, -90, -104, 100, -100];


/**
 * A copy of `values` with NaN, +Infinity and -Infinity written at a few seeded positions: every kernel must
 * carry them through as the reference does (NaN propagates as in TensorFlow and PyTorch: one NaN in the
 * input must not hide as a finite number).
 */
function sprinkle(rng: Rng, values: Float32Array, count = 3): Float32Array {
  const out = values.slice();
  const specials = [NaN, Infinity, -Infinity];
  for (let i = 0; i < count && out.length > 0; i++) out[Math.floor(rng.uniform(0, 1) * out.length) % out.length] = specials[i % 3]!;
  return out;
}

function broadcast(aShape: number[], bShape: number[]): Broadcast {
  const shape = broadcastShapes('test', aShape, bShape);
  return { shape, size: sizeOf(shape), aStrides: broadcastStrides(aShape, shape), bStrides: broadcastStrides(bShape, shape) };
}

const BROADCASTS: [number[], number[]][] = [
  [[1037], [1037]],
  [[], []],
  [[], [5, 7]],
  [[3, 5, 7], []],
  [[4, 33], [33]],
  [[64, 10], [10]],
  [[33, 10], [33, 1]],
  [[2, 3, 17], [2, 1, 17]],
  [[4, 1, 6], [4, 5, 6]],
  [[3, 1], [1, 19]],
  [[3, 1, 5, 1], [1, 4, 1, 7]],
  [[2, 3, 1, 5, 2], [3, 4, 1, 2]],
  [[2, 1, 3, 1, 2, 1, 2, 1, 2], [1, 2, 1, 3, 1, 2, 1, 2, 1]],
  [[0, 3], [3]],
  [[BIG], [BIG]],
  [[1000, 1100], [1100]],
];

function binaryInputs(rng: Rng, op: BinaryOp, aShape: number[], bShape: number[]): [Float32Array, Float32Array] {
  const positive = op === 'pow';
  return [uniform(rng, sizeOf(aShape), positive ? 0.1 : -3, 3), uniform(rng, sizeOf(bShape), op === 'div' ? 0.5 : positive ? -2 : -3, positive ? 2 : 3)];
}

/** Sums of `terms` products of values in [-1, 1]: float32 rounding grows like sqrt(terms). */
const sums = (terms: number): Tolerance => ({ rtol: 1e-5, atol: 3e-6 * Math.sqrt(terms + 1) });

interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides?: [number, number];
  padding: Padding;
  dilations?: [number, number];
}

const CONVS: ConvCase[] = [
  // The seed convnet's three layers (smaller batch).
  { x: [2, 28, 28, 1], filter: [3, 3, 1, 32], padding: 'valid' },
  { x: [2, 13, 13, 32], filter: [3, 3, 32, 64], padding: 'valid' },
  { x: [2, 5, 5, 64], filter: [3, 3, 64, 64], padding: 'valid' },
  // Channel counts that are and are not multiples of 4, strides, both paddings, dilations.
  { x: [3, 9, 11, 5], filter: [3, 3, 5, 7], padding: 'same' },
  { x: [2, 10, 9, 3], filter: [3, 3, 3, 17], strides: [2, 2], padding: 'same' },
  { x: [2, 10, 9, 17], filter: [3, 3, 17, 33], strides: [2, 2], padding: 'valid' },
  { x: [1, 8, 8, 4], filter: [2, 2, 4, 6], padding: 'same' },
  { x: [2, 7, 6, 20], filter: [1, 1, 20, 9], padding: 'valid' },
  { x: [1, 12, 12, 6], filter: [5, 5, 6, 8], padding: 'same', dilations: [2, 2] },
  { x: [2, 11, 13, 2], filter: [3, 2, 2, 5], strides: [2, 1], padding: 'same', dilations: [1, 2] },
  { x: [1, 6, 7, 1], filter: [3, 3, 1, 1], strides: [1, 3], padding: 'valid' },
  { x: [2, 9, 10, 1], filter: [3, 3, 1, 4], padding: 'same' },
  { x: [1, 11, 9, 1], filter: [3, 3, 1, 3], padding: 'same', dilations: [2, 2] },
  { x: [2, 5, 5, 16], filter: [5, 5, 16, 16], padding: 'same' },
  // Deeper than one packed depth block.
  { x: [1, 6, 6, 40], filter: [3, 3, 40, 10], padding: 'same' },
  // An image whose patch matrix spans several column chunks of the input gradient.
  { x: [2, 40, 40, 16], filter: [3, 3, 16, 8], padding: 'same' },
  // Big enough to be split across threads.
  { x: [8, 20, 20, 16], filter: [3, 3, 16, 24], padding: 'same' },
  { x: [16, 28, 28, 1], filter: [3, 3, 1, 32], padding: 'valid' },
  // One-pixel outputs, an empty batch, and a layer with no input channels (the output is act(bias)).
  { x: [1, 3, 3, 1], filter: [3, 3, 1, 1], padding: 'valid' },
  { x: [1, 1, 1, 1], filter: [1, 1, 1, 1], padding: 'valid' },
  { x: [0, 6, 6, 3], filter: [3, 3, 3, 4], padding: 'same' },
  { x: [1, 4, 4, 0], filter: [3, 3, 0, 4], padding: 'same' },
];

const convInfo = (c: ConvCase): ConvInfo => convGeometry('test', c.x, c.filter, c.strides ?? [1, 1], c.padding, c.dilations ?? [1, 1]);
const convLabel = (c: ConvCase) => `x [${c.x}] filter [${c.filter}] strides ${c.strides ?? [1, 1]} ${c.padding} dilations ${c.dilations ?? [1, 1]}`;
const imageSize = (g: ConvInfo) => g.batch * g.inH * g.inW * g.inC;
const outSize = (g: ConvInfo) => g.batch * g.outH * g.outW * g.outC;
const filterSize = (g: ConvInfo) => g.kH * g.kW * g.inC * g.outC;

interface PoolCase {
  x: [number, number, number, number];
  window: [number, number];
  strides: [number, number];
  padding: Padding;
}

const POOLS: PoolCase[] = [
  { x: [2, 26, 26, 32], window: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [2, 11, 11, 64], window: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [3, 9, 8, 5], window: [3, 3], strides: [1, 1], padding: 'same' },
  { x: [2, 9, 10, 17], window: [3, 3], strides: [2, 2], padding: 'same' },
  { x: [1, 7, 7, 1], window: [2, 2], strides: [1, 1], padding: 'valid' },
  { x: [2, 6, 9, 33], window: [3, 2], strides: [2, 3], padding: 'same' },
  { x: [2, 5, 5, 1], window: [5, 5], strides: [5, 5], padding: 'valid' },
  { x: [0, 4, 4, 3], window: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [1, 2, 2, 1], window: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [1, 1, 1, 1], window: [1, 1], strides: [1, 1], padding: 'valid' },
  { x: [32, 26, 26, 32], window: [2, 2], strides: [2, 2], padding: 'valid' },
];

const poolInfo = (c: PoolCase): PoolInfo => poolGeometry('test', c.x, c.window, c.strides, c.padding);
const poolLabel = (c: PoolCase) => `x [${c.x}] window ${c.window} strides ${c.strides} ${c.padding}`;
const poolIn = (p: PoolInfo) => p.batch * p.inH * p.inW * p.channels;
const poolOut = (p: PoolInfo) => p.batch * p.outH * p.outW * p.channels;

/** Depthwise convolutions: x [batch, h, w, channels] and a [kH, kW, channels, multiplier] filter. */
const DEPTHWISE: ConvCase[] = [
  // MobileNet's 3x3 blocks (small), stride 1 and 2, channel counts that are and are not multiples of 4, 8 and 16.
  { x: [2, 9, 9, 32], filter: [3, 3, 32, 1], padding: 'same' },
  { x: [2, 10, 9, 24], filter: [3, 3, 24, 1], strides: [2, 2], padding: 'same' },
  { x: [3, 7, 8, 5], filter: [3, 3, 5, 1], padding: 'valid' },
  { x: [1, 9, 11, 17], filter: [3, 3, 17, 1], strides: [2, 2], padding: 'valid' },
  // Depth multipliers above 1, uneven windows, dilations, strides along one axis.
  { x: [2, 8, 7, 3], filter: [3, 3, 3, 2], padding: 'same' },
  { x: [1, 10, 10, 6], filter: [2, 3, 6, 3], strides: [1, 2], padding: 'same' },
  { x: [1, 12, 11, 4], filter: [3, 3, 4, 1], padding: 'same', dilations: [2, 2] },
  { x: [2, 9, 12, 7], filter: [5, 5, 7, 1], padding: 'same' },
  { x: [1, 5, 6, 33], filter: [1, 1, 33, 1], padding: 'valid' },
  // Big enough to be split across threads.
  { x: [8, 28, 28, 48], filter: [3, 3, 48, 1], padding: 'same' },
  { x: [4, 30, 30, 20], filter: [3, 3, 20, 2], strides: [2, 2], padding: 'same' },
  // One-pixel outputs (one element), an empty batch, no channels.
  { x: [1, 3, 3, 2], filter: [3, 3, 2, 1], padding: 'valid' },
  { x: [1, 1, 1, 1], filter: [1, 1, 1, 1], padding: 'valid' },
  { x: [0, 6, 6, 3], filter: [3, 3, 3, 1], padding: 'same' },
  { x: [1, 4, 4, 0], filter: [3, 3, 0, 1], padding: 'same' },
];

/** The depthwise geometry: a ConvInfo whose outC is channels * multiplier. */
const depthwiseInfo = (c: ConvCase): ConvInfo =>
  ({ ...convGeometry('test', c.x, [c.filter[0], c.filter[1], c.filter[2], c.filter[3]], c.strides ?? [1, 1], c.padding, c.dilations ?? [1, 1]), outC: c.filter[2] * c.filter[3] });
const depthwiseFilterSize = (g: ConvInfo) => g.kH * g.kW * g.outC;

/** Upsampling: [batch, h, w, channels] and factors. */
const UPSAMPLINGS: [number, number, number, number, number, number][] = [
  [2, 5, 6, 3, 2, 2], [1, 3, 4, 17, 2, 3], [2, 4, 3, 8, 3, 1], [1, 1, 1, 5, 4, 4], [3, 7, 5, 1, 1, 2], [1, 6, 6, 33, 1, 1],
  [16, 28, 28, 16, 2, 2], [1, 1, 1, 1, 1, 1], [0, 4, 4, 3, 2, 2], [1, 4, 4, 0, 2, 2],
];
const upInfo = ([batch, inH, inW, channels, factorH, factorW]: (typeof UPSAMPLINGS)[number]): UpSamplingInfo => ({ batch, inH, inW, channels, factorH, factorW });
const upLabel = (u: UpSamplingInfo) => `[${u.batch}, ${u.inH}, ${u.inW}, ${u.channels}] x [${u.factorH}, ${u.factorW}]`;
const upIn = (u: UpSamplingInfo) => u.batch * u.inH * u.inW * u.channels;

/** Values on a coarse grid, so windows often hold ties (the gradient must go to the first maximum). */
function coarse(rng: Rng, n: number): Float32Array {
  const a = uniform(rng, n);
  for (let i = 0; i < n; i++) a[i] = Math.round(a[i]! * 3) / 3;
  return a;
}

const REDUCTIONS: [number, number, number][] = [
  [1, 1, 1], [1, 17, 1], [5, 33, 1], [64, 10, 1], [1, 7744, 64], [1, 100, 3], [3, 50, 70], [4, 0, 3], [0, 5, 2],
  [2, 9, 1000], [1, 2_000_000, 1], [1, 100_000, 7], [1, 43_264, 32], [3000, 500, 1],
];

// Programs of the fused expression kernel: every instruction, and updates in place.
const [e0, e1, e2] = operands(3) as [Term, Term, Term];
const EXPRESSIONS = [
  {
    name: 'every unary instruction',
    program: compile({
      2: e0.neg().add(e0.abs()).add(e1.abs().sqrt()).add(e0.square()).add(e0.exp()).add(e1.abs().add(1).log())
        .add(e1.abs().add(0.5).reciprocal()).add(e0.relu()).add(e0.sigmoid()).add(e0.tanh()).add(e0.sign()),
    }),
    arrays: 3,
  },
  {
    name: 'binary instructions, two operands updated in place',
    program: compile({ 0: e0.sub(e1).mul(1.5).div(e1.abs().add(0.5)).maximum(e2).minimum(2), 1: e1.mul(e2).add(e0) }),
    arrays: 3,
  },
  { name: 'two operands swapped in place', program: compile({ 0: e1, 1: e0 }), arrays: 3 },
  { name: 'an RMSprop step', program: compile({ 2: e2.mul(0.9).add(e1.square().mul(0.1)), 0: e0.sub(e1.mul(0.001).div(e2.mul(0.9).add(e1.square().mul(0.1)).add(1e-7).sqrt())) }), arrays: 3 },
];

export const CASES: CaseGenerators = {
  unary(rng) {
    return UNARY_OPS.flatMap((op) => {
      const [low, high] = domain(op);
      const alpha = op === 'leakyRelu' ? 0.2 : op === 'elu' ? 0.7 : 0.3;
      const sizes = [0, 1, 7, 16, 17, 33, 1037, op === 'exp' || op === 'relu' ? BIG : 64];
      return [
        ...sizes.map((n) => ({ label: `${op} n=${n}`, args: { op, x: uniform(rng, n, low, high), out: f32(n), alpha }, tolerance: { rtol: 4e-6, atol: 1e-6 } })),
        { label: `${op} on special values`, args: { op, x: Float32Array.from(SPECIALS), out: f32(SPECIALS.length), alpha }, tolerance: { rtol: 4e-6, atol: 1e-6 } },
      ];
    });
  },
  unaryGrad(rng) {
    return DIFFERENTIABLE_UNARY_OPS.flatMap((op) =>
      [0, 1, 5, 31, 257, 515].map((n) => {
        const [low, high] = domain(op);
        const alpha = op === 'leakyRelu' ? 0.2 : 0.7;
        const x = uniform(rng, n, low, high), y = f32(n);
        ref.unary({ op, x, out: y, alpha });
        return { label: `${op}' n=${n}`, args: { op, x, y, dy: uniform(rng, n), out: f32(n), alpha }, tolerance: { rtol: 1e-5, atol: 1e-6 } };
      }).concat((() => {
        // NaN and infinities in x (and so in y) and in dy.
        const alpha = op === 'leakyRelu' ? 0.2 : 0.7;
        const x = Float32Array.from([NaN, Infinity, -Infinity, 0, 1, -1, 2, -2]), y = f32(x.length);
        ref.unary({ op, x, out: y, alpha });
        const dy = Float32Array.from([1, 1, 1, NaN, Infinity, -Infinity, 1, 1]);
        return [{ label: `${op}' on special values`, args: { op, x, y, dy, out: f32(x.length), alpha }, tolerance: { rtol: 1e-5, atol: 1e-6 } }];
      })()),
    );
  },
  binary(rng) {
    const cases: Case<'binary'>[] = BINARY_OPS.flatMap((op) =>
      BROADCASTS.filter(([a]) => op !== 'pow' || sizeOf(a) < 100_000).map(([aShape, bShape]) => {
        const [a, b] = binaryInputs(rng, op, aShape, bShape);
        const bc = broadcast(aShape, bShape);
        return { label: `${op} [${aShape}] with [${bShape}]`, args: { op, a, b, out: f32(bc.size), broadcast: bc }, tolerance: { rtol: 2e-6, atol: 1e-7 } };
      }),
    );
    // NaN in maximum and minimum, pow of 1 and of negative bases, infinities.
    const values = [0, -0, 1, -1, 2, Infinity, -Infinity, NaN, 0.5, -8, 1 / 3];
    const a = Float32Array.from(values.flatMap((v) => values.map(() => v)));
    const b = Float32Array.from(values.flatMap(() => values));
    for (const op of BINARY_OPS) {
      cases.push({ label: `${op} on special values`, args: { op, a, b, out: f32(a.length), broadcast: broadcast([a.length], [b.length]) }, tolerance: { rtol: 1e-6, atol: 0 } });
    }
    return cases;
  },
  compare(rng) {
    return COMPARE_OPS.flatMap((op) =>
      [[[17], [17]], [[], []], [[3, 5], [5]], [[0, 2], [2]]].map(([aShape, bShape]) => {
        // Small integers, so that equal values are common.
        const a = Float32Array.from(uniform(rng, sizeOf(aShape!), -2, 2), Math.round), b = Float32Array.from(uniform(rng, sizeOf(bShape!), -2, 2), Math.round);
        const bc = broadcast(aShape!, bShape!);
        return { label: `${op} [${aShape}] with [${bShape}]`, args: { op, a, b, out: new Uint8Array(bc.size), broadcast: bc } };
      }),
    );
  },
  where(rng) {
    return [[[], [], []], [[2, 1], [3], [2, 3]], [[5, 7], [5, 7], [7]], [[0, 3], [3], [3]], [[19], [19], [19]]].map(([c, a, b]) => {
      const shape = broadcastShapes('test', c!, broadcastShapes('test', a!, b!));
      const bc: Broadcast = { shape, size: sizeOf(shape), aStrides: broadcastStrides(a!, shape), bStrides: broadcastStrides(b!, shape) };
      const cond = Uint8Array.from(uniform(rng, sizeOf(c!)), (v) => (v > 0 ? 1 : 0));
      return {
        label: `cond [${c}] a [${a}] b [${b}]`,
        args: { cond, a: uniform(rng, sizeOf(a!)), b: uniform(rng, sizeOf(b!)), out: f32(bc.size), broadcast: bc, condStrides: broadcastStrides(c!, shape) },
      };
    });
  },
  clip(rng) {
    return [0, 1, 101, 1037].map((n) => {
      const x = Float32Array.from([...uniform(rng, n, -3, 3)]);
      if (n > 3) [x[0], x[1], x[2]] = [NaN, Infinity, -Infinity];
      return { label: `n=${n}`, args: { x, out: f32(n), low: -1, high: 2 }, tolerance: { rtol: 0, atol: 0 } };
    });
  },
  cast(rng) {
    return [0, 1, 37].map((n) => ({ label: `float32 n=${n}`, args: { x: uniform(rng, n), out: f32(n) }, tolerance: { rtol: 0, atol: 0 } }));
  },
  fill() {
    return [0, 1, 37, 1037].map((n) => ({ label: `n=${n}`, args: { out: f32(n), value: 2.5 }, tolerance: { rtol: 0, atol: 0 } }));
  },
  expression(rng) {
    return EXPRESSIONS.flatMap(({ name, program, arrays }) =>
      [0, 1, 7, 255, 256, 257, 1000, 600_000].map((n) => ({
        label: `${name}, n=${n}`,
        args: {
          // n = 1000 holds NaN and infinities (a NaN gradient must reach the weight, not vanish).
          operands: Array.from({ length: arrays }, (_, i) => (n === 1000 && i < 2 ? sprinkle(rng, uniform(rng, n, -2, 2), 6) : uniform(rng, n, i === 2 ? 0 : -2, 2))),
          program: program.code, constants: program.constants,
        },
        tolerance: { rtol: 1e-5, atol: 1e-6 },
      })),
    );
  },
  reduce(rng) {
    const cases: Case<'reduce'>[] = REDUCE_OPS.flatMap((op) =>
      REDUCTIONS.map(([outer, size, inner]) => ({
        label: `${op} [${outer}, ${size}, ${inner}]`,
        args: {
          op, x: op === 'prod' ? uniform(rng, outer * size * inner, 0.999, 1.001) : uniform(rng, outer * size * inner),
          out: f32(outer * inner), reduction: { outer, size, inner },
        },
        // Float32 sums and products of n terms drift by about sqrt(n) roundings (the reference uses float64).
        tolerance: { rtol: 1e-6 + 2e-7 * Math.sqrt(size), atol: op === 'sum' ? 2e-7 * size : 0 },
      })),
    );
    const withNaN = new Float32Array(40).fill(1);
    withNaN[21] = NaN;
    for (const op of REDUCE_OPS) {
      // NaN anywhere, and infinities of both signs (a sum of +Infinity and -Infinity is NaN).
      for (const [outer, size, inner] of [[1, 1037, 1], [3, 50, 70], [2, 9, 1000]] as const) {
        cases.push({
          label: `${op} with NaN and infinities [${outer}, ${size}, ${inner}]`,
          args: { op, x: sprinkle(rng, uniform(rng, outer * size * inner, op === 'prod' ? 0.999 : -1, op === 'prod' ? 1.001 : 1), 7), out: f32(outer * inner), reduction: { outer, size, inner } },
          tolerance: { rtol: 1e-6 + 2e-7 * Math.sqrt(size), atol: op === 'sum' ? 2e-7 * size : 0 },
        });
      }
      const infinities = Float32Array.from([1, Infinity, 2, -Infinity, 3, Infinity, 4, 5]);
      cases.push({ label: `${op} of infinities`, args: { op, x: infinities, out: f32(2), reduction: { outer: 2, size: 4, inner: 1 } }, tolerance: { rtol: 0, atol: 0 } });
    }
    for (const op of ['max', 'min'] as const) {
      for (const [outer, size, inner] of [[1, 40, 1], [1, 20, 2], [2, 20, 1]] as const) {
        cases.push({ label: `${op} propagates NaN [${outer}, ${size}, ${inner}]`, args: { op, x: withNaN, out: f32(outer * inner), reduction: { outer, size, inner } }, tolerance: { rtol: 0, atol: 0 } });
      }
    }
    return cases;
  },
  argReduce(rng) {
    return ARG_REDUCE_OPS.flatMap((op) => [
      ...[[1, 17, 1], [3, 5, 7], [0, 4, 2], [1, 1, 1], [2, 1037, 1], [1, 600, 33]].map(([outer, size, inner]) => ({
        label: `${op} [${outer}, ${size}, ${inner}]`,
        args: { op, x: Float32Array.from(uniform(rng, outer! * size! * inner!, -3, 3), Math.round), out: new Int32Array(outer! * inner!), reduction: { outer: outer!, size: size!, inner: inner! } },
      })),
      // The first NaN wins, as in NumPy and PyTorch; infinities are ordinary extremes.
      ...[[1, 37, 1], [4, 9, 5], [2, 1037, 1], [1, 600, 33]].map(([outer, size, inner]) => ({
        label: `${op} with NaN and infinities [${outer}, ${size}, ${inner}]`,
        args: { op, x: sprinkle(rng, Float32Array.from(uniform(rng, outer! * size! * inner!, -3, 3), Math.round), 9), out: new Int32Array(outer! * inner!), reduction: { outer: outer!, size: size!, inner: inner! } },
      })),
      { label: `${op} of a row of NaN, infinities`, args: { op, x: Float32Array.from([Infinity, -Infinity, NaN, NaN, -Infinity, 2, Infinity, Infinity, NaN, 1]), out: new Int32Array(2), reduction: { outer: 2, size: 5, inner: 1 } } },
    ]);
  },
  transpose(rng) {
    return [[[2, 3, 4], [2, 0, 1]], [[5, 7], [1, 0]], [[], []], [[0, 3], [1, 0]]].map(([shape, perm]) => ({
      label: `[${shape}] perm [${perm}]`,
      args: { x: uniform(rng, sizeOf(shape!)), out: f32(sizeOf(shape!)), shape: shape!, perm: perm! },
    }));
  },
  slice(rng) {
    return [[[4, 5], [1, 2], [2, 3]], [[7], [3], [1]], [[3, 3], [1, 1], [0, 2]], [[17, 3], [0, 0], [17, 3]]].map(([shape, begin, size]) => ({
      label: `[${shape}] from [${begin}] size [${size}]`,
      args: { x: uniform(rng, sizeOf(shape!)), out: f32(sizeOf(size!)), shape: shape!, begin: begin!, size: size! },
    }));
  },
  pad(rng) {
    return [[[2, 3], [1, 0], [2, 1]], [[], [], []], [[0, 2], [0, 0], [0, 1]], [[5], [0], [12]]].map(([shape, before, after]) => ({
      label: `[${shape}] before [${before}] after [${after}]`,
      args: {
        x: uniform(rng, sizeOf(shape!)), out: f32(sizeOf(shape!.map((d, i) => d + before![i]! + after![i]!))),
        shape: shape!, before: before!, after: after!, value: 0.5,
      },
    }));
  },
  concat(rng) {
    return [[2, [1, 3, 2]], [1, [1]], [0, [2, 3]], [3, [5, 0, 12]]].map(([outer, widths]) => {
      const w = widths as number[], o = outer as number;
      return { label: `outer ${o} widths [${w}]`, args: { inputs: w.map((x) => uniform(rng, o * x)), out: f32(o * w.reduce((s, x) => s + x, 0)), outer: o, widths: w } };
    });
  },
  gather(rng) {
    return [[[2, 4, 3], [3, 0, 3, 1]], [[1, 5, 1], [4]], [[3, 2, 17], []], [[1, 1, 1], [0]]].map(([g, idx]) => {
      const [outer, axisSize, inner] = g as [number, number, number];
      const indices = Int32Array.from(idx!);
      return { label: `[${g}] at [${idx}]`, args: { x: uniform(rng, outer * axisSize * inner), indices, out: f32(outer * indices.length * inner), gather: { outer, axisSize, inner } } };
    });
  },
  scatterAdd(rng) {
    return [[[2, 4, 3], [3, 0, 3, 1]], [[1, 1, 1], [0, 0]], [[3, 2, 17], []], [[0, 2, 3], [1]]].map(([g, idx]) => {
      const [outer, axisSize, inner] = g as [number, number, number];
      const indices = Int32Array.from(idx!);
      return { label: `[${g}] at [${idx}]`, args: { updates: uniform(rng, outer * indices.length * inner), indices, out: f32(outer * axisSize * inner), gather: { outer, axisSize, inner } } };
    });
  },
  oneHot() {
    return [[[0, 2, 5, 1], 6], [[3], 1], [[], 4], [[-1, 7, 2], 3]].map(([idx, depth]) => {
      const indices = Int32Array.from(idx as number[]);
      return { label: `[${idx}] depth ${depth}`, args: { indices, out: f32(indices.length * (depth as number)), depth: depth as number, onValue: 1, offValue: -0.5 } };
    });
  },
  matmul(rng) {
    const cases: Case<'matmul'>[] = [];
    const add = (product: KernelArgs<'matmul'>['product'], bias: Float32Array | null, activation: KernelArgs<'matmul'>['activation'], alpha: number, label: string) => {
      const { batch, m, n, k } = product;
      const a = uniform(rng, Math.max(0, (batch - 1) * product.aBatchStride + m * k)), b = uniform(rng, Math.max(0, (batch - 1) * product.bBatchStride + k * n));
      cases.push({ label: `${label} ${m}x${n}x${k} transA=${product.transA} transB=${product.transB} batch=${batch}`, args: { a, b, out: f32(batch * m * n), bias, product, activation, alpha }, tolerance: sums(k) });
    };
    const single = (m: number, n: number, k: number, transA: boolean, transB: boolean) => ({ batch: 1, m, n, k, transA, transB, aBatchStride: m * k, bBatchStride: k * n });
    const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [12, 32, 1], [13, 33, 17], [64, 64, 64], [100, 70, 300], [129, 65, 257], [7, 200, 9], [0, 5, 3], [5, 0, 3], [5, 3, 0], [160, 160, 160]];
    for (const [m, n, k] of shapes) for (const transA of [false, true]) for (const transB of [false, true]) add(single(m, n, k, transA, transB), null, 'linear', 0, 'plain');
    add(single(300, 530, 600, false, false), null, 'linear', 0, 'large');
    add(single(257, 1100, 40, true, true), null, 'linear', 0, 'wide');
    add({ batch: 3, m: 17, n: 20, k: 9, transA: false, transB: false, aBatchStride: 17 * 9, bBatchStride: 9 * 20 }, null, 'linear', 0, 'batched');
    add({ batch: 4, m: 33, n: 5, k: 40, transA: true, transB: false, aBatchStride: 33 * 40, bBatchStride: 0 }, null, 'linear', 0, 'broadcast b');
    add({ batch: 5, m: 64, n: 64, k: 64, transA: false, transB: true, aBatchStride: 0, bBatchStride: 64 * 64 }, null, 'linear', 0, 'broadcast a');
    add({ batch: 0, m: 3, n: 3, k: 3, transA: false, transB: false, aBatchStride: 9, bBatchStride: 9 }, null, 'linear', 0, 'empty batch');
    for (const activation of FUSABLE_ACTIVATIONS) {
      // The last shape has K longer than one cache block: the epilogue follows the final accumulation.
      for (const [m, n, k] of [[13, 37, 20], [70, 64, 90], [4, 3, 0], [40, 96, 700]] as const) {
        add(single(m, n, k, false, false), uniform(rng, n), activation, 0.2, `bias+${activation}`);
        add(single(m, n, k, true, false), null, activation, 0.7, activation);
      }
      // NaN and infinities in a, b and the bias reach the output through every epilogue.
      for (const [m, n, k] of [[13, 37, 20], [70, 64, 90], [1, 1, 1]] as const) {
        const product = single(m, n, k, false, false);
        const a = sprinkle(rng, uniform(rng, m * k), 2), b = sprinkle(rng, uniform(rng, k * n), 2), bias = sprinkle(rng, uniform(rng, n), 1);
        cases.push({ label: `NaN and infinities, bias+${activation} ${m}x${n}x${k}`, args: { a, b, out: f32(m * n), bias, product, activation, alpha: 0.2 }, tolerance: sums(k) });
        cases.push({ label: `NaN and infinities, ${activation} ${m}x${n}x${k}`, args: { a, b, out: f32(m * n), bias: null, product, activation, alpha: 0.2 }, tolerance: sums(k) });
      }
    }
    return cases;
  },
  conv2d(rng) {
    const cases: Case<'conv2d'>[] = [];
    for (const c of CONVS) {
      const g = convInfo(c);
      const x = uniform(rng, imageSize(g)), filter = uniform(rng, filterSize(g));
      const epilogues = [
        { bias: null, activation: 'linear', alpha: 0 },
        { bias: uniform(rng, g.outC), activation: 'relu', alpha: 0 },
        { bias: null, activation: 'tanh', alpha: 0 },
      ] as const;
      for (const e of epilogues) cases.push({ label: `${convLabel(c)} ${e.activation}${e.bias ? '+bias' : ''}`, args: { x, filter, out: f32(outSize(g)), conv: g, ...e }, tolerance: sums(g.kH * g.kW * g.inC) });
    }
    const g = convInfo({ x: [2, 7, 6, 3], filter: [3, 3, 3, 5], padding: 'same' });
    for (const activation of FUSABLE_ACTIVATIONS) {
      cases.push({
        label: `every activation: ${activation}`,
        args: { x: uniform(rng, imageSize(g)), filter: uniform(rng, filterSize(g)), out: f32(outSize(g)), bias: uniform(rng, 5), conv: g, activation, alpha: 0.3 },
        tolerance: sums(27),
      });
      // A NaN or infinite pixel spreads to every output whose window holds it, through every epilogue.
      for (const c of [CONVS[0]!, CONVS[3]!, CONVS[5]!]) {
        const h = convInfo(c);
        cases.push({
          label: `NaN and infinities in x: ${convLabel(c)} ${activation}+bias`,
          args: { x: sprinkle(rng, uniform(rng, imageSize(h)), 3), filter: uniform(rng, filterSize(h)), out: f32(outSize(h)), bias: uniform(rng, h.outC), conv: h, activation, alpha: 0.3 },
          tolerance: sums(h.kH * h.kW * h.inC),
        });
      }
    }
    return cases;
  },
  conv2dBackpropInput(rng) {
    return CONVS.map((c) => {
      const g = convInfo(c);
      return { label: convLabel(c), args: { dy: uniform(rng, outSize(g)), filter: uniform(rng, filterSize(g)), dx: f32(imageSize(g)), conv: g }, tolerance: sums(g.kH * g.kW * g.outC) };
    });
  },
  conv2dBackpropFilter(rng) {
    return CONVS.map((c) => {
      const g = convInfo(c);
      return { label: convLabel(c), args: { x: uniform(rng, imageSize(g)), dy: uniform(rng, outSize(g)), dFilter: f32(filterSize(g)), conv: g }, tolerance: sums(g.batch * g.outH * g.outW) };
    });
  },
  maxPool2d(rng) {
    const nan = poolInfo({ x: [1, 2, 4, 1], window: [2, 2], strides: [2, 2], padding: 'valid' });
    return [
      ...POOLS.map((c) => ({ label: poolLabel(c), args: { x: uniform(rng, poolIn(poolInfo(c))), out: f32(poolOut(poolInfo(c))), pool: poolInfo(c) }, tolerance: { rtol: 0, atol: 0 } })),
      { label: 'NaN propagates', args: { x: Float32Array.from([1, NaN, 3, 4, 5, 6, 7, NaN]), out: f32(2), pool: nan }, tolerance: { rtol: 0, atol: 0 } },
      { label: 'NaN first in its window', args: { x: Float32Array.from([NaN, 1, 3, 4, 5, 6, NaN, 8]), out: f32(2), pool: nan }, tolerance: { rtol: 0, atol: 0 } },
      { label: 'windows of -Infinity', args: { x: Float32Array.from([-Infinity, -Infinity, Infinity, 4, -Infinity, -Infinity, 7, 8]), out: f32(2), pool: nan }, tolerance: { rtol: 0, atol: 0 } },
      ...POOLS.map((c) => ({
        label: `NaN and infinities: ${poolLabel(c)}`,
        args: { x: sprinkle(rng, uniform(rng, poolIn(poolInfo(c))), 9), out: f32(poolOut(poolInfo(c))), pool: poolInfo(c) },
        tolerance: { rtol: 0, atol: 0 },
      })),
    ];
  },
  maxPool2dGrad(rng) {
    return POOLS.map((c) => {
      const p = poolInfo(c);
      return { label: `${poolLabel(c)}, with ties`, args: { x: coarse(rng, poolIn(p)), dy: uniform(rng, poolOut(p)), dx: f32(poolIn(p)), pool: p }, tolerance: { rtol: 1e-6, atol: 1e-7 } };
    });
  },
  avgPool2d(rng) {
    return POOLS.map((c) => ({ label: poolLabel(c), args: { x: uniform(rng, poolIn(poolInfo(c))), out: f32(poolOut(poolInfo(c))), pool: poolInfo(c) }, tolerance: { rtol: 1e-6, atol: 1e-7 } }));
  },
  avgPool2dGrad(rng) {
    return POOLS.map((c) => {
      const p = poolInfo(c);
      return { label: poolLabel(c), args: { dy: uniform(rng, poolOut(p)), dx: f32(poolIn(p)), pool: p }, tolerance: { rtol: 1e-6, atol: 1e-7 } };
    });
  },
  depthwiseConv2d(rng) {
    const cases: Case<'depthwiseConv2d'>[] = [];
    for (const c of DEPTHWISE) {
      const g = depthwiseInfo(c);
      const x = uniform(rng, imageSize(g)), filter = uniform(rng, depthwiseFilterSize(g));
      const epilogues = [
        { bias: null, activation: 'linear', alpha: 0 },
        { bias: uniform(rng, g.outC), activation: 'relu', alpha: 0 },
      ] as const;
      for (const e of epilogues) cases.push({ label: `${convLabel(c)} ${e.activation}${e.bias ? '+bias' : ''}`, args: { x, filter, out: f32(outSize(g)), conv: g, ...e }, tolerance: sums(g.kH * g.kW) });
    }
    const g = depthwiseInfo({ x: [2, 6, 5, 6], filter: [3, 3, 6, 2], padding: 'same' });
    for (const activation of FUSABLE_ACTIVATIONS) {
      cases.push({
        label: `every activation: ${activation}`,
        args: { x: uniform(rng, imageSize(g)), filter: uniform(rng, depthwiseFilterSize(g)), out: f32(outSize(g)), bias: uniform(rng, g.outC), conv: g, activation, alpha: 0.3 },
        tolerance: sums(9),
      });
    }
    return cases;
  },
  depthwiseConv2dBackpropInput(rng) {
    return DEPTHWISE.map((c) => {
      const g = depthwiseInfo(c);
      return { label: convLabel(c), args: { dy: uniform(rng, outSize(g)), filter: uniform(rng, depthwiseFilterSize(g)), dx: f32(imageSize(g)), conv: g }, tolerance: sums(g.kH * g.kW * (g.outC / Math.max(g.inC, 1))) };
    });
  },
  depthwiseConv2dBackpropFilter(rng) {
    return DEPTHWISE.map((c) => {
      const g = depthwiseInfo(c);
      return { label: convLabel(c), args: { x: uniform(rng, imageSize(g)), dy: uniform(rng, outSize(g)), dFilter: f32(depthwiseFilterSize(g)), conv: g }, tolerance: sums(g.batch * g.outH * g.outW) };
    });
  },
  upSampling2d(rng) {
    return UPSAMPLINGS.flatMap((shape) => {
      const u = upInfo(shape);
      const x = uniform(rng, upIn(u));
      return INTERPOLATIONS.map((interpolation) => ({
        label: `${upLabel(u)} ${interpolation}`, args: { x, out: f32(upIn(u) * u.factorH * u.factorW), upSampling: u, interpolation }, tolerance: { rtol: 1e-6, atol: 1e-6 },
      }));
    });
  },
  upSampling2dGrad(rng) {
    return UPSAMPLINGS.flatMap((shape) => {
      const u = upInfo(shape);
      const dy = uniform(rng, upIn(u) * u.factorH * u.factorW);
      return INTERPOLATIONS.map((interpolation) => ({
        label: `${upLabel(u)} ${interpolation}`, args: { dy, dx: f32(upIn(u)), upSampling: u, interpolation }, tolerance: sums(4 * u.factorH * u.factorW),
      }));
    });
  },
  imageTransform(rng) {
    return warps(rng).flatMap(({ label, g, transforms }) =>
      INTERPOLATIONS.flatMap((interpolation) =>
        FILL_MODES.map((fillMode) => ({
          label: `${label}, ${interpolation}, ${fillMode}`,
          args: { x: uniform(rng, g.batch * g.inH * g.inW * g.channels), transforms, out: f32(g.batch * g.outH * g.outW * g.channels), image: g, interpolation, fillMode, fillValue: 0.25 },
          tolerance: { rtol: 1e-5, atol: 2e-6 },
        })),
      ),
    );
  },
  imageTransformGrad(rng) {
    return warps(rng).flatMap(({ label, g, transforms }) =>
      INTERPOLATIONS.flatMap((interpolation) =>
        FILL_MODES.map((fillMode) => ({
          label: `${label}, ${interpolation}, ${fillMode}`,
          args: { dy: uniform(rng, g.batch * g.outH * g.outW * g.channels), transforms, dx: f32(g.batch * g.inH * g.inW * g.channels), image: g, interpolation, fillMode },
          tolerance: sums(8),
        })),
      ),
    );
  },
  softmax: (rng) => lastAxis(rng),
  logSoftmax: (rng) => lastAxis(rng),
  layerNorm(rng) {
    return LAYER_NORMS.map(([rows, cols]) => ({
      label: `${rows}x${cols}`,
      // Rows with a large mean, where a one-pass variance would lose its precision.
      args: { x: uniform(rng, rows * cols, 90, 110), gamma: uniform(rng, cols), beta: uniform(rng, cols), out: f32(rows * cols), mean: f32(rows), rstd: f32(rows), rows, cols, epsilon: 1e-3 },
      tolerance: { rtol: 1e-4, atol: 2e-5 },
    })).concat([[7, 33], [300, 37]].map(([rows, cols]) => ({
      label: `NaN and infinities ${rows}x${cols}`,
      args: { x: sprinkle(rng, uniform(rng, rows! * cols!, -2, 2), 5), gamma: uniform(rng, cols!), beta: uniform(rng, cols!), out: f32(rows! * cols!), mean: f32(rows!), rstd: f32(rows!), rows: rows!, cols: cols!, epsilon: 1e-3 },
      tolerance: { rtol: 1e-4, atol: 2e-5 },
    })));
  },
  layerNormGrad(rng) {
    return LAYER_NORMS.map(([rows, cols]) => {
      const x = uniform(rng, rows * cols, -2, 2), gamma = uniform(rng, cols), mean = f32(rows), rstd = f32(rows);
      ref.layerNorm({ x, gamma, beta: f32(cols), out: f32(rows * cols), mean, rstd, rows, cols, epsilon: 1e-3 });
      return {
        label: `${rows}x${cols}`,
        args: { dy: uniform(rng, rows * cols), x, gamma, mean, rstd, dx: f32(rows * cols), dGamma: f32(cols), dBeta: f32(cols), rows, cols },
        tolerance: sums(2 * Math.max(rows, cols)),
      };
    });
  },
  lstmSequence(rng) {
    return recurrentCases(rng, 4).map(({ label, s, mask, recurrentActivation, xp, kernel, h0, c0 }) => ({
      label,
      args: { xp, recurrentKernel: kernel, h0, c0, mask, h: f32(s.batch * s.steps * s.units), c: f32(s.batch * s.steps * s.units), gates: f32(s.batch * s.steps * 4 * s.units), sequence: s, recurrentActivation },
      tolerance: recurrentTolerance(s),
    }));
  },
  lstmSequenceGrad(rng) {
    return recurrentCases(rng, 4).map(({ label, s, mask, recurrentActivation, xp, kernel, h0, c0 }) => {
      const size = s.batch * s.steps * s.units, h = f32(size), c = f32(size), gates = f32(s.batch * s.steps * 4 * s.units);
      ref.lstmSequence({ xp, recurrentKernel: kernel, h0, c0, mask, h, c, gates, sequence: s, recurrentActivation });
      const n = s.batch * s.units;
      return {
        label,
        args: {
          dh: uniform(rng, size), dc: uniform(rng, size), h, c, gates, h0, c0, recurrentKernel: kernel, mask,
          dXp: f32(s.batch * s.steps * 4 * s.units), dh0: f32(n), dc0: f32(n), sequence: s, recurrentActivation,
        },
        tolerance: recurrentTolerance(s),
      };
    });
  },
  gruSequence(rng) {
    return recurrentCases(rng, 3).flatMap(({ label, s, mask, recurrentActivation, xp, kernel, h0 }) =>
      [true, false].map((resetAfter) => ({
        label: `${label}${resetAfter ? ', reset after' : ', reset before'}`,
        args: {
          xp, recurrentKernel: kernel, recurrentBias: resetAfter ? uniform(rng, 3 * s.units) : null, h0, mask,
          out: f32(s.batch * s.steps * s.units), saved: f32(s.batch * s.steps * 4 * s.units), sequence: s, recurrentActivation, resetAfter,
        },
        tolerance: recurrentTolerance(s),
      })),
    );
  },
  gruSequenceGrad(rng) {
    return recurrentCases(rng, 3).flatMap(({ label, s, mask, recurrentActivation, xp, kernel, h0 }) =>
      [true, false].map((resetAfter) => {
        const out = f32(s.batch * s.steps * s.units), saved = f32(s.batch * s.steps * 4 * s.units);
        const recurrentBias = resetAfter ? uniform(rng, 3 * s.units) : null;
        ref.gruSequence({ xp, recurrentKernel: kernel, recurrentBias, h0, mask, out, saved, sequence: s, recurrentActivation, resetAfter });
        const size = s.batch * s.steps * 3 * s.units;
        return {
          label: `${label}${resetAfter ? ', reset after' : ', reset before'}`,
          args: {
            dOut: uniform(rng, s.batch * s.steps * s.units), out, saved, h0, recurrentKernel: kernel, mask,
            dXp: f32(size), dRec: f32(size), dh0: f32(s.batch * s.units), sequence: s, recurrentActivation, resetAfter,
          },
          tolerance: recurrentTolerance(s),
        };
      }),
    );
  },
};

/**
 * [batch, steps, units] of the recurrent kernels' cases: one of each, odd and SIMD-width sizes, a state
 * wider than a GEMM panel, empty batches, no steps and no units, and a batch big enough to split over threads.
 */
const SEQUENCES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [2, 4, 16], [5, 3, 33], [4, 6, 70], [0, 3, 4], [2, 0, 5], [2, 3, 0], [64, 12, 40]];

interface RecurrentCase {
  label: string;
  s: { batch: number; steps: number; units: number };
  mask: Uint8Array | null;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  xp: Float32Array;
  kernel: Float32Array;
  h0: Float32Array;
  c0: Float32Array;
}

/**
 * Every shape with and without a mask (rows masked at random steps, the first row at every step), and
 * with each gate activation. The recurrent kernel is scaled by 1/sqrt(units) so that the gates stay away
 * from saturation, where differences would not show, and hard sigmoid's kinks are rarely met.
 */
function recurrentCases(rng: Rng, gates: number): RecurrentCase[] {
  return SEQUENCES.flatMap(([batch, steps, units]) =>
    [false, true].flatMap((masked) =>
      (['sigmoid', 'hardSigmoid'] as const).map((recurrentActivation) => {
        const s = { batch, steps, units };
        const mask = masked ? Uint8Array.from({ length: batch * steps }, (_, i) => (i < steps || rng.uniform(0, 1) < 0.3 ? 0 : 1)) : null;
        const scale = 1 / Math.sqrt(Math.max(units, 1));
        return {
          label: `[${batch}, ${steps}, ${units}]${masked ? ' masked' : ''} ${recurrentActivation}`,
          s, mask, recurrentActivation,
          xp: uniform(rng, batch * steps * gates * units, -1, 1),
          kernel: uniform(rng, units * gates * units, -scale, scale),
          h0: uniform(rng, batch * units),
          c0: uniform(rng, batch * units),
        };
      }),
    ),
  );
}

/** Float32 against the float64 reference, through every step of the recurrence. */
const recurrentTolerance = (s: { steps: number; units: number }): Tolerance => ({ rtol: 1e-4, atol: 2e-6 * Math.sqrt((s.steps + 1) * (s.units + 1)) });

/**
 * Image warps: rotations, zooms and shears that reach outside the image (every fill mode then matters), a
 * projective transform, a resize to another size, a one-pixel image, a flip and an integer shift (exact
 * pixel reads, where nearest rounding sits on ties), empty batches, and a batch big enough to split.
 */
function warps(rng: Rng): { label: string; g: ImageTransformInfo; transforms: Float32Array }[] {
  const info = (batch: number, inH: number, inW: number, channels: number, outH = inH, outW = inW): ImageTransformInfo => ({ batch, inH, inW, channels, outH, outW });
  const random = (g: ImageTransformInfo): Float32Array => {
    const t = new Float32Array(g.batch * 8);
    for (let b = 0; b < g.batch; b++) {
      const angle = rng.uniform(-3, 3), zoom = rng.uniform(0.6, 1.6), cos = Math.cos(angle) * zoom, sin = Math.sin(angle) * zoom;
      t.set([cos, -sin, rng.uniform(-4, 4) + g.inW / 2, sin, cos, rng.uniform(-4, 4) + g.inH / 2, 0, 0], b * 8);
    }
    return t;
  };
  const each = (g: ImageTransformInfo, row: number[]): Float32Array => {
    const t = new Float32Array(g.batch * 8);
    for (let b = 0; b < g.batch; b++) t.set(row, b * 8);
    return t;
  };
  const cases = [
    { label: 'rotate and zoom 2x7x9x3', g: info(2, 7, 9, 3) },
    { label: 'rotate and zoom 3x5x5x1', g: info(3, 5, 5, 1) },
    { label: 'rotate and zoom to another size 2x6x11x5 -> 9x4', g: info(2, 6, 11, 5, 9, 4) },
    { label: 'rotate and zoom 64x28x28x1 (threads)', g: info(64, 28, 28, 1) },
    { label: 'rotate and zoom 4x1x1x2 (one-pixel images)', g: info(4, 1, 1, 2) },
    { label: 'rotate and zoom 1x3x3x1 -> 1x1 (one output)', g: info(1, 3, 3, 1, 1, 1) },
    { label: 'rotate and zoom 1x1x1x1 -> 2x2 (one input)', g: info(1, 1, 1, 1, 2, 2) },
  ].map(({ label, g }) => ({ label, g, transforms: random(g) }));
  const flip = info(2, 6, 5, 3), shift = info(2, 6, 5, 3), projective = info(2, 8, 7, 2), resize = info(3, 10, 13, 3, 4, 6);
  return [
    ...cases,
    { label: 'horizontal flip', g: flip, transforms: each(flip, [-1, 0, 4, 0, 1, 0, 0, 0]) },
    { label: 'integer shift out of the image', g: shift, transforms: each(shift, [1, 0, -3, 0, 1, 2, 0, 0]) },
    { label: 'projective', g: projective, transforms: each(projective, [0.9, 0.2, 1.3, -0.1, 1.1, -0.7, 0.02, -0.03]) },
    { label: 'half-pixel resize 10x13 -> 4x6', g: resize, transforms: each(resize, [13 / 6, 0, 13 / 12 - 0.5, 0, 10 / 4, 10 / 8 - 0.5, 0, 0]) },
    { label: 'empty batch', g: info(0, 5, 5, 3), transforms: new Float32Array(0) },
    { label: 'empty output', g: info(2, 5, 5, 3, 0, 4), transforms: new Float32Array(16) },
  ];
}

/** [rows, cols]: odd widths, one column, empty rows and no rows, and enough rows to split over threads. */
const LAYER_NORMS: [number, number][] = [[1, 1], [3, 5], [7, 33], [64, 10], [5, 100], [2, 1000], [0, 7], [4, 0], [20_000, 37]];

function lastAxis(rng: Rng): Case<'softmax'>[] {
  const cases: Case<'softmax'>[] = ([[0, 5], [1, 1], [3, 1], [7, 10], [64, 10], [5, 100], [2, 1000], [20_000, 33]] as const).flatMap(([rows, cols]) =>
    [1, 60].map((scale) => ({
      label: `${rows}x${cols} scale ${scale}`,
      args: { x: uniform(rng, rows * cols, -scale, scale), out: f32(rows * cols), rows, cols },
      tolerance: { rtol: 1e-5, atol: 1e-6 },
    })),
  );
  // A row with NaN or +Infinity is all NaN (as in PyTorch and TensorFlow); -Infinity is a probability of 0;
  // a row of -Infinity only is NaN.
  const rows = [
    [1, NaN, 2, 3, 4, 5, 6, 7, 8], [Infinity, 1, 2, 3, 4, 5, 6, 7, 8], [-Infinity, 1, 2, 3, 4, 5, 6, 7, 8],
    [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
    [1, 2, 3, 4, 5, 6, 7, 8, NaN], [1, 2, 3, 4, 5, 6, 7, -Infinity, Infinity],
  ];
  cases.push({ label: 'NaN and infinities', args: { x: Float32Array.from(rows.flat()), out: f32(rows.length * 9), rows: rows.length, cols: 9 }, tolerance: { rtol: 1e-5, atol: 1e-6 } });
  cases.push({ label: 'NaN and infinities 300x37', args: { x: sprinkle(rng, uniform(rng, 300 * 37, -5, 5), 12), out: f32(300 * 37), rows: 300, cols: 37 }, tolerance: { rtol: 1e-5, atol: 1e-6 } });
  return cases;
}

/** A fresh generator per kernel, so one kernel's cases do not depend on another's. */
export function casesOf<K extends KernelName>(name: K): Case<K>[] {
  let seed = 0;
  for (const c of name) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
  return (CASES[name] as (rng: Rng) => Case<K>[])(new Rng(seed));
}
