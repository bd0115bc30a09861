/** What saving needs of a model in training (a layerwise Model, as callbacks receive it). */
import type { BaseLayer } from '../../layers/index.js';
import { ValueError, describe } from '../../util/errors.js';
import type { TrainingTarget } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import type { ModelArtifacts } from './format.js';

export interface SavedModel extends TrainingTarget {
  readonly label: string;
  readonly layers: readonly BaseLayer[];
  readonly history: History | null;
  toArtifacts(options?: { includeTrainingState?: boolean }): ModelArtifacts;
}

/** The model a callback was given, checked to be one saving can write and restore. */
export function savedModel(model: TrainingTarget, who: string): SavedModel {
  const candidate: Partial<SavedModel> = model;
  if (typeof candidate.toArtifacts !== 'function' || !Array.isArray(candidate.layers)) {
    throw new ValueError(`${who}: expected a layerwise Model to save, received ${describe(model)}`);
  }
  return candidate as SavedModel;
}
