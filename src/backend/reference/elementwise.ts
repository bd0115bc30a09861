/** Elementwise kernels of the reference backend: plain loops, every dtype, the oracle for fast backends. */
import type { FloatArray, TypedArray } from '../../util/dtype.js';
import { CONSTANT_SOURCE, EXPRESSION_OPS, EXPRESSION_REGISTERS, OPERAND_SOURCE } from '../expression.js';
import type { BinaryOp, CompareOp, DifferentiableUnaryOp, Kernels, UnaryOp } from '../kernels.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Exact GELU (Keras's default `approximate=False`): x * Phi(x). */
function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** erf with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), enough for float32 and gradient checks. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

function softplus(x: number): number {
  // log(1 + e^x) without overflow for large x and without losing precision for very negative x.
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function unaryFn(op: UnaryOp, alpha: number): (x: number) => number {
  switch (op) {
    case 'neg': return (x) => -x;
    case 'abs': return Math.abs;
    case 'sign': return (x) => (x > 0 ? 1 : x < 0 ? -1 : x); // NaN and ±0 pass through, as in NumPy
    case 'sqrt': return Math.sqrt;
    case 'rsqrt': return (x) => 1 / Math.sqrt(x);
    case 'square': return (x) => x * x;
    case 'exp': return Math.exp;
    case 'log': return Math.log;
    case 'log1p': return Math.log1p;
    case 'reciprocal': return (x) => 1 / x;
    // NaN stays NaN (as in TensorFlow and PyTorch): `x > 0 ? x : 0` would hide a NaN input as 0.
    case 'relu': return (x) => (x <= 0 ? 0 : x);
    case 'leakyRelu': return (x) => (x > 0 ? x : alpha * x);
    case 'elu': return (x) => (x > 0 ? x : alpha * Math.expm1(x));
    case 'selu': return (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x));
    case 'gelu': return gelu;
    case 'sigmoid': return sigmoid;
    case 'tanh': return Math.tanh;
    case 'softplus': return softplus;
    case 'floor': return Math.floor;
    case 'ceil': return Math.ceil;
    case 'round': return roundHalfEven;
    default: return op satisfies never;
  }
}

/** Rounds half to even, as NumPy, TensorFlow and PyTorch do. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * f'(x) as a function of x and y = f(x). The fusable activations (see kernels.ts) use y only, so fused
 * matmul/conv backward passes may give y for x.
 */
export function derivativeFn(op: DifferentiableUnaryOp, alpha: number): (x: number, y: number) => number {
  switch (op) {
    case 'neg': return () => -1;
    case 'abs': return (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
    case 'sqrt': return (_x, y) => 0.5 / y;
    case 'rsqrt': return (x, y) => (-0.5 * y) / x;
    case 'square': return (x) => 2 * x;
    case 'exp': return (_x, y) => y;
    case 'log': return (x) => 1 / x;
    case 'log1p': return (x) => 1 / (1 + x);
    case 'reciprocal': return (_x, y) => -y * y;
    case 'relu': return (_x, y) => (y > 0 ? 1 : 0);
    case 'leakyRelu': return (_x, y) => (y > 0 ? 1 : alpha);
    case 'elu': return (_x, y) => (y > 0 ? 1 : y + alpha);
    case 'selu': return (_x, y) => (y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA);
    case 'gelu':
      return (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
    case 'sigmoid': return (_x, y) => y * (1 - y);
    case 'tanh': return (_x, y) => 1 - y * y;
    case 'softplus': return (_x, y) => -Math.expm1(-y);
    default: return op satisfies never;
  }
}

export function binaryFn(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'pow': return Math.pow;
    case 'maximum': return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b);
    case 'minimum': return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b);
    default: return op satisfies never;
  }
}

export function compareFn(op: CompareOp): (a: number, b: number) => boolean {
  switch (op) {
    case 'equal': return (a, b) => a === b;
    case 'notEqual': return (a, b) => a !== b;
    case 'less': return (a, b) => a < b;
    case 'lessEqual': return (a, b) => a <= b;
    case 'greater': return (a, b) => a > b;
    case 'greaterEqual': return (a, b) => a >= b;
    case 'logicalAnd': return (a, b) => a !== 0 && b !== 0;
    case 'logicalOr': return (a, b) => a !== 0 || b !== 0;
    default: return op satisfies never;
  }
}

/**
 * Visits every element of a broadcast result, calling `visit(outIndex, offsets...)` with the flat offsets
 * of each operand. Iterates with an odometer over the output shape (no per-element division).
 */
