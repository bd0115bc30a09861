/**
 * Missing values: NaN entries replaced, per feature, by the training data's mean, median or most
 * frequent value, or by a constant. With `addIndicator`, one 0/1 feature per feature that had missing
 * values at fit is appended, so the model can still tell that a value was missing (sometimes the
 * missingness itself is informative).
 */
import { Tensor, storage } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import { Transformer, featureCount, floatLike } from './transformer.js';

export type ImputeStrategy = 'mean' | 'median' | 'mostFrequent' | 'constant';

export interface ImputerOptions {
  /** Default 'mean'. */
  strategy?: ImputeStrategy;
  /** The value for strategy 'constant' (default 0). */
  fillValue?: number;
  /** Append a 0/1 "was missing" feature for each feature with missing values at fit (default false). */
  addIndicator?: boolean;
}

const OPTIONS = optionsSpec({
  strategy: is.oneOf<ImputeStrategy>(['mean', 'median', 'mostFrequent', 'constant']).default('mean'),
  fillValue: is.finite.default(0),
  addIndicator: is.boolean.default(false),
} satisfies SpecFor<ImputerOptions>);

export class Imputer extends Transformer {
  readonly strategy: ImputeStrategy;
  readonly fillValue: number;
  readonly addIndicator: boolean;
  /** The value each feature's NaN entries become, set by fit. */
  statistics: Float64Array = new Float64Array(0);
  /** The features that had missing values at fit: those that get an indicator feature. */
  missingFeatures: number[] = [];

  constructor(readonly options: ImputerOptions = {}) {
    super();
    ({ strategy: this.strategy, fillValue: this.fillValue, addIndicator: this.addIndicator } = OPTIONS.parse('Imputer', options));
  }

  clone(): Imputer {
    return new Imputer(this.options);
  }

  protected learn(x: Tensor): void {
    const k = featureCount('Imputer.fit', x);
    const columns = Array.from({ length: k }, () => [] as number[]);
    const v = storage(x);
    const missing = new Set<number>();
    for (let i = 0; i < v.length; i++) {
      if (Number.isNaN(v[i]!)) missing.add(i % k);
      else columns[i % k]!.push(v[i]!);
    }
    this.missingFeatures = [...missing].sort((a, b) => a - b);
    this.statistics = Float64Array.from(columns, (values, f) => {
      if (this.strategy === 'constant') return this.fillValue;
      if (values.length === 0) {
        throw new ValueError(
          `Imputer.fit: feature ${f} is NaN in every sample, so its ${this.strategy} is undefined. Fix: drop the feature (SelectFeatures / DropConstantFeatures) or use strategy 'constant'`,
        );
      }
      return statistic(this.strategy, values);
    });
  }

  protected apply(x: Tensor): Tensor {
    const k = x.shape[x.rank - 1]!;
    const extra = this.addIndicator ? this.missingFeatures.length : 0;
    const rows = x.size / k;
    const v = storage(x);
    const out = floatLike(x, rows * (k + extra));
    for (let r = 0; r < rows; r++) {
      const from = r * k, to = r * (k + extra);
      for (let f = 0; f < k; f++) {
        const value = v[from + f]!;
        out[to + f] = Number.isNaN(value) ? this.statistics[f]! : value;
      }
      for (let j = 0; j < extra; j++) out[to + k + j] = Number.isNaN(v[from + this.missingFeatures[j]!]!) ? 1 : 0;
    }
    return new Tensor(out, [...x.shape.slice(0, -1), k + extra]);
  }
}

function statistic(strategy: Exclude<ImputeStrategy, 'constant'>, values: number[]): number {
  switch (strategy) {
    case 'mean':
      return values.reduce((s, v) => s + v, 0) / values.length;
    case 'median': {
      const sorted = values.sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    }
    case 'mostFrequent': {
      // The smallest of the most frequent values, so ties resolve the same way every time.
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      let best = NaN, bestCount = 0;
      for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
      return best;
    }
    default:
      return strategy satisfies never;
  }
}
