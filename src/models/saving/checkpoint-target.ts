/** What saving needs of a model in training (a layerwise Model, as callbacks receive it). */
import type { BaseLayer } from '../../layers/index.js';
import { ValueError, describe } from '../../util/errors.js';
import type { TrainingTarget } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import type { ModelArtifacts } from './format.js';

export interface SavedModel extends TrainingTarget {
  readonly label: string;
  /** Every layer that can own weights, nested models opened up. */
  readonly flatLayers: readonly BaseLayer[];
  readonly history: History | null;
  toArtifacts(options?: { includeTrainingState?: boolean }): ModelArtifacts;
}

/** The model a callback was given, checked to be one saving can write and restore. */
export function savedModel(model: TrainingTarget, who: string): SavedModel {
  if (!isSavedModel(model)) throw new ValueError(`${who}: expected a layerwise Model to save, received ${describe(model)}`);
  return model;
}

function isSavedModel(model: TrainingTarget): model is SavedModel {
  const m = model as TrainingTarget & Partial<Record<'toArtifacts' | 'flatLayers', unknown>>;
  return typeof m.toArtifacts === 'function' && Array.isArray(m.flatLayers);
}
