/**
 * IntegerLookup and StringLookup: tokens to indices in a vocabulary, as Keras lays it out: the mask token
 * (when given) at 0, then `numOovIndices` out-of-vocabulary indices, then the vocabulary, most frequent
 * first after `adapt` (ties in descending order, as Keras). Unknown tokens go to an OOV index (token mod numOovIndices
 * for integers). 'int' output gives int32 indices; 'oneHot', 'multiHot' and 'count' encode them over the
 * vocabulary (without a column for the mask token). IntegerLookup is a layer (its vocabulary is saved in
 * the model's config); layerwise tensors hold numbers, so StringLookup maps strings in the data pipeline,
 * before the model, with the same options and layout.
 */
import { tensor, toTensor } from '../tensor/creation.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Check, SpecFor } from '../util/checks.js';
import { checkArg, is } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { Encoding } from './category-encoding.js';
import { encodeIndices, encodedShape } from './category-encoding.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { layerSpec, oneOfKeras, snakeCase } from './preprocessing.js';

export type LookupOutput = 'int' | Encoding;

export interface LookupOptions<T> {
  /** The largest vocabulary adapt keeps, mask and OOV indices included (default: every token seen). */
  maxTokens?: number;
  /** How many indices unknown tokens share (default 1). */
  numOovIndices?: number;
  /** A token that maps to index 0 (default none). */
  maskToken?: T | null;
  /** The token written for OOV indices in `vocabulary` (default -1 or '[UNK]'). */
  oovToken?: T;
  /** The vocabulary, instead of adapt. */
  vocabulary?: readonly T[];
  /** 'int' (default), 'oneHot', 'multiHot' or 'count' (Keras's snake_case spellings too). */
  outputMode?: LookupOutput | 'one_hot' | 'multi_hot';
}

function lookupSpec<T>(token: Check<T>, oov: T) {
  return layerSpec({
    maxTokens: is.integer.where((v) => v >= 1, 'a positive integer').optional(),
    numOovIndices: is.nonNegativeInteger.default(1),
    maskToken: token.or(is.satisfying('null', (v): v is null => v === null)).default(null),
    oovToken: token.default(oov),
    vocabulary: is.arrayOf(token).optional(),
    outputMode: oneOfKeras(['int', 'oneHot', 'multiHot', 'count'] as const).default('int'),
  } satisfies SpecFor<LookupOptions<T>>);
}

/** The vocabulary and its index, shared by both lookups. */
class Vocabulary<T extends number | string> {
  readonly #o: ReturnType<typeof lookupSpec<T>>['parse'] extends (...a: never[]) => infer P ? P : never;
  #index = new Map<T, number>();
  #tokens: T[] = [];

