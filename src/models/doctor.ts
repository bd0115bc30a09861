/**
 * The model doctor: independent checks of a training setup, each returning findings that say what is
 * wrong, why, and how to fix it. compile() runs the 'compile' checks and warns; fit() runs the 'fit'
 * checks on the data; model.doctor(x, y) runs both on demand. Each check is one entry of DOCTOR_CHECKS,
 * so adding one touches nothing else.
 */
import type { BaseLayer } from '../layers/index.js';
import { missingValues, constantFeatures, unscaledInputs } from './doctor-inputs.js';
import { classImbalance, labelEncoding, validationSplitOrder } from './doctor-labels.js';
import { learningRateRange } from './doctor-learning-rate.js';
import type { Loss } from '../losses/index.js';
import type { Optimizer } from '../optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';

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

/** The output activation must produce what the loss reads: probabilities from softmax or sigmoid, or logits. */
export const outputActivationMatchesLoss: DoctorCheck = {
  name: 'output-activation',
  stage: 'compile',
  run({ output, loss }) {
    if (!output) return [];
    const { layer, activation, units } = output;
    const where = `${layer.label} (the output layer) uses activation '${activation}'`;
    const found = (message: string): DoctorFinding[] => [{ check: this.name, message }];
    switch (loss.expects) {
      case 'softmax':
        if (activation === 'softmax') return [];
        return found(
          `${where}, but loss '${loss.name}' expects probabilities that sum to 1 over the classes. ` +
            `${activation === 'relu' ? 'A relu output is not a probability distribution: rows can be all zero, gradients vanish and training can stall near chance accuracy. ' : `A ${activation} output is not a probability distribution. `}` +
            `Fix: use activation 'softmax' on the last layer (or keep it linear and pass fromLogits: true to the loss).`,
        );
      case 'sigmoid':
        if (activation === 'sigmoid') return [];
        if (activation === 'softmax' && units === 1) {
          return found(`${where} on a single unit, which always outputs 1, so loss '${loss.name}' cannot learn. Fix: use activation 'sigmoid'.`);
        }
        return found(
          `${where}, but loss '${loss.name}' expects probabilities in [0, 1]. Fix: use activation 'sigmoid' on the last layer (or keep it linear and pass fromLogits: true to the loss).`,
        );
      case 'logits':
        if (activation !== 'softmax' && activation !== 'sigmoid') return [];
        return found(
          `${where}, but loss '${loss.name}' was given fromLogits: true and will apply ${activation} a second time. Fix: remove the activation from the last layer, or set fromLogits: false.`,
        );
      case 'any':
        return [];
      default:
        return loss.expects satisfies never;
    }
  },
};

export const DOCTOR_CHECKS: DoctorCheck[] = [
  outputActivationMatchesLoss,
  learningRateRange,
  labelEncoding,
  unscaledInputs,
  missingValues,
  constantFeatures,
  classImbalance,
  validationSplitOrder,
];

/** Runs the checks of one stage; each finding is independent of the others. */
export function diagnose(stage: DoctorCheck['stage'], context: DoctorContext, checks: readonly DoctorCheck[] = DOCTOR_CHECKS): DoctorFinding[] {
  return checks.filter((c) => c.stage === stage).flatMap((c) => c.run(context));
}
