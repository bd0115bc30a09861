/** Trainable state: a tensor whose values can be replaced in place (by optimizers and `assign`). */
import { allocOutput, kernelsFor } from '../backend/index.js';
import type { SpecFor } from '../util/checks.js';
import { checkArg, is, optionsSpec } from '../util/checks.js';
import type { DType } from '../util/dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import type { TensorLike } from './creation.js';
import { toTensor } from './creation.js';
import { Tensor, kernelArray } from './tensor.js';

let nextId = 0;

/** A projection applied to the variable after every optimizer step (a weight constraint, nn/constraints). */
export interface VariableConstraint {
  apply(value: Tensor): Tensor;
}

export interface VariableOptions {
  /** Whether gradients flow to it and optimizers update it (default true). */
  trainable?: boolean;
  name?: string;
  /** Applied to the new value after each optimizer update, as Keras does (e.g. MaxNorm). */
  constraint?: VariableConstraint | null;
}

const OPTIONS = optionsSpec({
  trainable: is.boolean.default(true),
  name: is.nonEmptyString.optional(),
  constraint: is.satisfying('an object with an apply(value) method', (v): v is VariableConstraint | null => v === null || (typeof v === 'object' && typeof (v as VariableConstraint).apply === 'function')).optional(),
} satisfies SpecFor<VariableOptions>);

export class Variable extends Tensor {
  readonly name: string;
  /** Applied by optimizers after each update of this variable; null without one. */
  readonly constraint: VariableConstraint | null;
  #trainable: boolean;

  /** Creates a variable holding a copy of `initial`'s values (a tensor, or anything tensor() reads). */
  constructor(initial: TensorLike, options: VariableOptions = {}) {
    const { trainable, name, constraint } = OPTIONS.parse('Variable', options);
    const values = toTensor('Variable', 'initial', initial);
    // Storage comes from the active backend (WebAssembly memory, or a GPU buffer, when that backend is
    // active) so that optimizer kernels update weights in place without copying them in and out.
    const data = allocOutput(values.dtype, values.size);
    kernelsFor(values.dtype).cast({ x: kernelArray(values), out: data });
    super(data, values.shape);
    this.#trainable = trainable;
    this.requiresGrad = trainable;
    this.name = name ?? `variable_${nextId++}`;
    this.constraint = constraint ?? null;
  }

  get trainable(): boolean {
    return this.#trainable;
  }

  set trainable(value: boolean) {
    checkArg(`Variable '${this.name}'`, 'trainable', value, is.boolean);
    this.#trainable = value;
    this.requiresGrad = value;
  }

  /** Copies `value`'s values into this variable (same shape and dtype). */
  assign(value: Tensor): void {
    checkArg(`Variable '${this.name}'.assign`, 'value', value, is.instanceOf(Tensor));
    if (!shapesEqual(value.shape, this.shape)) {
      throw new ShapeError(`Variable '${this.name}'.assign: expected shape ${fmtShape(this.shape)}, received ${fmtShape(value.shape)}`);
    }
    checkDType(this, value.dtype);
    if (value === this) return;
    kernelsFor(this.dtype).cast({ x: kernelArray(value), out: kernelArray(this) });
  }
}

function checkDType(v: Variable, dtype: DType): void {
  if (dtype !== v.dtype) {
    throw new DTypeError(`Variable '${v.name}'.assign: expected dtype ${v.dtype}, received ${dtype}`);
  }
}
