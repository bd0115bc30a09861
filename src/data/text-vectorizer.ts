/**
 * A simple text vectorizer (after Keras's TextVectorization): `adapt(texts)` builds a vocabulary of the
 * most frequent tokens; `transform(texts)` turns texts into padded integer sequences ('int') or into
 * multi-hot / count rows over the vocabulary. Index 0 of 'int' output is padding and index 1 the
 * out-of-vocabulary token; multi-hot rows have no padding column, so the OOV token is column 0.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Parsed, SpecFor } from '../util/checks.js';
import { checkArg, is, optionsSpec } from '../util/checks.js';
import { ValueError } from '../util/errors.js';
import { multiHot, padSequences } from './vectorize.js';

export type Standardize = 'lowerAndStripPunctuation' | 'lower' | 'none';

export interface TextVectorizerOptions {
  /** The vocabulary size, padding and OOV included (default: every token seen). */
  maxTokens?: number;
  /** 'int' (default), 'multiHot' or 'count'. */
  outputMode?: 'int' | 'multiHot' | 'count';
  /** For 'int': pad or cut every sequence to this length (default: the longest text of the call). */
  outputSequenceLength?: number;
  /** Default 'lowerAndStripPunctuation'. */
  standardize?: Standardize;
}

const OPTIONS = optionsSpec({
  maxTokens: is.integer.where((v) => v >= 3, 'an integer >= 3 (padding, OOV and at least one token)').optional(),
  outputMode: is.oneOf(['int', 'multiHot', 'count'] as const).default('int'),
  outputSequenceLength: is.positiveInteger.optional(),
  standardize: is.oneOf<Standardize>(['lowerAndStripPunctuation', 'lower', 'none']).default('lowerAndStripPunctuation'),
} satisfies SpecFor<TextVectorizerOptions>);

const PADDING_TOKEN = '';
const OOV_TOKEN = '[UNK]';

export class TextVectorizer {
  readonly outputMode: 'int' | 'multiHot' | 'count';
  readonly #options: Parsed<typeof OPTIONS.spec>;
  #index = new Map<string, number>();
  #vocabulary: string[] = [];

  constructor(options: TextVectorizerOptions = {}) {
    this.#options = OPTIONS.parse('TextVectorizer', options);
    this.outputMode = this.#options.outputMode;
  }

  /** The tokens by index: padding and OOV first for 'int', OOV first otherwise, then by frequency. */
  get vocabulary(): readonly string[] {
    return this.#vocabulary;
  }

  /** The tokens of one text after standardization. */
  tokenize(text: string): string[] {
    let s = checkArg('TextVectorizer.tokenize', 'text', text, is.string);
    const mode = this.#options.standardize;
    if (mode !== 'none') s = s.toLowerCase();
    if (mode === 'lowerAndStripPunctuation') s = s.replace(/[\p{P}\p{S}]/gu, '');
    return s.split(/\s+/u).filter((t) => t !== '');
  }

  /** Builds the vocabulary: the most frequent tokens, ties in alphabetical order. */
  adapt(texts: readonly string[]): this {
    checkTexts('TextVectorizer.adapt', texts);
    const counts = new Map<string, number>();
    for (const text of texts) for (const token of this.tokenize(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
    const reserved = this.outputMode === 'int' ? [PADDING_TOKEN, OOV_TOKEN] : [OOV_TOKEN];
    const sorted = [...counts].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0)).map(([t]) => t);
    const room = (this.#options.maxTokens ?? Infinity) - reserved.length;
    this.#vocabulary = [...reserved, ...sorted.slice(0, room)];
    this.#index = new Map(this.#vocabulary.map((t, i) => [t, i]));
    return this;
  }

  /** Same as adapt, by the name the preprocessing steps use. */
  fit(texts: readonly string[]): this {
    return this.adapt(texts);
  }

  /** Token indices of one text (OOV for unknown tokens). */
  encode(text: string): number[] {
    const oov = this.#index.get(OOV_TOKEN)!;
    return this.tokenize(text).map((t) => this.#index.get(t) ?? oov);
  }

  /** 'int': [n, length] int32; 'multiHot' / 'count': [n, vocabulary size] float32. */
  transform(texts: readonly string[]): Tensor {
    checkTexts('TextVectorizer.transform', texts);
    if (this.#vocabulary.length === 0) throw new ValueError(`TextVectorizer.transform: call adapt(texts) first to build the vocabulary`);
    const sequences = texts.map((t) => this.encode(t));
    if (this.outputMode !== 'int') return multiHot(sequences, { numTokens: this.#vocabulary.length, counts: this.outputMode === 'count' });
    const length = this.#options.outputSequenceLength ?? Math.max(1, ...sequences.map((s) => s.length));
    return padSequences(sequences, { length, padding: 'post', truncating: 'post' });
  }
}

function checkTexts(where: string, texts: readonly string[]): void {
  checkArg(where, 'texts', texts, is.arrayOf(is.string));
}
