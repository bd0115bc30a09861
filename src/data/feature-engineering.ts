/**
 * Feature engineering: hand-made, non-learned transforms applied before the model (the seed's 2.2.2),
 * and feature selection ("remove features that don't seem informative"). They are Transformers, so
 * they compose with the scalers and the imputer in a Pipeline.
 */
import { Tensor, storage } from '../tensor/tensor.js';
import { checkArg, is, optionsSpec } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import { Transformer, featureCount, featureStats, floatLike } from './transformer.js';

/** A fixed function of the data, e.g. `new FunctionTransformer((x) => x.log1p())`; fit learns nothing. */
export class FunctionTransformer extends Transformer {
  constructor(readonly fn: (x: Tensor) => Tensor) {
    super();
    checkArg('FunctionTransformer', 'fn', fn, is.func<(x: Tensor) => Tensor>());
  }

  clone(): FunctionTransformer {
    return new FunctionTransformer(this.fn);
  }

  override get stateless(): boolean {
    return true;
  }

  protected override get checksFeatureCount(): boolean {
    return false;
  }

  protected learn(): void {}

  protected apply(x: Tensor): Tensor {
    return this.fn(x);
  }
}

const FEATURE_LIST = is.arrayOf(is.nonNegativeInteger).optional();
const SELECT_OPTIONS = optionsSpec({ keep: FEATURE_LIST, drop: FEATURE_LIST });

/** Keeps the listed features (`keep`) or all but the listed ones (`drop`), in their original order. */
export class SelectFeatures extends Transformer {
  #kept: number[] = [];
  readonly #keeps: boolean;
  readonly #listed: readonly number[];

  constructor(readonly options: { keep: readonly number[] } | { drop: readonly number[] }) {
    super();
    const { keep, drop } = SELECT_OPTIONS.parse('SelectFeatures', options);
    if ((keep === undefined) === (drop === undefined)) {
      throw new ValueError(`SelectFeatures: expected exactly one of the options 'keep' and 'drop' (feature indices), received ${describe(options)}`);
    }
    this.#keeps = keep !== undefined;
    this.#listed = keep ?? drop!;
  }

  /** The indices of the features transform keeps. */
  get kept(): readonly number[] {
    return this.#kept;
  }

  clone(): SelectFeatures {
    return new SelectFeatures(this.options);
  }

  protected learn(x: Tensor): void {
    const k = featureCount('SelectFeatures.fit', x);
    const outside = this.#listed.find((i) => i >= k);
    if (outside !== undefined) throw new ValueError(`SelectFeatures.fit: feature ${outside} does not exist: x has ${k} features`);
    this.#kept = Array.from({ length: k }, (_, i) => i).filter((i) => this.#listed.includes(i) === this.#keeps);
  }

  protected apply(x: Tensor): Tensor {
    return selectColumns(x, this.#kept);
  }
}

/**
 * Drops the features that are constant (or NaN everywhere) in the training data: they carry no
 * information, and a scaler would divide them by a zero spread.
 */
export class DropConstantFeatures extends Transformer {
  #kept: number[] = [];

  /** The indices of the features transform keeps. */
  get kept(): readonly number[] {
    return this.#kept;
  }

  clone(): DropConstantFeatures {
    return new DropConstantFeatures();
  }

  protected learn(x: Tensor): void {
    const { min, max } = featureStats('DropConstantFeatures.fit', x);
    this.#kept = Array.from(min.keys()).filter((f) => max[f]! > min[f]!);
  }

  protected apply(x: Tensor): Tensor {
    return selectColumns(x, this.#kept);
  }
}

function selectColumns(x: Tensor, kept: readonly number[]): Tensor {
  const k = x.shape[x.rank - 1]!;
  const rows = x.size / k;
  const v = storage(x);
  const out = floatLike(x, rows * kept.length);
  for (let r = 0; r < rows; r++) kept.forEach((f, j) => (out[r * kept.length + j] = v[r * k + f]!));
  return new Tensor(out, [...x.shape.slice(0, -1), kept.length]);
}
