/**
 * Reverse-mode automatic differentiation. While a gradient computation (`grad`, `valueAndGrad`,
 * `variableGrads`) runs its function, every op whose inputs need gradients records a GradNode on its
 * output. The backward walk is iterative (no recursion, so deep graphs cannot overflow the stack),
 * accumulates gradients of tensors used several times, un-broadcasts in one place, and then drops the
 * graph so activations are freed as soon as the step is over.
 */
import { kernelsFor } from '../backend/index.js';
import { alloc } from '../backend/index.js';
import { DTypeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { broadcastStrides, shapesEqual, sizeOf } from '../util/shape.js';
import type { GradNode } from './tensor.js';
import { Tensor, storage } from './tensor.js';
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
  const copy = new Tensor(storage(t), t.shape);
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
  const out = alloc(g.dtype, sizeOf(shape));
  // Reduce one broadcast axis at a time as [outer, size, inner]; ranks are small so this stays cheap.
  let cur = storage(g);
  let curShape = [...g.shape];
  const lead = curShape.length - shape.length;
  for (let axis = curShape.length - 1; axis >= 0; axis--) {
    const target = axis < lead ? 1 : shape[axis - lead]!;
    if (curShape[axis] === target) continue;
    const outer = sizeOf(curShape.slice(0, axis));
    const inner = sizeOf(curShape.slice(axis + 1));
    const next = alloc(g.dtype, outer * inner);
    k.reduce('sum', cur, next, { outer, size: curShape[axis]!, inner });
    cur = next;
    curShape[axis] = 1;
  }
  k.cast(cur, out);
  return new Tensor(out, shape);
}

function accumulate(a: Tensor, b: Tensor): Tensor {
  const out = alloc(a.dtype, a.size);
  const shape = [...a.shape];
  kernelsFor(a.dtype).binary('add', storage(a), storage(b), out, {
    shape,
    size: a.size,
    aStrides: broadcastStrides(a.shape, shape),
    bStrides: broadcastStrides(b.shape, shape),
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

/** Backpropagates from scalar `output`; returns the gradient of every tensor reached, then frees the graph. */
function backprop(output: Tensor): Map<Tensor, Tensor> {
  const grads = new Map<Tensor, Tensor>();
  const seed = alloc(output.dtype, output.size);
  kernelsFor(output.dtype).fill(seed, 1);
  grads.set(output, new Tensor(seed, output.shape));
  const order = reverseTopological(output);
  for (const t of order) {
    const node = t.gradNode;
    const dy = grads.get(t);
    if (!node || !dy) continue;
    const thunks = noGrad(() => node.backward(dy));
    node.inputs.forEach((input, i) => {
      const thunk = thunks[i];
      if (!input.requiresGrad || !thunk) return;
      let g = noGrad(thunk);
      if (!shapesEqual(g.shape, input.shape)) g = sumTo(g, input.shape);
      if (g.dtype !== input.dtype) {
        const cast = alloc(input.dtype, g.size);
        kernelsFor(input.dtype).cast(storage(g), cast);
        g = new Tensor(cast, input.shape);
      }
      const prev = grads.get(input);
      grads.set(input, prev ? accumulate(prev, g) : g);
    });
  }
  for (const t of order) t.gradNode = null;
  return grads;
}

function zerosLike(t: Tensor): Tensor {
  const data = alloc(t.dtype, t.size);
  kernelsFor(t.dtype).fill(data, 0);
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
    const grads = backprop(value);
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
  const all = backprop(value);
  const grads = new Map<Variable, Tensor>();
  if (variables) {
    for (const v of variables) grads.set(v, v.trainable ? (all.get(v) ?? zerosLike(v)) : zerosLike(v));
  } else {
    for (const [t, g] of all) if (t instanceof Variable && t.trainable) grads.set(t, g);
  }
  return { value: detached(value), grads };
}

function detached(t: Tensor): Tensor {
  const out = new Tensor(storage(t), t.shape);
  return out;
}
