/** The model doctor's check of the output layer against the loss. */
import type { DoctorCheck, DoctorFinding } from './check.js';

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
