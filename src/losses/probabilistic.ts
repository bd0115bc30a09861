/** Kullback-Leibler divergence and the Poisson loss, with Keras's formulas and clipping. */
import * as ops from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { BuiltinLoss } from './loss.js';
import { NO_OPTIONS, pair } from './inputs.js';
import { EPSILON, matchRank } from './losses.js';

/**
 * sum(yTrue * log(yTrue / yPred)) over the last axis, both clipped to [1e-7, 1] as Keras does (a zero
 * target then adds about 1e-7 * log(1e-7 / p) instead of nothing).
 */
export function klDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const where = 'klDivergence';
  const [truth, pred] = pair(where, yTrue, yPred);
  const t = ops.clip(matchRank(where, truth, pred), EPSILON, 1);
  const p = ops.clip(pred, EPSILON, 1);
  return ops.sum(ops.mul(t, ops.log(ops.div(t, p))), -1);
}

/** mean(yPred - yTrue * log(yPred + 1e-7)): the negative log-likelihood of counts, less a constant. */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const where = 'poisson';
  const [truth, p] = pair(where, yTrue, yPred);
  const t = matchRank(where, truth, p);
  return ops.mean(ops.sub(p, ops.mul(t, ops.log(ops.add(p, EPSILON)))), -1);
}

export class KLDivergence extends BuiltinLoss {
  readonly className = 'KLDivergence';
  readonly name = 'kl_divergence';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('KLDivergence', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return klDivergence(yTrue, yPred);
  }
}

export class Poisson extends BuiltinLoss {
  readonly className = 'Poisson';
  readonly name = 'poisson';
  readonly expects = 'any';
  constructor(options: Record<never, never> = {}) {
    super(NO_OPTIONS.parse('Poisson', options));
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return poisson(yTrue, yPred);
  }
}