  constructor(
    readonly label: string,
    options: unknown,
    token: Check<T>,
    oov: T,
  ) {
    this.#o = lookupSpec(token, oov).parse(label, options);
    if (this.#o.vocabulary) this.set(this.#o.vocabulary);
  }

  get options() {
    return this.#o;
  }

  /** Index of the first vocabulary token. */
  get #first(): number {
    return (this.#o.maskToken === null ? 0 : 1) + this.#o.numOovIndices;
  }

  set(tokens: readonly T[]): void {
    const seen = new Set<T>();
    for (const t of tokens) {
      if (seen.has(t)) throw new ValueError(`${this.label}: the vocabulary holds ${describe(t)} twice`);
      if (t === this.#o.maskToken) throw new ValueError(`${this.label}: the vocabulary holds the mask token ${describe(t)}`);
      seen.add(t);
    }
    this.#tokens = [...tokens];
    this.#index = new Map(this.#tokens.map((t, i) => [t, i + this.#first]));
  }

  adapt(tokens: Iterable<T>): void {
    const counts = new Map<T, number>();
    for (const t of tokens) if (t !== this.#o.maskToken) counts.set(t, (counts.get(t) ?? 0) + 1);
    // Ties in descending order, as Keras orders them.
    const sorted = [...counts].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? 1 : a > b ? -1 : 0)).map(([t]) => t);
    this.set(sorted.slice(0, Math.max(0, (this.#o.maxTokens ?? Infinity) - this.#first)));
  }

  /** Every index's token: mask, OOV tokens, then the vocabulary (Keras's get_vocabulary). */
  vocabulary(): T[] {
    const o = this.#o;
    return [...(o.maskToken === null ? [] : [o.maskToken]), ...new Array<T>(o.numOovIndices).fill(o.oovToken), ...this.#tokens];
  }

  get size(): number {
    return this.#first + this.#tokens.length;
  }

  indexOf(t: T, oovIndex: (t: T) => number): number {
    if (t === this.#o.maskToken) return 0;
    const i = this.#index.get(t);
    if (i !== undefined) return i;
    if (this.#o.numOovIndices === 0) throw new ValueError(`${this.label}: ${describe(t)} is not in the vocabulary, and numOovIndices is 0`);
    return (this.#o.maskToken === null ? 0 : 1) + oovIndex(t);
  }

  /** int32 indices of `shape`, or their encoding. */
  output(indices: Int32Array, shape: number[]): Tensor {
    const t = tensor(indices, shape);
    const mode = this.#o.outputMode;
    if (mode === 'int') return t;
    // Encodings have no column for the mask token.
    const masked = this.#o.maskToken !== null;
    if (masked) for (let i = 0; i < indices.length; i++) indices[i] = Math.max(0, indices[i]! - 1);
    return encodeIndices(this.label, tensor(indices, shape), this.size - (masked ? 1 : 0), mode);
  }

  outputShape(shape: LayerShape): LayerShape {
    const mode = this.#o.outputMode;
    return mode === 'int' ? shape : encodedShape(this.label, shape, this.size - (this.#o.maskToken === null ? 0 : 1), mode);
  }

  config(): LayerConfig {
    const o = this.#o;
    return {
      max_tokens: o.maxTokens ?? null, num_oov_indices: o.numOovIndices, mask_token: o.maskToken, oov_token: o.oovToken,
      vocabulary: [...this.#tokens], output_mode: snakeCase(o.outputMode), invert: false, sparse: false, pad_to_max_tokens: false,
    };
  }
}

function optionsFromConfig<T>(c: ConfigReader, token: (v: unknown) => v is T): LookupOptions<T> {
  if (c.boolean('invert', false)) throw c.fail('invert', 'false (layerwise maps tokens to indices only)');
  if (c.boolean('sparse', false)) throw c.fail('sparse', 'false (layerwise has no sparse tensors)');
  const vocabulary = c.get('vocabulary');
  if (vocabulary !== undefined && vocabulary !== null && !(Array.isArray(vocabulary) && vocabulary.every(token))) throw c.fail('vocabulary', 'an array of tokens');
  const mask = c.get('mask_token'), oov = c.get('oov_token'), max = c.get('max_tokens');
  return {
    ...(typeof max === 'number' ? { maxTokens: max } : {}),
    numOovIndices: c.integer('num_oov_indices', 1),
    ...(token(mask) ? { maskToken: mask } : {}),
    ...(token(oov) ? { oovToken: oov } : {}),
    ...(Array.isArray(vocabulary) ? { vocabulary: vocabulary as T[] } : {}),
    outputMode: c.string('output_mode', 'int') as LookupOutput,
  };
}

const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const integerToken = is.integer;
const floorMod = (a: number, n: number): number => ((a % n) + n) % n;

export interface IntegerLookupOptions extends LayerOptions, LookupOptions<number> {}

export class IntegerLookup extends Layer {
  readonly #vocab: Vocabulary<number>;

  constructor(options: IntegerLookupOptions = {}) {
    super(options);
    const { name: _n, inputShape: _i, dtype: _d, trainable: _t, activityRegularizer: _a, ...own } = options;
    this.#vocab = new Vocabulary(this.label, own, integerToken, -1);
  }

  /** Builds the vocabulary from `data` (whole numbers), most frequent first. */
  adapt(data: TensorLike): this {
    const values = toTensor(`${this.label}.adapt`, 'data', data).data();
    const tokens: number[] = [];
    for (let i = 0; i < values.length; i++) tokens.push(checkArg(`${this.label}.adapt`, `data[${i}]`, values[i], is.integer));
    this.#vocab.adapt(tokens);
    return this;
  }

  /** Every index's token: mask, OOV, then the vocabulary. */
  get vocabulary(): number[] {
    return this.#vocab.vocabulary();
  }

  get vocabularySize(): number {
    return this.#vocab.size;
  }

  call(x: Tensor): Tensor {
    const values = x.data();
    const out = new Int32Array(values.length);
    const n = this.#vocab.options.numOovIndices;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isSafeInteger(v)) throw new ValueError(`${this.label}: expected whole-number tokens, received ${v} at position ${i}`);
      out[i] = this.#vocab.indexOf(v, (t) => floorMod(t, n));
    }
    return this.#vocab.output(out, [...x.shape]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.#vocab.outputShape(inputShape);
  }

  override getConfig(): LayerConfig {
    return { ...this.#vocab.config(), ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): IntegerLookup {
    return new IntegerLookup({ ...c.base(), ...optionsFromConfig(c, isInteger) });
  }
}

export type StringLookupOptions = LookupOptions<string>;

/** Java's String.hashCode, for OOV buckets of strings (any fixed hash keeps the buckets stable). */
function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h >>> 0;
}

export class StringLookup {
  readonly #vocab: Vocabulary<string>;

  constructor(options: StringLookupOptions = {}) {
    this.#vocab = new Vocabulary('StringLookup', options, is.string, '[UNK]');
  }

  adapt(data: readonly (string | readonly string[])[]): this {
    this.#vocab.adapt(data.flat());
    return this;
  }

  get vocabulary(): string[] {
    return this.#vocab.vocabulary();
  }

  get vocabularySize(): number {
    return this.#vocab.size;
  }

  /** The indices of `data` ([batch] or [batch, k] strings), encoded as outputMode says. */
  encode(data: readonly (string | readonly string[])[]): Tensor {
    checkArg('StringLookup.encode', 'data', data, is.satisfying('an array of strings or of arrays of strings', (v): v is unknown[] => Array.isArray(v)));
    const rows = data.map((r) => (typeof r === 'string' ? [r] : r));
    const k = rows[0]?.length ?? 1;
    if (rows.some((r) => r.length !== k || !r.every(isString))) throw new ValueError(`StringLookup.encode: argument 'data' expected rows of ${k} strings each`);
    const n = this.#vocab.options.numOovIndices;
    const out = Int32Array.from(rows.flat(), (t) => this.#vocab.indexOf(t, (s) => stringHash(s) % n));
    return this.#vocab.output(out, data.every((r) => typeof r === 'string') ? [data.length] : [data.length, k]);
  }

  /** The options as Keras's config writes them, vocabulary included. */
  getConfig(): LayerConfig {
    return this.#vocab.config();
  }
}
