/**
 * The model doctor's checks of the inputs: values far from the small, homogeneous range networks learn
 * well from (the seed's "value normalization"), missing values, and features that carry no information.
 */
import type { FeatureStats } from '../../data/index.js';
import { featureStats } from '../../data/index.js';
import { Embedding, Normalization } from '../../layers/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { storage } from '../../tensor/tensor.js';
import type { DoctorCheck, DoctorContext } from './check.js';

/** A typical magnitude (root mean square) above this means the feature was not scaled. */
const UNSCALED_RMS = 10;
/** How many feature indices a message lists. */
const LISTED = 8;

const statsCache = new WeakMap<Tensor, FeatureStats | null>();

/** Per-feature statistics of the training inputs (the last axis), computed once for all the checks. */
function inputStats(x: Tensor | undefined): FeatureStats | null {
  if (!x || x.rank < 2) return null;
  let stats = statsCache.get(x);
  if (stats === undefined) {
    stats = featureStats('doctor', x);
    statsCache.set(x, stats);
  }
  return stats;
}

function listed(features: readonly number[]): string {
  const shown = features.slice(0, LISTED).join(', ');
  return features.length > LISTED ? `${shown}, … (${features.length} in all)` : shown;
}

/** True when the model starts with a Normalization layer, which scales raw inputs itself. */
function normalizesItself({ layers }: DoctorContext): boolean {
  return layers?.find((l) => l.className !== 'InputLayer') instanceof Normalization;
}

/** True when the model starts with an Embedding: its inputs are token indices, not features to scale. */
function readsIndices({ layers }: DoctorContext): boolean {
  return layers?.find((l) => l.className !== 'InputLayer') instanceof Embedding;
}

export const unscaledInputs: DoctorCheck = {
  name: 'unscaled-inputs',
  stage: 'fit',
  run(context) {
    const stats = inputStats(context.x);
    if (!stats || normalizesItself(context) || readsIndices(context)) return [];
    const rms = stats.mean.map((m, f) => Math.sqrt(stats.variance[f]! + m * m));
    let worst = 0;
    rms.forEach((r, f) => {
      if (r > rms[worst]!) worst = f;
    });
    if (!(rms[worst]! > UNSCALED_RMS)) return [];
    let largest = 0;
    stats.count.forEach((c, f) => {
      if (c > 0) largest = Math.max(largest, Math.abs(stats.min[f]!), Math.abs(stats.max[f]!));
    });
    const pixels = largest <= 255 && isIntegral(context.x!);
    const fix = pixels
      ? `the values look like 0–255 pixels: divide by 255 (x.div(255)), or start the model with a Normalization layer adapted to the training data`
      : `standardize each feature with statistics of the training data (new StandardScaler().fit(xTrain), or a Normalization layer adapted to it as the first layer)`;
    return [{
      check: this.name,
      message:
        `the inputs are not scaled: values reach ${largest} and feature ${worst} is typically ${rms[worst]!.toPrecision(3)} in size, where networks learn best from values of about 0–1 in every feature. ` +
        `Large inputs make large activations and gradients, so training is slow or unstable. Fix: ${fix}.`,
    }];
  },
};

export const missingValues: DoctorCheck = {
  name: 'missing-values',
  stage: 'fit',
  run({ x }) {
    const stats = inputStats(x);
    if (!stats) return [];
    const rows = x!.size / stats.count.length;
    const partly: number[] = [], entirely: number[] = [];
    stats.count.forEach((c, f) => {
      if (c === 0) entirely.push(f);
      else if (c < rows) partly.push(f);
    });
    if (partly.length === 0 && entirely.length === 0) return [];
    const what = [
      entirely.length > 0 ? `feature${entirely.length > 1 ? 's' : ''} ${listed(entirely)} ${entirely.length > 1 ? 'are' : 'is'} NaN in every sample` : '',
      partly.length > 0 ? `feature${partly.length > 1 ? 's' : ''} ${listed(partly)} ${partly.length > 1 ? 'have' : 'has'} missing (NaN) values` : '',
    ].filter((s) => s !== '').join(', and ');
    return [{
      check: this.name,
      message:
        `${what}. Every layer passes NaN on (as in TensorFlow and PyTorch), so the first batch holding one has a NaN loss and fit stops ` +
        `with an error naming the batch and the feature. ` +
        `Fix: ${entirely.length > 0 ? 'drop the all-NaN features (new DropConstantFeatures() or SelectFeatures), and ' : ''}fill missing values with new Imputer({ strategy: 'median', addIndicator: true }) fitted on the training data.`,
    }];
  },
};

export const constantFeatures: DoctorCheck = {
  name: 'constant-features',
  stage: 'fit',
  run(context) {
    const { x } = context;
    // Images keep constant pixels (always-blank borders) by nature, padded token sequences their padding;
    // the check is for tabular data.
    if (!x || x.rank !== 2 || readsIndices(context)) return [];
    const stats = inputStats(x)!;
    const constant = Array.from(stats.min.keys()).filter((f) => stats.count[f]! > 0 && stats.min[f] === stats.max[f]);
    if (constant.length === 0) return [];
    return [{
      check: this.name,
      message:
        `${constant.length} of ${stats.min.length} features ${constant.length > 1 ? 'are' : 'is'} constant over the ${x.shape[0]} training samples (feature${constant.length > 1 ? 's' : ''} ${listed(constant)}): ` +
        `${constant.length > 1 ? 'they carry' : 'it carries'} no information, and a constant column often means a broken data source. Fix: drop ${constant.length > 1 ? 'them' : 'it'} with new DropConstantFeatures() fitted on the training data (harmless to keep if they are always-blank pixels).`,
    }];
  },
};

function isIntegral(x: Tensor): boolean {
  const v = storage(x);
  const step = Math.max(1, Math.floor(v.length / 10000));
  for (let i = 0; i < v.length; i += step) if (!Number.isInteger(v[i]!)) return false;
  return true;
}
