/** Shape and data-movement ops. Reshapes share storage (tensors are immutable); the rest copy. */
import type { GatherInfo } from '../backend/kernels.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { broadcastShapes, broadcastStrides, checkShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { onDevice } from '../backend/index.js';
import { Tensor, kernelArray, storage } from '../tensor/tensor.js';
import { castTo, empty, fdata, idata, k, op, opNoGrad, operands } from './define-op.js';

/** A new shape for the same values; one dimension may be -1 (inferred). */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('reshape', 'x', x);
  const target = resolveShape(t, shape);
  if (shapesEqual(target, t.shape)) return t;
  return op('reshape', [t], () => new Tensor(kernelArray(t), target), (dy) => [() => reshape(dy, t.shape)]);
}

function resolveShape(t: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ValueError(`reshape: argument 'shape' expected an array of integers, received ${describe(shape)}`);
  // some, not find: a hole of a sparse array is found as undefined, which find cannot tell from no match.
  const bad = Array.from(shape).some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < -1);
  if (bad) {
    throw new ValueError(`reshape: argument 'shape' expected non-negative integers (and at most one -1), received ${Array.from(shape).every((d) => typeof d === 'number') ? fmtShape(shape) : describe(shape)}`);
  }
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new ValueError(`reshape: argument 'shape' may contain at most one -1, received ${fmtShape(shape)}`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  if (unknown === 1) {
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer the -1 in ${fmtShape(shape)} for a tensor of shape ${fmtShape(t.shape)} (size ${t.size})`);
    }
    return shape.map((d) => (d === -1 ? t.size / known : d));
  }
  if (known !== t.size) {
    throw new ShapeError(`reshape: argument 'shape' ${fmtShape(shape)} (size ${known}) does not match the input's shape ${fmtShape(t.shape)} (size ${t.size})`);
  }
  return [...shape];
}

/** Permutes the axes (reverses them by default). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor('transpose', 'x', x);
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  const sorted = Array.isArray(p) && p.every((v) => typeof v === 'number') ? [...p].sort((a, b) => a - b) : null;
  if (sorted === null || p.length !== t.rank || sorted.some((v, i) => v !== i)) {
    throw new ShapeError(`transpose: argument 'perm' expected a permutation of [0, …, ${t.rank - 1}], received ${describe(perm)}`);
  }
  if (p.every((v, i) => v === i)) return t;
  const inverse = new Array<number>(p.length);
  p.forEach((v, i) => (inverse[v] = i));
  return op(
    'transpose',
    [t],
    () => {
      const { t: out, data } = empty(t.dtype, p.map((a) => t.shape[a]!));
      k(t).transpose({ x: kernelArray(t), out: data, shape: t.shape, perm: p });
      return out;
    },
    (dy) => [() => transpose(dy, inverse)],
  );
}

/** Inserts a dimension of size 1 at `axis`. */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor('expandDims', 'x', x);
  const a = normalizeAxis('expandDims', axis, t.rank + 1);
  const shape = [...t.shape];
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/** Removes dimensions of size 1 (all of them, or those in `axes`, which must have size 1). */
export function squeeze(x: TensorLike, axes?: number | readonly number[]): Tensor {
  const t = toTensor('squeeze', 'x', x);
  const drop = axes === undefined ? t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axes, t.rank);
  for (const a of drop) {
    if (t.shape[a] !== 1) throw new ShapeError(`squeeze: argument 'axes' names axis ${a}, which has size ${t.shape[a]} (expected 1) in shape ${fmtShape(t.shape)}`);
  }
  return reshape(t, t.shape.filter((_, i) => !drop.includes(i)));
}

