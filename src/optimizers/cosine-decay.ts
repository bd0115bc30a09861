/**
 * Cosine schedules (Loshchilov & Hutter, 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts"),
 * with Keras 3's formulas: a half cosine from the initial learning rate down to alpha times it, after an
 * optional linear warmup; and the same cosine restarted at growing intervals.
 */
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import { BuiltinSchedule } from './schedules.js';

export interface CosineDecayOptions {
  /** The learning rate at step 0 (where a warmup starts). */
  initialLearningRate: number;
  /** The steps of the cosine, after the warmup. */
  decaySteps: number;
  /** The final learning rate as a fraction of where the cosine starts (default 0). */
  alpha?: number;
  /** With warmup: the learning rate reached linearly after warmupSteps, where the cosine starts (default none). */
  warmupTarget?: number;
  /** The steps of the linear warmup (default 0; needs warmupTarget). */
  warmupSteps?: number;
}

const COSINE_OPTIONS = optionsSpec({
  initialLearningRate: is.nonNegative,
  decaySteps: is.positive,
  alpha: is.numberIn(0, 1).default(0),
  warmupTarget: is.nonNegative.optional(),
  warmupSteps: is.nonNegative.default(0),
} satisfies SpecFor<CosineDecayOptions>);

/** Half a cosine from `from` to alpha * from over decaySteps, flat after. */
function cosine(step: number, decaySteps: number, from: number, alpha: number): number {
  const fraction = Math.min(step, decaySteps) / decaySteps;
  return from * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha);
}

/**
 * Without warmup: initialLearningRate * ((1 - alpha) * (1 + cos(pi * step / decaySteps)) / 2 + alpha),
 * constant after decaySteps. With warmupTarget: a linear rise from initialLearningRate to warmupTarget
 * over warmupSteps, then that cosine from warmupTarget.
 */
export class CosineDecay extends BuiltinSchedule<CosineDecayOptions & Required<Omit<CosineDecayOptions, 'warmupTarget'>>> {
  readonly className = 'CosineDecay';

  constructor(options: CosineDecayOptions) {
    const o = COSINE_OPTIONS.parse('CosineDecay', options);
    if (o.warmupTarget === undefined && o.warmupSteps > 0) {
      throw new ValueError(`CosineDecay: option 'warmupSteps' needs 'warmupTarget', the learning rate the warmup rises to (received warmupSteps ${o.warmupSteps} without it)`);
    }
    super(o);
  }

  at(step: number): number {
    const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps } = this.options;
    if (warmupTarget === undefined) return cosine(step, decaySteps, initialLearningRate, alpha);
    if (step < warmupSteps) return initialLearningRate + ((warmupTarget - initialLearningRate) * step) / warmupSteps;
    return cosine(step - warmupSteps, decaySteps, warmupTarget, alpha);
  }
}

export interface CosineDecayRestartsOptions {
  initialLearningRate: number;
  /** The steps of the first cosine. */
  firstDecaySteps: number;
  /** Each period is tMul times the one before (default 2). */
  tMul?: number;
  /** Each restart starts at mMul times the learning rate of the one before (default 1). */
  mMul?: number;
  /** The lowest learning rate as a fraction of the initial one (default 0). */
  alpha?: number;
}

const RESTARTS_OPTIONS = optionsSpec({
  initialLearningRate: is.nonNegative,
  firstDecaySteps: is.positive,
  tMul: is.positive.default(2),
  mMul: is.nonNegative.default(1),
  alpha: is.numberIn(0, 1).default(0),
} satisfies SpecFor<CosineDecayRestartsOptions>);

/**
 * A cosine from the initial learning rate to alpha times it over firstDecaySteps, restarted at the top
 * (scaled by mMul each time) with periods tMul times longer each time.
 */
export class CosineDecayRestarts extends BuiltinSchedule<Required<CosineDecayRestartsOptions>> {
  readonly className = 'CosineDecayRestarts';

  constructor(options: CosineDecayRestartsOptions) {
    super(RESTARTS_OPTIONS.parse('CosineDecayRestarts', options));
  }

  at(step: number): number {
    const { initialLearningRate, firstDecaySteps, tMul, mMul, alpha } = this.options;
    let fraction = step / firstDecaySteps;
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      // Periods 1, t, t^2...: the restart whose span holds the fraction, and how far into it the step is.
      restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
      const before = (1 - tMul ** restart) / (1 - tMul);
      fraction = (fraction - before) / tMul ** restart;
    }
    const cosineDecayed = 0.5 * mMul ** restart * (1 + Math.cos(Math.PI * fraction));
    return initialLearningRate * ((1 - alpha) * cosineDecayed + alpha);
  }
}
