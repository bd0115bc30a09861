/**
 * The model doctor: independent checks of a training setup, each returning findings that say what is
 * wrong, why, and how to fix it. compile() runs the 'compile' checks and warns; fit() runs the 'fit'
 * checks on the data; model.doctor(x, y) runs both on demand. Each check is one entry of DOCTOR_CHECKS,
 * so adding one touches nothing else.
 */
import type { DoctorCheck, DoctorContext, DoctorFinding } from './check.js';
import { constantFeatures, missingValues, unscaledInputs } from './inputs.js';
import { classImbalance, labelEncoding, validationSplitOrder } from './labels.js';
import { learningRateRange } from './learning-rate.js';
import { outputActivationMatchesLoss } from './output-activation.js';

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