/** A copy of the values broadcast to `shape` (NumPy rules). */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('broadcastTo', 'x', x);
  const target = checkShape('broadcastTo', 'shape', shape);
  const result = broadcastShapes('broadcastTo', t.shape, target);
  if (!shapesEqual(result, target)) {
    throw new ShapeError(`broadcastTo: a tensor of shape ${fmtShape(t.shape)} cannot be broadcast to ${fmtShape(target)}`);
  }
  if (shapesEqual(t.shape, target)) return t;
  return op(
    'broadcastTo',
    [t],
    () => {
      const { t: out, data } = empty(t.dtype, target);
      const zero = empty(t.dtype, []);
      k(t).fill({ out: zero.data, value: 0 });
      k(t).binary({
        op: 'add', a: kernelArray(t), b: zero.data, out: data,
        broadcast: { shape: target, size: sizeOf(target), aStrides: broadcastStrides(t.shape, target), bStrides: target.map(() => 0) },
      });
      return out;
    },
    (dy) => [() => dy],
  );
}

/** The block starting at `begin` with `size` (a size of -1 runs to the end of that axis). */
export function slice(x: TensorLike, begin: readonly number[], size?: readonly number[]): Tensor {
  const t = toTensor('slice', 'x', x);
  if (!Array.isArray(begin) || begin.length !== t.rank || !begin.every((b) => Number.isInteger(b) && b >= 0)) {
    throw new ShapeError(`slice: argument 'begin' expected ${t.rank} non-negative integers for shape ${fmtShape(t.shape)}, received ${describe(begin)}`);
  }
  const sz = (size ?? begin.map(() => -1)).map((s, i) => (s === -1 ? t.shape[i]! - begin[i]! : s));
  if (sz.length !== t.rank || !sz.every((s, i) => Number.isInteger(s) && s >= 0 && begin[i]! + s <= t.shape[i]!)) {
    throw new ShapeError(
      `slice: argument 'size' expected ${t.rank} sizes with begin + size within shape ${fmtShape(t.shape)}, received begin ${fmtShape(begin)} and size ${describe(size)}`,
    );
  }
  if (shapesEqual(sz, t.shape)) return t;
  return op(
    'slice',
    [t],
    () => {
      const { t: out, data } = empty(t.dtype, sz);
      k(t).slice({ x: kernelArray(t), out: data, shape: t.shape, begin, size: sz });
      return out;
    },
    (dy) => [() => pad(dy, t.shape.map((d, i) => [begin[i]!, d - begin[i]! - sz[i]!] as [number, number]))],
  );
}

/** Pads each axis with `paddings[axis] = [before, after]` copies of `value`. */
export function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  const t = toTensor('pad', 'x', x);
  const ok =
    Array.isArray(paddings) &&
    paddings.length === t.rank &&
    paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) {
    throw new ShapeError(`pad: argument 'paddings' expected ${t.rank} pairs [before, after] of non-negative integers, received ${describe(paddings)}`);
  }
  if (typeof value !== 'number') throw new ValueError(`pad: argument 'value' expected a number, received ${describe(value)}`);
  const before = paddings.map((p) => p[0]);
  const after = paddings.map((p) => p[1]);
  if (before.every((b) => b === 0) && after.every((a) => a === 0)) return t;
  return op(
    'pad',
    [t],
    () => {
      const { t: out, data } = empty(t.dtype, t.shape.map((d, i) => d + before[i]! + after[i]!));
      k(t).pad({ x: kernelArray(t), out: data, shape: t.shape, before, after, value });
      return out;
    },
    (dy) => [() => slice(dy, before, t.shape)],
  );
}

