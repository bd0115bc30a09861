/** Trainable state: a tensor whose values can be replaced in place (by optimizers and `assign`). */
import { alloc, kernelsFor } from '../backend/index.js';
import type { DType } from '../util/dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import { Tensor, storage } from './tensor.js';

let nextId = 0;

export interface VariableOptions {
  /** Whether gradients flow to it and optimizers update it (default true). */
  trainable?: boolean;
  name?: string;
}

export class Variable extends Tensor {
  readonly name: string;
  #trainable: boolean;

  /** Creates a variable holding a copy of `initial`'s values. */
  constructor(initial: Tensor, options: VariableOptions = {}) {
    // Storage comes from the active backend (WebAssembly memory when that backend is active) so that
    // optimizer kernels update weights in place without copying them in and out.
    const data = alloc(initial.dtype, initial.size);
    kernelsFor(initial.dtype).cast({ x: storage(initial), out: data });
    super(data, initial.shape);
    this.#trainable = options.trainable ?? true;
    this.requiresGrad = this.#trainable;
    this.name = options.name ?? `variable_${nextId++}`;
  }

  get trainable(): boolean {
    return this.#trainable;
  }

  set trainable(value: boolean) {
    this.#trainable = value;
    this.requiresGrad = value;
  }

  /** Copies `value`'s values into this variable (same shape and dtype). */
  assign(value: Tensor): void {
    if (!shapesEqual(value.shape, this.shape)) {
      throw new ShapeError(`Variable '${this.name}'.assign: expected shape ${fmtShape(this.shape)}, received ${fmtShape(value.shape)}`);
    }
    checkDType(this, value.dtype);
    if (value === this) return;
    kernelsFor(this.dtype).cast({ x: storage(value), out: storage(this) });
  }
}

function checkDType(v: Variable, dtype: DType): void {
  if (dtype !== v.dtype) {
    throw new DTypeError(`Variable '${v.name}'.assign: expected dtype ${v.dtype}, received ${dtype}`);
  }
}
