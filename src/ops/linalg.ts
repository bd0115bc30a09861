/** Matrix products: matmul (2-D and batched, with transposes) and the fused dense op `linear`. */
import { is, optionsSpec } from '../util/checks.js';
import type { FusableActivation, MatmulInfo } from '../backend/kernels.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { broadcastShapes, shapesEqual, sizeOf } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { empty, fdata, floatOperand, k, op, operands, requireFloat } from './define-op.js';
import { fusedOutput, unaryGradFromOutput } from './fused.js';
import { sum } from './reduce.js';
import { reshape } from './shape.js';

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

function checkFlag(where: string, name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new ValueError(`${where}: option '${name}' expected a boolean, received ${describe(v)}`);
  return v;
}

interface Plan {
  info: MatmulInfo;
  outShape: number[];
}

function planMatmul(where: string, a: Tensor, b: Tensor, transA: boolean, transB: boolean): Plan {
  if (a.rank < 2) throw new ShapeError(`${where}: argument 'a' expected rank >= 2, received shape ${fmtShape(a.shape)}`);
  if (b.rank < 2) throw new ShapeError(`${where}: argument 'b' expected rank >= 2, received shape ${fmtShape(b.shape)}`);
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const m = transA ? ac : ar, ka = transA ? ar : ac;
  const kb = transB ? bc : br, n = transB ? br : bc;
  if (ka !== kb) {
    throw new ShapeError(
      `${where}: inner dimensions differ: a ${fmtShape(a.shape)}${transA ? ' (transposed)' : ''} has ${ka} columns but b ${fmtShape(b.shape)}${transB ? ' (transposed)' : ''} has ${kb} rows`,
    );
  }
  const aBatch = a.shape.slice(0, -2), bBatch = b.shape.slice(0, -2);
  const batchShape = broadcastShapes(where, aBatch, bBatch);
  const batch = sizeOf(batchShape);
  const aFull = sizeOf(aBatch) === batch, bFull = sizeOf(bBatch) === batch;
  if ((!aFull && sizeOf(aBatch) !== 1) || (!bFull && sizeOf(bBatch) !== 1)) {
    throw new ShapeError(`${where}: batch dimensions ${fmtShape(aBatch)} and ${fmtShape(bBatch)} must be equal or one of them a single matrix`);
  }
  return {
    info: { batch, m, n, k: ka, transA, transB, aBatchStride: aFull ? m * ka : 0, bBatchStride: bFull ? ka * n : 0 },
    outShape: [...batchShape, m, n],
  };
}

/** a @ b over the last two axes, broadcasting leading (batch) axes. */
const MATMUL_OPTIONS = optionsSpec({ transposeA: is.unknown, transposeB: is.unknown });

export function matmul(a: TensorLike, b: TensorLike, given: MatmulOptions = {}): Tensor {
  const options = MATMUL_OPTIONS.parse('matmul', given) as MatmulOptions;
  const [x, y] = operands('matmul', { a, b }) as [Tensor, Tensor];
  requireFloat('matmul', 'a', x);
  const transA = checkFlag('matmul', 'transposeA', options.transposeA);
  const transB = checkFlag('matmul', 'transposeB', options.transposeB);
  const { info, outShape } = planMatmul('matmul', x, y, transA, transB);
  return op(
    'matmul',
    [x, y],
    () => {
      const { t } = empty(x.dtype, outShape);
      k(x).matmul({ a: fdata(x), b: fdata(y), out: fdata(t), bias: null, product: info, activation: 'linear', alpha: 0 });
      return t;
    },
    (dy) => [
      // d/da of op(a) @ op(b): dy @ op(b)^T, laid out transposed again when a was used transposed.
      () => (transA ? matmul(y, dy, { transposeA: transB, transposeB: true }) : matmul(dy, y, { transposeB: !transB })),
      () => (transB ? matmul(dy, x, { transposeA: true, transposeB: transA }) : matmul(x, dy, { transposeA: !transA })),
    ],
  );
}

export interface LinearOptions {
  /** Added over the last axis. */
  bias?: TensorLike;
  /** Applied in the same pass as the product (default linear). */
  activation?: FusableActivation;
  /** Slope of leakyRelu / alpha of elu. */
  alpha?: number;
}

/** activation(x @ kernel + bias) in one fused pass: what a Dense layer computes. */
/** Unknown keys and options that are no object are refused here; each value is checked where it is read. */
const LINEAR_OPTIONS = optionsSpec({ bias: is.unknown, activation: is.unknown, alpha: is.unknown });

export function linear(x: TensorLike, kernel: TensorLike, given: LinearOptions = {}): Tensor {
  const options = LINEAR_OPTIONS.parse('linear', given) as LinearOptions;
  const xs = floatOperand('linear', 'x', x);
  const bias = options.bias === undefined ? undefined : floatOperand('linear', 'bias', options.bias);
  const [input, w] = operands('linear', { x: xs, kernel }) as [Tensor, Tensor];
  if (w.rank !== 2) throw new ShapeError(`linear: argument 'kernel' expected rank 2 [inputDim, units], received shape ${fmtShape(w.shape)}`);
  if (input.rank < 1 || input.shape[input.rank - 1] !== w.shape[0]) {
    throw new ShapeError(`linear: argument 'x' expected last dimension ${w.shape[0]} to match the kernel's ${fmtShape(w.shape)}, received shape ${fmtShape(input.shape)}`);
  }
  const units = w.shape[1]!;
  if (bias && !shapesEqual(bias.shape, [units])) {
    throw new ShapeError(`linear: argument 'bias' expected shape [${units}], received ${fmtShape(bias.shape)}`);
  }
  const activation = options.activation ?? 'linear';
  const alpha = options.alpha ?? (activation === 'leakyRelu' ? 0.3 : 1);
  // The leading dimensions, not size / inputDim: an input dimension of 0 would give NaN rows.
  const rows = sizeOf(input.shape.slice(0, -1));
  const flat = reshape(input, [rows, w.shape[0]!]);
  const outShape = [...input.shape.slice(0, -1), units];
  const inputs = bias ? [flat, w, bias] : [flat, w];
  const y = op(
    'linear',
    inputs,
    () => {
      const { t } = empty(input.dtype, [rows, units]);
      const product: MatmulInfo = { batch: 1, m: rows, n: units, k: w.shape[0]!, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      k(input).matmul({ a: fdata(flat), b: fdata(w), out: fdata(t), bias: bias ? fdata(bias) : null, product, activation, alpha });
      return fusedOutput(activation, t);
    },
    (dy, out) => {
      const dz = unaryGradFromOutput(activation, alpha, out, dy);
      return [() => matmul(dz, w, { transposeB: true }), () => matmul(flat, dz, { transposeA: true }), () => sum(dz, 0)];
    },
  );
  return reshape(y, outShape);
}