/** Joins tensors along an existing axis. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(`concat: argument 'xs' expected a non-empty array of tensors, received ${describe(xs)}`);
  const ts = operands('concat', Object.fromEntries(xs.map((x, i) => [`xs[${i}]`, x])));
  const first = ts[0]!;
  if (first.rank === 0) throw new ShapeError(`concat: argument 'xs' expected tensors of rank 1 or more (scalars have no axis to join along; stack makes a vector of them), received scalars`);
  const a = normalizeAxis('concat', axis, first.rank);
  ts.forEach((t, i) => {
    if (t.rank !== first.rank || t.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      throw new ShapeError(`concat: argument 'xs[${i}]' expected shape ${fmtShape(first.shape.map((d, j) => (j === a ? -1 : d)))} (any size on axis ${a}), received ${fmtShape(t.shape)}`);
    }
  });
  if (ts.length === 1) return first;
  const outer = sizeOf(first.shape.slice(0, a));
  const inner = sizeOf(first.shape.slice(a + 1));
  const outShape = [...first.shape];
  outShape[a] = ts.reduce((s, t) => s + t.shape[a]!, 0);
  return op(
    'concat',
    ts,
    () => {
      const { t: out, data } = empty(first.dtype, outShape);
      k(first).concat({ inputs: ts.map(kernelArray), out: data, outer, widths: ts.map((t) => t.shape[a]! * inner) });
      return out;
    },
    (dy) => {
      let offset = 0;
      return ts.map((t) => {
        const begin = outShape.map((_, j) => (j === a ? offset : 0));
        offset += t.shape[a]!;
        return () => slice(dy, begin, t.shape);
      });
    },
  );
}

/** Joins tensors of one shape along a new axis. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(`stack: argument 'xs' expected a non-empty array of tensors, received ${describe(xs)}`);
  const ts = operands('stack', Object.fromEntries(xs.map((x, i) => [`xs[${i}]`, x])));
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, ts[0]!.shape)) throw new ShapeError(`stack: argument 'xs[${i}]' expected shape ${fmtShape(ts[0]!.shape)} like xs[0], received ${fmtShape(t.shape)}`);
  });
  const a = normalizeAxis('stack', axis, ts[0]!.rank + 1);
  return concat(ts.map((t) => expandDims(t, a)), a);
}

function indexTensor(where: string, indices: TensorLike, axisSize: number): Tensor {
  const idx = toTensor(where, 'indices', indices, 'int32');
  if (idx.dtype !== 'int32') throw new ValueError(`${where}: argument 'indices' expected int32 values, received dtype ${idx.dtype}`);
  // Indices a device holds are not checked here (reading them would wait for it); its kernels skip rows out of range.
  if (onDevice([kernelArray(idx)])) return idx;
  const d = storage(idx);
  for (let i = 0; i < d.length; i++) {
    if (d[i]! < 0 || d[i]! >= axisSize) {
      throw new ShapeError(`${where}: argument 'indices' expected values in [0, ${axisSize - 1}], received ${d[i]} at position ${i}`);
    }
  }
  return idx;
}

/** Picks slices along `axis` at `indices` (any shape); the result has indices' shape in place of that axis. */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = toTensor('gather', 'x', x);
  const a = normalizeAxis('gather', axis, t.rank);
  const idx = indexTensor('gather', indices, t.shape[a]!);
  const g: GatherInfo = { outer: sizeOf(t.shape.slice(0, a)), axisSize: t.shape[a]!, inner: sizeOf(t.shape.slice(a + 1)) };
  const outShape = [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)];
  return op(
    'gather',
    [t],
    () => {
      const { t: out, data } = empty(t.dtype, outShape);
      k(t).gather({ x: kernelArray(t), indices: idata(idx), out: data, gather: g });
      return out;
    },
    (dy) => [
      () => {
        const { t: dx } = empty(t.dtype, t.shape);
        k(t).scatterAdd({ updates: fdata(dy), indices: idata(idx), out: fdata(dx), gather: g });
        return dx;
      },
    ],
  );
}

/** One-hot encoding of integer labels: shape [...indices.shape, depth], float32; out-of-range labels give all zeros. */
export function oneHot(indices: TensorLike, depth: number, options: { onValue?: number; offValue?: number } = {}): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new ValueError(`oneHot: argument 'depth' expected a positive integer, received ${describe(depth)}`);
  const idx = toTensor('oneHot', 'indices', indices, 'int32');
  if (!onDevice([kernelArray(idx)])) {
    const d = storage(idx);
    for (let i = 0; i < d.length; i++) {
      if (!Number.isInteger(d[i]!)) throw new ValueError(`oneHot: argument 'indices' expected integers, received ${d[i]} at position ${i}`);
    }
  }
  const ints = idx.dtype === 'int32' ? idx : castTo(idx, 'int32');
  return opNoGrad('oneHot', [ints], () => {
    const { t, data } = empty('float32', [...idx.shape, depth]);
    k(t).oneHot({ indices: idata(ints), out: data, depth, onValue: options.onValue ?? 1, offValue: options.offValue ?? 0 });
    return t;
  });
}
