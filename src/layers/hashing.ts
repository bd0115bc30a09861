/**
 * Hashing: each token to one of numBins bins by FarmHash's Fingerprint64 of its text, as Keras hashes
 * (integers hash as their decimal text, so the bins match Keras's). With maskValue, that value goes to
 * bin 0 and the others to bins 1..numBins-1. Integer tensors hash inside a model; strings (which
 * layerwise tensors do not hold) hash in the data pipeline with `encode`.
 */
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import { fingerprint64 } from '../util/fingerprint.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { Encoding } from './category-encoding.js';
import { encodeIndices, encodedShape } from './category-encoding.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { layerSpec, oneOfKeras, snakeCase } from './preprocessing.js';

export type HashingOutput = 'int' | Encoding;

export interface HashingOptions extends LayerOptions {
  numBins: number;
  /** A token that goes to bin 0 (the others to bins 1..numBins-1). */
  maskValue?: number | string | null;
  /** 'int' (default), 'oneHot', 'multiHot' or 'count' (Keras's snake_case spellings too). */
  outputMode?: HashingOutput | 'one_hot' | 'multi_hot';
}

const OPTIONS = layerSpec({
  numBins: is.positiveInteger,
  maskValue: is.integer.or(is.string).or(is.satisfying('null', (v): v is null => v === null)).default(null),
  outputMode: oneOfKeras(['int', 'oneHot', 'multiHot', 'count'] as const).default('int'),
} satisfies SpecFor<Omit<HashingOptions, keyof LayerOptions>>);

const utf8 = new TextEncoder();

export class Hashing extends Layer {
  readonly numBins: number;
  readonly maskValue: number | string | null;
  readonly outputMode: HashingOutput;
  readonly #cache = new Map<string, number>();

  constructor(options: HashingOptions) {
    super(options);
    ({ numBins: this.numBins, maskValue: this.maskValue, outputMode: this.outputMode } = OPTIONS.parse(this.label, options));
    if (this.maskValue !== null && this.numBins < 2) throw new ValueError(`${this.label}: option 'numBins' must be at least 2 with a maskValue (bin 0 is the mask's), received ${this.numBins}`);
  }

  /** The bin of one token. */
  bin(token: string | number): number {
    if (token === this.maskValue || (typeof token === 'number' && String(token) === this.maskValue)) return 0;
    const text = String(token);
    let bin = this.#cache.get(text);
    if (bin === undefined) {
      const bins = BigInt(this.maskValue === null ? this.numBins : this.numBins - 1);
      bin = Number(fingerprint64(utf8.encode(text)) % bins) + (this.maskValue === null ? 0 : 1);
      if (this.#cache.size < 100_000) this.#cache.set(text, bin);
    }
    return bin;
  }

  #output(bins: Int32Array, shape: number[]): Tensor {
    const t = tensor(bins, shape);
    return this.outputMode === 'int' ? t : encodeIndices(this.label, t, this.numBins, this.outputMode);
  }

  call(x: Tensor): Tensor {
    const values = x.data();
    const bins = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isSafeInteger(v)) throw new ValueError(`${this.label}: expected whole-number tokens (strings go through encode), received ${v} at position ${i}`);
      bins[i] = this.bin(v);
    }
    return this.#output(bins, [...x.shape]);
  }

  /** The bins of string tokens, [batch] or [batch, k], encoded as outputMode says. */
  encode(data: readonly (string | readonly string[])[]): Tensor {
    if (!Array.isArray(data)) throw new ValueError(`${this.label}.encode: argument 'data' expected an array of strings or of arrays of strings`);
    const flat = data.every((r) => typeof r === 'string');
    const rows: (readonly string[])[] = data.map((r) => (typeof r === 'string' ? [r] : r));
    const k = rows[0]?.length ?? 1;
    if (rows.some((r) => r.length !== k || !r.every((t) => typeof t === 'string'))) throw new ValueError(`${this.label}.encode: argument 'data' expected rows of ${k} strings each`);
    return this.#output(Int32Array.from(rows.flat(), (t: string) => this.bin(t)), flat ? [data.length] : [data.length, k]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.outputMode === 'int' ? inputShape : encodedShape(this.label, inputShape, this.numBins, this.outputMode);
  }

  override getConfig(): LayerConfig {
    return { num_bins: this.numBins, mask_value: this.maskValue, salt: null, output_mode: snakeCase(this.outputMode), sparse: false, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Hashing {
    const salt = c.get('salt');
    if (salt !== undefined && salt !== null) throw c.fail('salt', 'null (layerwise hashes without a salt, with Fingerprint64 as Keras does then)');
    if (c.boolean('sparse', false)) throw c.fail('sparse', 'false (layerwise has no sparse tensors)');
    const mask = c.get('mask_value');
    return new Hashing({
      ...c.base(), numBins: c.integer('num_bins'), ...(typeof mask === 'number' || typeof mask === 'string' ? { maskValue: mask } : {}),
      outputMode: c.string('output_mode', 'int') as HashingOutput,
    });
  }
}
