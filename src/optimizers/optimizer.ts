/**
 * The optimizer base class. It counts iterations, evaluates the learning-rate schedule, clips gradients
 * (by value, by norm per variable, by global norm), applies decoupled weight decay, and keeps each
 * variable's slots. A concrete optimizer only declares its slots and its update rule, `updateStep`,
 * written once as maths on symbolic terms (as Keras writes `update_step`). Each step the rule is compiled
 * into one fused elementwise program (backend/expression.ts) that updates every variable and its slots
 * in place, in one pass over memory, with no new tensors.
 */
import { kernelsFor, onDevice } from '../backend/index.js';
import type { Program, Term } from '../backend/expression.js';
import { compile, operands } from '../backend/expression.js';
import { fdata } from '../ops/define-op.js';
import * as ops from '../ops/index.js';
import { fill } from '../tensor/creation.js';
import { noGrad } from '../tensor/tape.js';
import { kernelArray } from '../tensor/tensor.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import type { LearningRateSchedule } from './schedules.js';

export interface OptimizerOptions {
  /** A number or a schedule of the step count. */
  learningRate?: number | LearningRateSchedule;
  /** Each variable's gradient is rescaled so that its L2 norm is at most this. */
  clipnorm?: number;
  /** Gradients are clipped elementwise to [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** All gradients are rescaled together so that their joint L2 norm is at most this. */
  globalClipnorm?: number;
  /** Decoupled weight decay: each step first multiplies weights by (1 - learningRate * weightDecay). */
  weightDecay?: number;
}

/** What an update rule computes with: elements of the variable, its gradient and its slots. */
export interface UpdateTerms<S extends string = string> {
  readonly variable: Term;
  readonly gradient: Term;
  /** The slots this optimizer keeps (slotSpecs), by name. */
  readonly slots: Readonly<Record<S, Term>>;
}

/** New values of the variable and of the slots the rule changes (slots left out keep theirs). */
export type Updates<S extends string = string> = { readonly variable: Term } & Readonly<Partial<Record<S, Term>>>;

function optionalPositive(where: string, arg: string, v: number | undefined): number | null {
  if (v === undefined) return null;
  if (typeof v !== 'number' || !(v > 0)) throw new ValueError(`${where}: option '${arg}' expected a positive number, received ${describe(v)}`);
  return v;
}

function checkLearningRate(where: string, lr: unknown): number | LearningRateSchedule {
  if (typeof lr === 'number' && Number.isFinite(lr) && lr >= 0) return lr;
  if (typeof lr === 'object' && lr !== null && typeof (lr as LearningRateSchedule).at === 'function') return lr as LearningRateSchedule;
  throw new ValueError(`${where}: option 'learningRate' expected a non-negative number or a schedule, received ${describe(lr)}`);
}

export abstract class Optimizer {
  abstract readonly name: string;
  /** Updates applied so far (Keras's `iterations`). */
  iterations = 0;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly weightDecay: number | null;
  #learningRate: number | LearningRateSchedule;
  readonly #slots = new Map<Variable, Record<string, Tensor>>();

  constructor(options: OptimizerOptions, defaultLearningRate: number) {
    const where = new.target.name;
    this.#learningRate = checkLearningRate(where, options.learningRate ?? defaultLearningRate);
    this.clipnorm = optionalPositive(where, 'clipnorm', options.clipnorm);
    this.clipvalue = optionalPositive(where, 'clipvalue', options.clipvalue);
    this.globalClipnorm = optionalPositive(where, 'globalClipnorm', options.globalClipnorm);
    if (options.weightDecay !== undefined && (typeof options.weightDecay !== 'number' || !(options.weightDecay >= 0))) {
      throw new ValueError(`${where}: option 'weightDecay' expected a non-negative number, received ${describe(options.weightDecay)}`);
    }
    this.weightDecay = options.weightDecay ?? null;
    if (this.clipnorm !== null && this.globalClipnorm !== null) {
      throw new ValueError(`${where}: set at most one of 'clipnorm' and 'globalClipnorm'`);
    }
  }

  /** The learning rate of the next update (the schedule's value at the current step). */
  get learningRate(): number {
    const lr = this.#learningRate;
    return typeof lr === 'number' ? lr : lr.at(this.iterations);
  }

  /** Sets a constant learning rate (callbacks such as ReduceLROnPlateau use it). */
  set learningRate(value: number) {
    if (typeof this.#learningRate !== 'number') {
      throw new ValueError(`${this.name}: the learning rate follows the schedule ${this.#learningRate.name}; it cannot also be set directly`);
    }
    this.#learningRate = checkLearningRate(this.name, value);
  }

  /** The schedule, when the learning rate follows one. */
  get schedule(): LearningRateSchedule | null {
    return typeof this.#learningRate === 'number' ? null : this.#learningRate;
  }

  /** Slot names and their initial values for a variable (e.g. Adam's m and v, both 0). */
  protected abstract slotSpecs(): Readonly<Record<string, number>>;

  /**
   * The update rule: new values of the variable and of the slots it changes, as terms of the variable
   * (after weight decay), its gradient and its slots (each an element of the arrays, e.g.
   * `variable.sub(gradient.mul(lr))`). Called once per step with that step's learning rate.
   */
  protected abstract updateStep(terms: UpdateTerms, lr: number): Updates;

  /** The slots of `variable` (empty before its first update); the tensors are live, not copies. */
  slotsOf(variable: Variable): Readonly<Record<string, Tensor>> {
    return this.#slots.get(variable) ?? {};
  }

  /** The names of the slots this optimizer keeps for each variable (Adam: m and v). */
  get slotNames(): string[] {
    return Object.keys(this.slotSpecs());
  }

