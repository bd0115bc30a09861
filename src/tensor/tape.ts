/**
 * Reverse-mode automatic differentiation. While a gradient computation (`grad`, `valueAndGrad`,
 * `variableGrads`) runs its function, every op whose inputs need gradients records a GradNode on its
 * output. The backward walk is iterative (no recursion, so deep graphs cannot overflow the stack),
 * accumulates gradients of tensors used several times, un-broadcasts in one place, and then drops the
 * graph so activations are freed as soon as the step is over.
 */
import type { TensorStorage } from '../backend/device-array.js';
import { allocOutput, kernelsFor, logAllocations, release } from '../backend/index.js';
import { DTypeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { broadcastStrides, shapesEqual, sizeOf } from '../util/shape.js';
import type { GradNode } from './tensor.js';
import { Tensor, kernelArray } from './tensor.js';
import { Variable } from './variable.js';

let tapeDepth = 0;
let pausedDepth = 0;

/** Whether an op with these inputs must record itself for backpropagation. */
export function mustRecord(inputs: readonly Tensor[]): boolean {
  if (tapeDepth === 0 || pausedDepth > 0) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/** Attaches the recorded operation to its output. */
export function record(output: Tensor, node: GradNode): void {
  output.requiresGrad = true;
  output.gradNode = node;
}

/** Runs `fn` without recording gradients (inference, metrics, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  pausedDepth++;
  try {
    return fn();
  } finally {
    pausedDepth--;
  }
}

function withTape<T>(fn: () => T): T {
  tapeDepth++;
  try {
    return fn();
  } finally {
    tapeDepth--;
  }
}

/** A new tensor sharing `t`'s data that gradients are taken with respect to. */
function trackedCopy(t: Tensor): Tensor {
  const copy = new Tensor(kernelArray(t), t.shape);
  copy.requiresGrad = true;
  return copy;
}

function checkScalar(where: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    throw new ValueError(`${where}: the function must return a Tensor, received ${describe(value)}`);
  }
  if (value.size !== 1) {
    throw new ValueError(`${where}: the function must return a scalar (one element) to differentiate, received shape ${fmtShape(value.shape)}`);
  }
  if (value.dtype !== 'float32' && value.dtype !== 'float64') {
    throw new DTypeError(`${where}: the function must return a float tensor, received dtype ${value.dtype}`);
  }
  return value;
}

/** Sums `g` over the dimensions that were broadcast so that it has `shape`. */
function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const k = kernelsFor(g.dtype);
  const out = allocOutput(g.dtype, sizeOf(shape));
  // Reduce one broadcast axis at a time as [outer, size, inner]; ranks are small so this stays cheap.
  let cur = kernelArray(g);
  let curShape = [...g.shape];
  const lead = curShape.length - shape.length;
  for (let axis = curShape.length - 1; axis >= 0; axis--) {
    const target = axis < lead ? 1 : shape[axis - lead]!;
    if (curShape[axis] === target) continue;
    const outer = sizeOf(curShape.slice(0, axis));
    const inner = sizeOf(curShape.slice(axis + 1));
    const next = allocOutput(g.dtype, outer * inner);
    k.reduce({ op: 'sum', x: cur, out: next, reduction: { outer, size: curShape[axis]!, inner } });
    cur = next;
    curShape[axis] = 1;
  }
  k.cast({ x: cur, out });
  return new Tensor(out, shape);
}

function accumulate(a: Tensor, b: Tensor): Tensor {
  const out = allocOutput(a.dtype, a.size);
  const shape = [...a.shape];
  kernelsFor(a.dtype).binary({
    op: 'add', a: kernelArray(a), b: kernelArray(b), out,
    broadcast: { shape, size: a.size, aStrides: broadcastStrides(a.shape, shape), bStrides: broadcastStrides(b.shape, shape) },
  });
  return new Tensor(out, shape);
}

/** Tensors reachable from `output` through recorded nodes, in reverse topological order (output first). */
function reverseTopological(output: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: { t: Tensor; next: number }[] = [{ t: output, next: 0 }];
  visited.add(output);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top.t.gradNode?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++]!;
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order.reverse();
}

/**
 * Gradient storage that nobody else can see. Every gradient and every temporary of a backward rule is
 * allocated during backprop and reachable only from the gradient map and the closures of the node being
 * processed (backward rules are library code; recording is off). So once a node is done, the storage it
 * allocated that is not a gradient in the map is dead, and so is the node's own incoming gradient unless
 * another map entry shares its storage or it is a gradient the caller asked for. Giving that memory back
 * at once lets the next backward rule reuse it while it is still in cache, instead of waiting for the
 * garbage collector (backends without their own memory ignore the release).
 */
class GradientMemory {
  readonly #allocated = new Set<TensorStorage>();
  readonly #inMap = new Map<TensorStorage, number>();
  readonly #keep: (t: Tensor) => boolean;

  constructor(keep: (t: Tensor) => boolean) {
    this.#keep = keep;
  }

  /** Runs `fn`, remembering what it allocated as gradient memory; returns fn's result and those arrays. */
  track<T>(fn: () => T): [T, TensorStorage[]] {
    const log: TensorStorage[] = [];
    const previous = logAllocations(log);
    try {
      return [fn(), log];
    } finally {
      logAllocations(previous);
      for (const a of log) this.#allocated.add(a);
      // A training step around this backprop releases what outlives it (the returned gradients) at its end.
      previous?.push(...log);
    }
  }

  entered(g: Tensor): void {
    const s = kernelArray(g);
    this.#inMap.set(s, (this.#inMap.get(s) ?? 0) + 1);
  }

