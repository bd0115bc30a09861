/**
 * Discretization: each value to the index of its bin. With boundaries [b1, ..., bn], bin i holds
 * b(i) <= x < b(i+1) (bin 0 below b1, bin n from bn up), as Keras buckets. `adapt(data)` with `numBins`
 * learns boundaries that put the same share of the data in every bin (the values where the data's
 * cumulative share first reaches 1/numBins, 2/numBins...). The boundaries are saved in the config.
 */
import type { TensorLike } from '../tensor/creation.js';
import { tensor, toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import type { Encoding } from './category-encoding.js';
import { encodeIndices, encodedShape } from './category-encoding.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { layerSpec, oneOfKeras, snakeCase } from './preprocessing.js';

export type DiscretizationOutput = 'int' | Encoding;

export interface DiscretizationOptions extends LayerOptions {
  /** Increasing bin edges (or learn them with numBins and adapt). */
  binBoundaries?: readonly number[];
  /** How many bins adapt makes. */
  numBins?: number;
  /** Keras's tolerance of its approximate quantiles; layerwise's are exact, so it is only kept in the config. */
  epsilon?: number;
  /** 'int' (default: int32 bin indices), 'oneHot', 'multiHot' or 'count'. */
  outputMode?: DiscretizationOutput | 'one_hot' | 'multi_hot';
}

const OPTIONS = layerSpec({
  binBoundaries: is.arrayOf(is.finite).where((b) => b.every((v, i) => i === 0 || v > b[i - 1]!), 'an increasing array of finite numbers').optional(),
  numBins: is.integer.where((v) => v >= 2, 'an integer >= 2').optional(),
  epsilon: is.positive.default(0.01),
  outputMode: oneOfKeras(['int', 'oneHot', 'multiHot', 'count'] as const).default('int'),
} satisfies SpecFor<Omit<DiscretizationOptions, keyof LayerOptions>>);

export class Discretization extends Layer {
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: DiscretizationOutput;
  #boundaries: number[] | null;

  constructor(options: DiscretizationOptions = {}) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    if (o.binBoundaries === undefined && o.numBins === undefined) {
      throw new ValueError(`${this.label}: give option 'binBoundaries', or option 'numBins' and call adapt`);
    }
    this.#boundaries = o.binBoundaries ?? null;
    this.numBins = o.numBins ?? null;
    this.epsilon = o.epsilon;
    this.outputMode = o.outputMode;
  }

  /** The bin edges, once given or adapted. */
  get binBoundaries(): readonly number[] | null {
    return this.#boundaries;
  }

  /** Learns numBins - 1 boundaries from `data` (NaN left out) that split it into bins of equal share. */
  adapt(data: TensorLike): this {
    const where = `${this.label}.adapt`;
    if (this.numBins === null) throw new ValueError(`${where}: the layer was given 'binBoundaries'; give 'numBins' instead to learn them`);
    const values = Float64Array.from(toTensor(where, 'data', data).data()).filter((v) => !Number.isNaN(v)).sort();
    if (values.length === 0) throw new ValueError(`${where}: argument 'data' holds no numbers`);
    const n = values.length;
    const edges: number[] = [];
    for (let k = 1; k < this.numBins; k++) edges.push(values[Math.max(0, Math.ceil((k * n) / this.numBins) - 1)]!);
    this.#boundaries = edges;
    return this;
  }

  #depth(): number {
    return this.#boundaries!.length + 1;
  }

  call(x: Tensor): Tensor {
    const b = this.#boundaries;
    if (!b) throw new ValueError(`${this.label}: call adapt(data) first (the layer has numBins but no boundaries yet)`);
    const values = x.data();
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      // Binary search for the number of boundaries <= v.
      const v = values[i]!;
      let lo = 0, hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (b[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      out[i] = lo;
    }
    const indices = tensor(out, [...x.shape]);
    return this.outputMode === 'int' ? indices : encodeIndices(this.label, indices, this.#depth(), this.outputMode);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    if (this.outputMode === 'int') return inputShape;
    return encodedShape(this.label, inputShape, this.#boundaries ? this.#depth() : (this.numBins ?? 0), this.outputMode);
  }

  override getConfig(): LayerConfig {
    return {
      bin_boundaries: this.#boundaries ? [...this.#boundaries] : null, num_bins: this.numBins, epsilon: this.epsilon,
      output_mode: snakeCase(this.outputMode), sparse: false, ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): Discretization {
    const raw = c.get('bin_boundaries');
    const boundaries = raw === undefined || raw === null ? undefined : raw;
    if (boundaries !== undefined && !(Array.isArray(boundaries) && boundaries.every((v) => typeof v === 'number'))) throw c.fail('bin_boundaries', 'an array of numbers');
    const numBins = c.get('num_bins') === null || c.get('num_bins') === undefined ? undefined : c.integer('num_bins');
    const layer = new Discretization({
      ...c.base(), ...(boundaries ? { binBoundaries: boundaries as number[] } : {}), ...(numBins === undefined ? {} : { numBins }),
      epsilon: c.number('epsilon', 0.01), outputMode: c.string('output_mode', 'int') as DiscretizationOutput,
    });
    return layer;
  }
}
