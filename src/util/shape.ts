/** Shapes, strides, broadcasting and axes: pure functions on number arrays. */
import { checkArg, is } from './checks.js';
import { ShapeError, describe, fmtShape } from './errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Checks that every dimension is a non-negative integer; `where` names the op or layer for the message. */
export function checkShape(where: string, arg: string, shape: unknown): number[] {
  return checkArg(where, arg, shape, is.shape);
}

/** NumPy broadcasting of two shapes; throws naming the op when they are incompatible. */
export function broadcastShapes(where: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${where}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together (dimension ${i} of the result: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read as if broadcast to `outShape`: 0 along broadcast dimensions. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(outShape.length).fill(0);
  const offset = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[offset + i] = shape[i] === 1 ? 0 : own[i]!;
  return out;
}

/** Resolves a possibly negative axis against `rank`; the message names the op and the argument. */
export function normalizeAxis(where: string, axis: number, rank: number, arg = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    const range = rank === 0 ? 'no axis (the input is a scalar)' : `an integer in [${-rank}, ${rank - 1}]`;
    throw new ShapeError(`${where}: argument '${arg}' expected ${range}, received ${describe(axis)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Resolves an axis list (undefined means all axes), sorted and without duplicates. */
export function normalizeAxes(where: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new ShapeError(`${where}: argument 'axes' expected an axis (an integer) or an array of axes, received ${describe(axes)}`);
  }
  const list: readonly number[] = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(where, a, rank, 'axes'));
  const unique = [...new Set(out)].sort((x, y) => x - y);
  if (unique.length !== out.length) {
    throw new ShapeError(`${where}: argument 'axes' expected distinct axes, received ${describe(list)}`);
  }
  return unique;
}
