/** The model doctor's check of the optimizer: a learning rate far outside the range that usually trains. */
import type { DoctorCheck } from './check.js';

/** Where each optimizer usually trains, and how far outside counts as "far". */
const USUAL: Record<string, { low: number; high: number; default: number }> = {
  SGD: { low: 1e-3, high: 0.1, default: 0.01 },
  RMSprop: { low: 1e-4, high: 1e-2, default: 1e-3 },
  Adam: { low: 1e-4, high: 1e-2, default: 1e-3 },
  AdamW: { low: 1e-4, high: 1e-2, default: 1e-3 },
  Adagrad: { low: 1e-3, high: 0.1, default: 1e-3 },
};
const FAR = 10;
/** The updates a schedule's peak is looked for in. */
const PEAK_STEPS = 10_000;

export const learningRateRange: DoctorCheck = {
  name: 'learning-rate',
  stage: 'compile',
  run({ optimizer }) {
    const usual = USUAL[optimizer.name];
    // A schedule is judged by the highest rate of its first updates: a warmup starts from 0 by design.
    const schedule = optimizer.schedule;
    const lr = schedule ? Math.max(...Array.from({ length: PEAK_STEPS }, (_, s) => schedule.at(optimizer.iterations + s))) : optimizer.learningRate;
    if (!usual || (lr >= usual.low / FAR && lr <= usual.high * FAR)) return [];
    const range = `${usual.low} to ${usual.high}; the default is ${usual.default}`;
    const message =
      lr > usual.high * FAR
        ? `the learning rate ${lr} of ${optimizer.name} is far above the usual range (${range}): steps that large overshoot, so the loss jumps around, diverges or becomes NaN. Fix: start from the default and tune by factors of 3 to 10.`
        : `the learning rate ${lr} of ${optimizer.name} is far below the usual range (${range}): weights barely move, so the loss falls very slowly${lr === 0 ? ' (with 0 it does not fall at all)' : ''}. Fix: start from the default and tune by factors of 3 to 10.`;
    return [{ check: this.name, message }];
  },
};
