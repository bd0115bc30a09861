/**
 * Continuing a run from a checkpoint (fit's `resumeFrom`): the weights, the optimizer's slots, iteration
 * count and learning rate, the random generator's position and the history all come back, and training
 * starts where the checkpoint was taken — the epoch after its last, or the middle of an epoch with the
 * place in the data — so it shuffles, drops out and updates exactly as the uninterrupted run did. Everything is checked before anything is assigned. Like Keras's
 * BackupAndRestore, it is a callback: it restores in onTrainBegin, before the callbacks after it start.
 */
import type { Variable } from '../../tensor/variable.js';
import { ValueError } from '../../util/errors.js';
import { isJsonObject } from '../../util/json.js';
import { setRandomState } from '../../util/random.js';
import type { Callback, TrainingParams, TrainingTarget } from '../callbacks/callback.js';
import { checkArtifacts } from './artifacts.js';
import type { SavedModel } from './checkpoint-target.js';
import { savedModel } from './checkpoint-target.js';
import type { ModelLocation } from './io.js';
import { loadArtifacts } from './io.js';
import { planOptimizerRestore } from './optimizer-state.js';
import type { TrainingState } from './training-state.js';
import { planWeights } from './weight-matching.js';

/** The learning rate the checkpoint's optimizer had (ReduceLROnPlateau may have lowered it), if recorded. */
function savedLearningRate(config: unknown): number | null {
  const optimizer = isJsonObject(config) ? config['optimizer_config'] : null;
  const settings = isJsonObject(optimizer) ? optimizer['config'] : null;
  const lr = isJsonObject(settings) ? settings['learning_rate'] ?? settings['learningRate'] : null;
  return typeof lr === 'number' && Number.isFinite(lr) && lr >= 0 ? lr : null;
}

/** Restores a checkpoint's weights and training state into a compiled model; returns the training state. */
export async function restoreTrainingState(model: SavedModel, location: ModelLocation, where: string): Promise<TrainingState> {
  const optimizerNow = model.optimizer;
  if (!optimizerNow) throw new ValueError(`${where}: ${model.label} must be compiled before it can resume (the optimizer receives the saved state)`);
  const artifacts = checkArtifacts(await loadArtifacts(location, where), where);
  const state = artifacts.trainingState;
  if (!state) {
    throw new ValueError(`${where}: the saved model has no training state to resume from; write checkpoints with ModelCheckpoint, or save with { includeTrainingState: true }`);
  }
  const weights = planWeights(model.flatLayers, artifacts.weights, where);
  const trainable = new Set<Variable>(model.flatLayers.flatMap((l) => l.trainableWeights));
  const trainableNames = new Map([...weights.savedNames].filter(([v]) => trainable.has(v)));
  const optimizer = planOptimizerRestore(optimizerNow, trainableNames, artifacts.optimizerWeights, where);
  const lr = optimizerNow.schedule === null ? savedLearningRate(artifacts.trainingConfig) : null;
  weights.apply();
  optimizer();
  if (lr !== null) optimizerNow.learningRate = lr;
  setRandomState(state.random);
  return state;
}

/** The callback behind fit's `resumeFrom`: restores the checkpoint, continues its history, and moves the start. */
export class ResumeFrom implements Callback {
  #model: SavedModel | null = null;
  #params: TrainingParams | null = null;

  /** `where` names the restoring callback in messages. */
  constructor(
    readonly location: ModelLocation,
    readonly where = 'fit (resumeFrom)',
  ) {}

  setContext(model: TrainingTarget, params: TrainingParams): void {
    this.#model = savedModel(model, this.where);
    this.#params = params;
  }

  async onTrainBegin(): Promise<void> {
    const model = this.#model!;
    const state = await restoreTrainingState(model, this.location, this.where);
    const params = this.#params!;
    if (state.next) {
      params.initialEpoch = state.next.epoch;
      params.resume = state.next.step > 0 || state.next.data !== null ? { step: state.next.step, data: state.next.data } : null;
    } else {
      params.initialEpoch = (state.epoch ?? -1) + 1;
    }
    const history = model.history;
    if (history) {
      history.epoch.push(...state.history.epochs);
      for (const [key, values] of Object.entries(state.history.logs)) history.history[key] = [...values];
    }
  }
}