export function forEachBroadcast(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  visit: (i: number, offsets: Int32Array) => void,
): void {
  const rank = shape.length;
  const size = shape.reduce((p, d) => p * d, 1);
  if (size === 0) return;
  const offsets = new Int32Array(strides.length);
  const counter = new Int32Array(rank);
  for (let i = 0; i < size; i++) {
    visit(i, offsets);
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      for (let s = 0; s < strides.length; s++) offsets[s]! += strides[s]![d]!;
      if (counter[d]! < shape[d]!) break;
      for (let s = 0; s < strides.length; s++) offsets[s]! -= strides[s]![d]! * shape[d]!;
      counter[d] = 0;
    }
  }
}

export const elementwiseKernels: Pick<
  Kernels,
  'unary' | 'unaryGrad' | 'binary' | 'compare' | 'where' | 'clip' | 'cast' | 'fill' | 'expression'
> = {
  unary({ op, x, out, alpha }) {
    const f = unaryFn(op, alpha);
    for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  },
  unaryGrad({ op, x, y, dy, out, alpha }) {
    const d = derivativeFn(op, alpha);
    for (let i = 0; i < out.length; i++) out[i] = dy[i]! * d(x[i]!, y[i]!);
  },
  binary({ op, a, b, out, broadcast: bc }) {
    const f = binaryFn(op);
    if (a.length === bc.size && b.length === bc.size) {
      for (let i = 0; i < bc.size; i++) out[i] = f(a[i]!, b[i]!);
      return;
    }
    forEachBroadcast(bc.shape, [bc.aStrides, bc.bStrides], (i, o) => {
      out[i] = f(a[o[0]!]!, b[o[1]!]!);
    });
  },
  compare({ op, a, b, out, broadcast: bc }) {
    const f = compareFn(op);
    forEachBroadcast(bc.shape, [bc.aStrides, bc.bStrides], (i, o) => {
      out[i] = f(a[o[0]!]!, b[o[1]!]!) ? 1 : 0;
    });
  },
  where({ cond, a, b, out, broadcast: bc, condStrides }) {
    forEachBroadcast(bc.shape, [condStrides, bc.aStrides, bc.bStrides], (i, o) => {
      out[i] = cond[o[0]!]! ? a[o[1]!]! : b[o[2]!]!;
    });
  },
  clip({ x, out, low, high }) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v < low ? low : v > high ? high : v;
    }
  },
  cast({ x, out }) {
    castInto(x, out);
  },
  fill({ out, value }) {
    out.fill(value);
  },
  expression({ operands, program, constants }) {
    evaluate(operands, program, constants);
  },
};

/** Elements evaluated per pass of the program: each instruction is a tight loop over a block. */
const BLOCK = 256;

/** Runs an expression program (../expression.ts) over its operands in float64. */
function evaluate(operands: readonly FloatArray[], code: readonly number[], constants: readonly number[]): void {
  const n = operands[0]?.length ?? 0;
  const registers = Array.from({ length: EXPRESSION_REGISTERS }, () => new Float64Array(BLOCK));
  const numbers = [new Float64Array(BLOCK), new Float64Array(BLOCK)];
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    // A source's values for this block: a register, a number (spread over `side`'s buffer), or an operand's elements.
    const read = (s: number, side: 0 | 1): { array: ArrayLike<number>; at: number } => {
      if (s < CONSTANT_SOURCE) return { array: registers[s]!, at: 0 };
      if (s < OPERAND_SOURCE) return { array: numbers[side]!.fill(constants[s - CONSTANT_SOURCE]!, 0, m), at: 0 };
      return { array: operands[s - OPERAND_SOURCE]!, at: start };
    };
    for (let pc = 0; pc < code.length; pc += 4) {
      const op = EXPRESSION_OPS[code[pc]!]!;
      const a = code[pc + 2]!, b = code[pc + 3]!;
      if (op === 'store') {
        const target = operands[a]!, src = registers[b]!;
        for (let i = 0; i < m; i++) target[start + i] = src[i]!;
        continue;
      }
      const dst = registers[code[pc + 1]!]!;
      const x = read(a, 0);
      if (op === 'copy') {
        for (let i = 0; i < m; i++) dst[i] = x.array[x.at + i]!;
      } else if (op === 'add' || op === 'sub' || op === 'mul' || op === 'div' || op === 'maximum' || op === 'minimum') {
        const y = read(b, 1), f = binaryFn(op);
        for (let i = 0; i < m; i++) dst[i] = f(x.array[x.at + i]!, y.array[y.at + i]!);
      } else {
        const f = unaryFn(op, 0);
        for (let i = 0; i < m; i++) dst[i] = f(x.array[x.at + i]!);
      }
    }
  }
}

function castInto(x: TypedArray, out: TypedArray): void {
  if (out instanceof Int32Array && !(x instanceof Int32Array || x instanceof Uint8Array)) {
    for (let i = 0; i < x.length; i++) out[i] = Math.trunc(x[i]!);
  } else if (out instanceof Uint8Array) {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! !== 0 ? 1 : 0;
  } else {
    for (let i = 0; i < x.length; i++) out[i] = x[i]!;
  }
}

