/**
 * What a check of the model doctor is: a name, the stage it runs at (compile, or fit with the data), and
 * a function from what it looks at to its findings, each saying what is wrong, why, and how to fix it.
 */
import type { BaseLayer } from '../../layers/index.js';
import type { Loss } from '../../losses/index.js';
import type { Optimizer } from '../../optimizers/index.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface DoctorFinding {
  /** The check that found it. */
  check: string;
  message: string;
}

export interface DoctorContext {
  /** The layer that produces the model's output and the activation applied last on the way out. */
  output: { layer: BaseLayer; activation: string; units: number | null } | null;
  loss: Loss;
  optimizer: Optimizer;
  /** The names of the compiled metrics. */
  metrics?: readonly string[];
  /** The model's layers, in order. */
  layers?: readonly BaseLayer[];
  /** Training data, for the checks that run at fit. */
  x?: Tensor;
  y?: Tensor;
  /** The validation labels, when fit validates; `split` when they are the last samples (validationSplit). */
  validation?: { y: Tensor; split: boolean };
}

export interface DoctorCheck {
  readonly name: string;
  readonly stage: 'compile' | 'fit';
  run(context: DoctorContext): DoctorFinding[];
}
