/**
 * The options every optimizer takes, as spec entries for the argument-check vocabulary: an optimizer's
 * own spec spreads them beside its keys, so every key is known and every value checked in one place.
 */
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import type { OptimizerOptions } from './optimizer.js';
import type { LearningRateSchedule } from './schedules.js';

const isSchedule = (v: unknown): v is LearningRateSchedule => typeof v === 'object' && v !== null && typeof (v as LearningRateSchedule).at === 'function';

export const BASE_OPTION_KEYS = {
  learningRate: is.nonNegative.or(is.satisfying('a learning-rate schedule', isSchedule)).optional(),
  clipnorm: is.positive.optional(),
  clipvalue: is.positive.optional(),
  globalClipnorm: is.positive.optional(),
  weightDecay: is.nonNegative.optional(),
} satisfies SpecFor<OptimizerOptions>;