  left(g: Tensor): void {
    const s = kernelArray(g);
    const n = (this.#inMap.get(s) ?? 1) - 1;
    if (n > 0) this.#inMap.set(s, n);
    else this.#inMap.delete(s);
  }

  /** Releases arrays from `candidates` that this backprop allocated and no map entry holds. */
  releaseUnused(candidates: Iterable<TensorStorage>): void {
    for (const a of candidates) {
      if (this.#allocated.has(a) && !this.#inMap.has(a)) {
        this.#allocated.delete(a);
        release(a);
      }
    }
  }

  /** At the end: everything allocated here except the gradients being returned. */
  finish(grads: Map<Tensor, Tensor>): void {
    const returned = new Set<TensorStorage>();
    for (const [t, g] of grads) if (this.#keep(t)) returned.add(kernelArray(g));
    for (const a of this.#allocated) if (!returned.has(a)) release(a);
    this.#allocated.clear();
  }

  keeps(t: Tensor): boolean {
    return this.#keep(t);
  }
}

/**
 * Backpropagates from scalar `output`; returns the gradients of the tensors `keep` selects (other entries
 * may be missing), then frees the graph.
 */
function backprop(output: Tensor, keep: (t: Tensor) => boolean): Map<Tensor, Tensor> {
  const grads = new Map<Tensor, Tensor>();
  const memory = new GradientMemory(keep);
  const set = (t: Tensor, g: Tensor): void => {
    const prev = grads.get(t);
    if (prev) memory.left(prev);
    grads.set(t, g);
    memory.entered(g);
  };
  const [seed] = memory.track(() => {
    const data = allocOutput(output.dtype, output.size);
    kernelsFor(output.dtype).fill({ out: data, value: 1 });
    return new Tensor(data, output.shape);
  });
  set(output, seed);
  const order = reverseTopological(output);
  try {
    for (const t of order) {
      const node = t.gradNode;
      const dy = grads.get(t);
      if (!node || !dy) continue;
      const [, allocated] = memory.track(() => {
        const thunks = noGrad(() => node.backward(dy));
        node.inputs.forEach((input, i) => {
          const thunk = thunks[i];
          if (!input.requiresGrad || !thunk) return;
          let g = noGrad(thunk);
          if (!shapesEqual(g.shape, input.shape)) g = sumTo(g, input.shape);
          if (g.dtype !== input.dtype) {
            const cast = allocOutput(input.dtype, g.size);
            kernelsFor(input.dtype).cast({ x: kernelArray(g), out: cast });
            g = new Tensor(cast, input.shape);
          }
          const prev = grads.get(input);
          set(input, prev ? accumulate(prev, g) : g);
        });
      });
      if (!memory.keeps(t)) {
        memory.left(dy);
        grads.delete(t);
        allocated.push(kernelArray(dy));
      }
      memory.releaseUnused(allocated);
    }
  } finally {
    for (const t of order) t.gradNode = null;
  }
  memory.finish(grads);
  return grads;
}

function zerosLike(t: Tensor): Tensor {
  const data = allocOutput(t.dtype, t.size);
  kernelsFor(t.dtype).fill({ out: data, value: 0 });
  return new Tensor(data, t.shape);
}

export interface ValueAndGrads {
  value: Tensor;
  grads: Tensor[];
}

/**
 * `valueAndGrad(f)(x1, x2, ...)` returns f's scalar value and its gradient with respect to each argument
 * (zeros for arguments f does not depend on).
 */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => ValueAndGrads {
  if (typeof f !== 'function') throw new ValueError(`valueAndGrad: argument 'f' expected a function, received ${describe(f)}`);
  return (...xs) => {
    xs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new ValueError(`valueAndGrad: argument ${i} expected a Tensor, received ${describe(x)}`);
    });
    const tracked = xs.map(trackedCopy);
    const value = checkScalar('valueAndGrad', withTape(() => f(...tracked)));
    const wanted = new Set(tracked);
    const grads = backprop(value, (t) => wanted.has(t));
    return { value: detached(value), grads: tracked.map((t) => grads.get(t) ?? zerosLike(t)) };
  };
}

/** `grad(f)(x1, x2, ...)` returns the gradient of f's scalar value with respect to each argument. */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  const vg = valueAndGrad(f);
  return (...xs) => vg(...xs).grads;
}

export interface VariableGrads {
  value: Tensor;
  grads: Map<Variable, Tensor>;
}

/**
 * Runs `f` and returns its scalar value and the gradient with respect to each trainable variable it used
 * (or to `variables` when given; zeros for those it did not use).
 */
export function variableGrads(f: () => Tensor, variables?: readonly Variable[]): VariableGrads {
  if (typeof f !== 'function') throw new ValueError(`variableGrads: argument 'f' expected a function, received ${describe(f)}`);
  const value = checkScalar('variableGrads', withTape(f));
  const wanted = variables ? new Set<Tensor>(variables) : null;
  const all = backprop(value, (t) => (wanted ? wanted.has(t) : t instanceof Variable && t.trainable));
  const grads = new Map<Variable, Tensor>();
  if (variables) {
    for (const v of variables) grads.set(v, v.trainable ? (all.get(v) ?? zerosLike(v)) : zerosLike(v));
  } else {
    for (const [t, g] of all) if (t instanceof Variable && t.trainable) grads.set(t, g);
  }
  return { value: detached(value), grads };
}

function detached(t: Tensor): Tensor {
  const out = new Tensor(kernelArray(t), t.shape);
  return out;
}
