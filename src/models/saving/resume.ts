/**
 * Continuing a run from a checkpoint: the weights, the optimizer's slots, iteration count and learning
 * rate, and the random generator's position all come back, so the next epoch shuffles, drops out and
 * updates exactly as the uninterrupted run did. Everything is checked before anything is assigned.
 */
import type { BaseLayer } from '../../layers/index.js';
import { isJsonObject } from '../../layers/index.js';
import type { Optimizer } from '../../optimizers/index.js';
import type { Variable } from '../../tensor/variable.js';
import { ValueError } from '../../util/errors.js';
import { setRandomState } from '../../util/random.js';
import { checkArtifacts } from './artifacts.js';
import type { ModelLocation } from './io.js';
import { loadArtifacts } from './io.js';
import { planOptimizerRestore } from './optimizer-state.js';
import type { TrainingState } from './training-state.js';
import { planWeights } from './weight-matching.js';

export interface ResumeTarget {
  label: string;
  layers: readonly BaseLayer[];
  optimizer: Optimizer;
}

/** The learning rate the checkpoint's optimizer had (ReduceLROnPlateau may have lowered it), if recorded. */
function savedLearningRate(config: unknown): number | null {
  const optimizer = isJsonObject(config) ? config['optimizer_config'] : null;
  const settings = isJsonObject(optimizer) ? optimizer['config'] : null;
  const lr = isJsonObject(settings) ? settings['learning_rate'] ?? settings['learningRate'] : null;
  return typeof lr === 'number' && Number.isFinite(lr) && lr >= 0 ? lr : null;
}

/** Restores a checkpoint's weights and training state into `target`; returns the training state. */
export async function restoreTrainingState(target: ResumeTarget, location: ModelLocation, where: string): Promise<TrainingState> {
  const artifacts = checkArtifacts(await loadArtifacts(location, where), where);
  const state = artifacts.trainingState;
  if (!state) {
    throw new ValueError(`${where}: the saved model has no training state to resume from; write checkpoints with ModelCheckpoint, or save with { includeTrainingState: true }`);
  }
  const weights = planWeights(target.layers, artifacts.weights, where);
  const trainable = new Set<Variable>(target.layers.flatMap((l) => l.trainableWeights));
  const trainableNames = new Map([...weights.savedNames].filter(([v]) => trainable.has(v)));
  const optimizer = planOptimizerRestore(target.optimizer, trainableNames, artifacts.optimizerWeights, where);
  const lr = target.optimizer.schedule === null ? savedLearningRate(artifacts.trainingConfig) : null;
  weights.apply();
  optimizer();
  if (lr !== null) target.optimizer.learningRate = lr;
  setRandomState(state.random);
  return state;
}