  /** Restores `variable`'s slots from saved values (resuming training); every slot, each of the variable's shape. */
  setSlots(variable: Variable, values: Readonly<Record<string, Tensor>>): void {
    const where = `${this.name}.setSlots('${variable.name}')`;
    const names = this.slotNames;
    const given = Object.keys(values);
    if (given.length !== names.length || !names.every((n) => n in values)) {
      throw new ValueError(`${where}: expected slots ${names.join(', ') || '(none)'}, received ${given.join(', ') || '(none)'}`);
    }
    const slots: Record<string, Tensor> = {};
    for (const name of names) {
      const value = values[name]!;
      if (!shapesEqual(value.shape, variable.shape)) throw new ShapeError(`${where}: slot '${name}' expected shape ${fmtShape(variable.shape)}, received ${fmtShape(value.shape)}`);
      const slot = fill(variable.shape, 0, { dtype: variable.dtype });
      kernelsFor(slot.dtype).cast({ x: kernelArray(value), out: kernelArray(slot) });
      slots[name] = slot;
    }
    this.#slots.set(variable, slots);
  }

  #ensureSlots(variable: Variable): void {
    if (this.#slots.has(variable)) return;
    const slots: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(this.slotSpecs())) slots[name] = fill(variable.shape, value, { dtype: variable.dtype });
    this.#slots.set(variable, slots);
  }

  /** Applies one update to every variable from its gradient. */
  applyGradients(gradients: ReadonlyMap<Variable, Tensor>): void {
    const pairs = [...gradients].filter(([v]) => v.trainable);
    for (const [v, g] of pairs) {
      if (!shapesEqual(g.shape, v.shape)) {
        throw new ShapeError(`${this.name}: the gradient of '${v.name}' has shape ${fmtShape(g.shape)}, expected the variable's ${fmtShape(v.shape)}`);
      }
    }
    const lr = this.learningRate;
    const clipped = noGrad(() => this.#clip(pairs));
    const names = this.slotNames;
    const { code, constants } = this.#compileStep(names, lr);
    pairs.forEach(([v], i) => {
      this.#ensureSlots(v);
      const g = clipped[i]!;
      const slots = this.#slots.get(v)!;
      const arrays = [fdata(v), fdata(g.dtype === v.dtype ? g : ops.cast(g, v.dtype)), ...names.map((n) => fdata(slots[n]!))];
      kernelsFor(v.dtype).expression({ operands: arrays, program: code, constants });
      // Keras projects a constrained weight right after its update (MaxNorm, NonNeg...).
      if (v.constraint) v.assign(noGrad(() => v.constraint!.apply(v)));
    });
    this.iterations++;
  }

  /** This step's rule as a program over [variable, gradient, ...slots], weight decay included. */
  #compileStep(names: readonly string[], lr: number): Program {
    const [variable, gradient, ...slotTerms] = operands(2 + names.length) as [Term, Term, ...Term[]];
    const decayed = this.weightDecay ? variable.mul(1 - lr * this.weightDecay) : variable;
    const slots = Object.fromEntries(names.map((n, i) => [n, slotTerms[i]!]));
    const updates: Readonly<Partial<Record<string, Term>>> = this.updateStep({ variable: decayed, gradient, slots }, lr);
    const stores: Record<number, Term> = { 0: updates['variable'] ?? decayed };
    names.forEach((n, i) => {
      const value = updates[n];
      if (value !== undefined) stores[2 + i] = value;
    });
    for (const key of Object.keys(updates)) {
      if (key !== 'variable' && !names.includes(key)) throw new ValueError(`${this.name}: the update rule sets '${key}', which is not a slot (${names.join(', ') || 'none'})`);
    }
    return compile(stores);
  }

  /** Gradients after clipping; new tensors, since a gradient may be shared by several variables. */
  #clip(pairs: [Variable, Tensor][]): Tensor[] {
    let grads = pairs.map(([, g]) => g);
    // Norms a device computes stay there (reading them would wait for it): the scale min(1, c / norm)
    // is applied as tensor maths instead of choosing in JavaScript.
    if ((this.clipnorm !== null || this.globalClipnorm !== null) && onDevice(grads.map(kernelArray))) return this.#clipOnDevice(grads);
    const norm = (g: Tensor): number => Math.sqrt(ops.sum(ops.square(g)).item());
    if (this.clipnorm !== null) {
      const c = this.clipnorm;
      grads = grads.map((g) => {
        const n = norm(g);
        return n > c ? ops.mul(g, c / n) : g;
      });
    }
    if (this.globalClipnorm !== null) {
      const total = Math.sqrt(grads.reduce((s, g) => s + norm(g) ** 2, 0));
      if (total > this.globalClipnorm) grads = grads.map((g) => ops.mul(g, this.globalClipnorm! / total));
    }
    if (this.clipvalue !== null) grads = grads.map((g) => ops.clip(g, -this.clipvalue!, this.clipvalue!));
    return grads;
  }

  #clipOnDevice(grads: Tensor[]): Tensor[] {
    const squares = (g: Tensor): Tensor => ops.sum(ops.square(g));
    const scaled = (g: Tensor, c: number, norm: Tensor): Tensor => ops.mul(g, ops.minimum(1, ops.div(c, norm)));
    if (this.clipnorm !== null) grads = grads.map((g) => scaled(g, this.clipnorm!, ops.sqrt(squares(g))));
    if (this.globalClipnorm !== null) {
      const total = ops.sqrt(grads.map(squares).reduce((a, b) => ops.add(a, b)));
      grads = grads.map((g) => scaled(g, this.globalClipnorm!, total));
    }
    if (this.clipvalue !== null) grads = grads.map((g) => ops.clip(g, -this.clipvalue!, this.clipvalue!));
    return grads;
  }
}
